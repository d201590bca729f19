// The Durable Object that owns one secret, as a thin RPC facade: each method is one state transition or read,
// delegated to the collaborator that owns it. Every change goes through one commit (commits.ts) and is answered once
// the index and the trail hold it (read-your-writes, bounded: outbox.ts). Timed work runs from the one alarm (scheduler.ts).
import { DurableObject } from "cloudflare:workers";
import type { Auth } from "../authz/secret";
import type { IndexRow } from "../domain/secret-fields";
import type { Result } from "../domain/result";
import { parseSecretId } from "../domain/secret-id";
import type { TagPair } from "../domain/tags";
import type { Env } from "../env";
import { metrics } from "../observability/metrics";
import { auditDestination } from "../outbox/audit-destination";
import { indexDestination } from "../outbox/index-destination";
import { Access } from "./access";
import { AuditLog } from "./audit-log";
import { Commits } from "./commits";
import { type IndexRepair, IndexSync } from "./index-sync";
import { Lifecycle } from "./lifecycle";
import { objectAt } from "./object-at";
import { Outbox } from "./outbox";
import { Policies } from "./policies";
import { Reads } from "./reads";
import { Replica } from "./replica";
import { ReplicaRows } from "./replica-rows";
import type { ReplicaAck, ReplicaSnapshot } from "./replica-sync";
import { Replication } from "./replication";
import { ReplicationRequests } from "./replication-requests";
import { type RotateRequest, Rotation } from "./rotation";
import { RotationRequests } from "./rotation-requests";
import { objectSecrets } from "./rotation-secrets";
import { Scheduler } from "./scheduler";
import { Store } from "./store";
import { Tagging } from "./tagging";
import type {
  CreateInput, DeletionResult, Identity, PolicyValidation, PolicyView, ReplicaRegion, ReplicationResult, SecretValue,
  SecretView, Target, ValueView, VersionPage, WriteResult,
} from "./types";
import { Vault } from "./vault";
import { Versions } from "./versions";
import { type SecretChanges, Writes } from "./writes";

export type { IndexRepair } from "./index-sync";

export class SecretObject extends DurableObject<Env> {
  // store, vault, replication and scheduler are also what the Durable Object tests reach into.
  private readonly store: Store;
  private readonly vault: Vault;
  private readonly outbox: Outbox;
  private readonly index: IndexSync;
  private readonly scheduler: Scheduler;
  private readonly commits: Commits;
  private readonly replication: Replication;
  private readonly lifecycle: Lifecycle;
  private readonly reads: Reads;
  private readonly writes: Writes;
  private readonly tagging: Tagging;
  private readonly policies: Policies;
  private readonly rotations: RotationRequests;
  private readonly replicas: ReplicationRequests;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const store = (this.store = new Store(ctx.storage.sql));
    // Bindings are read at use, not captured, so tests can swap them on a live instance.
    const vault = (this.vault = new Vault(() => this.env.KMS_KEYS));
    const replicaRows = new ReplicaRows(ctx.storage.sql);
    const replication = (this.replication = new Replication(
      store, replicaRows, vault, () => this.outbox, (arn) => this.objectOf(arn),
      () => (this.env.REPLICA_REGIONS_UNAVAILABLE ?? "").split(",").map((r) => r.trim()).filter(Boolean),
      () => metrics(this.env),
    ));
    const outbox = (this.outbox = new Outbox(
      store, [indexDestination(() => this.env), auditDestination(() => this.env)], () => this.scheduler.rearm(),
      [replication.family()], () => metrics(this.env),
    ));
    const auditLog = new AuditLog(store, outbox);
    const commits = (this.commits = new Commits(ctx.storage, store, outbox, auditLog, replication, () => this.scheduler));
    const index = (this.index = new IndexSync(store, outbox, ctx.storage, () => commits.settle()));
    const rotation = new Rotation(store, () => ctx.storage.sql, {
      transaction: (change) => commits.transaction(change),
      functions: () => this.env.ROTATION_FUNCTIONS,
      bindings: () => this.env as unknown as Record<string, unknown>,
      secrets: (s) => objectSecrets(s, { ...this.ownSecret(), stages: () => store.stages() }, this.env),
      enqueueSnapshot: () => index.enqueueSnapshot(),
      settle: () => commits.settle(),
      rearm: () => this.scheduler.rearm(),
      audit: (eventName, s, versionId, errorMessage) => this.rotations.serviceEvent(eventName, s, versionId, errorMessage),
      metrics: () => metrics(this.env),
    });
    const versions = new Versions(store, vault, index, ctx.storage, auditLog);
    const access = new Access(store, vault);
    this.lifecycle = new Lifecycle(store, vault, versions, index, access, replication, auditLog, outbox, commits, ctx.storage);
    this.scheduler = new Scheduler(ctx.storage, [this.lifecycle.deletionDuty(), ...outbox.duties(), rotation.duty()]);
    this.reads = new Reads(store, vault, versions, access, replication);
    this.writes = new Writes(store, vault, versions, index, access, rotation, commits);
    this.tagging = new Tagging(store, index, access, commits);
    this.policies = new Policies(store, access, ctx.storage);
    this.rotations = new RotationRequests(store, vault, versions, access, rotation, auditLog, commits, ctx.storage);
    const replica = new Replica(store, replicaRows, index);
    this.replicas = new ReplicationRequests(store, access, replication, replica, commits, (arn) => this.objectOf(arn));
    // An object that never held a secret has nothing scheduled and reads no alarm.
    if (store.written) void ctx.blockConcurrencyWhile(() => this.scheduler.start());
  }

  // ---- the secret's life, values, labels and tags (lifecycle.ts, writes.ts, tagging.ts) and reads (reads.ts) ----

  async create(auth: Auth, input: CreateInput): Promise<Result<WriteResult>> {
    return this.lifecycle.create(auth, input);
  }

  async getValue(auth: Auth, target: Target, versionId?: string, stage?: string): Promise<Result<ValueView>> {
    return this.reads.getValue(auth, target, versionId, stage);
  }

  async putValue(auth: Auth, target: Target, versionId: string, value: SecretValue, versionStages?: string[]): Promise<Result<WriteResult>> {
    return this.writes.putValue(auth, target, versionId, value, versionStages);
  }

  async update(auth: Auth, target: Target, changes: SecretChanges): Promise<Result<WriteResult>> {
    return this.writes.update(auth, target, changes);
  }

  async updateStage(auth: Auth, target: Target, label: string, removeFrom?: string, moveTo?: string): Promise<Result<Identity>> {
    return this.writes.updateStage(auth, target, label, removeFrom, moveTo);
  }

  async describe(auth: Auth, target: Target): Promise<Result<SecretView>> {
    return this.reads.describe(auth, target);
  }

  async listVersions(auth: Auth, target: Target, includeDeprecated: boolean, maxResults = 100, after?: number): Promise<Result<VersionPage>> {
    return this.reads.listVersions(auth, target, includeDeprecated, maxResults, after);
  }

  async scheduleDeletion(auth: Auth, target: Target, recoveryWindowInDays: number | undefined, force: boolean): Promise<Result<DeletionResult>> {
    return this.lifecycle.scheduleDeletion(auth, target, recoveryWindowInDays, force);
  }

  async restore(auth: Auth, target: Target): Promise<Result<Identity>> {
    return this.lifecycle.restore(auth, target);
  }

  async tag(auth: Auth, target: Target, tags: TagPair[]): Promise<Result<Identity>> {
    return this.tagging.tag(auth, target, tags);
  }

  async untag(auth: Auth, target: Target, keys: string[]): Promise<Result<Identity>> {
    return this.tagging.untag(auth, target, keys);
  }

  // ---- rotation (rotation-requests.ts; the steps: rotation.ts) ----

  async rotate(auth: Auth, target: Target, request: RotateRequest): Promise<Result<WriteResult>> {
    return this.rotations.rotate(auth, target, request);
  }

  async cancelRotation(auth: Auth, target: Target): Promise<Result<WriteResult>> {
    return this.rotations.cancelRotation(auth, target);
  }

  /** What a rotation function reads and writes of its own secret (rotation-secrets.ts), as a caller would. */
  private ownSecret() {
    return {
      getValue: this.getValue.bind(this),
      putValue: this.putValue.bind(this),
      updateStage: this.updateStage.bind(this),
    };
  }

  // ---- resource policy (policies.ts) ----

  async getPolicy(auth: Auth, target: Target): Promise<Result<PolicyView>> {
    return this.policies.get(auth, target);
  }

  // Through commit (a nested transaction): a policy change reaches the replicas like any other.
  async putPolicy(auth: Auth, target: Target, text: string, blockPublic: boolean): Promise<Result<Identity>> {
    return this.commits.commit(() => this.policies.put(auth, target, text, blockPublic), auth);
  }

  async deletePolicy(auth: Auth, target: Target): Promise<Result<Identity>> {
    return this.commits.commit(() => this.policies.remove(auth, target), auth);
  }

  async validatePolicy(auth: Auth, target: Target, text: string): Promise<Result<PolicyValidation>> {
    return this.policies.validate(auth, target, text);
  }

  // ---- replication (replication-requests.ts) ----

  async replicate(auth: Auth, target: Target, regions: ReplicaRegion[], overwrite: boolean): Promise<Result<ReplicationResult>> {
    return this.replicas.replicate(auth, target, regions, overwrite);
  }

  async removeRegions(auth: Auth, target: Target, regions: string[]): Promise<Result<ReplicationResult>> {
    return this.replicas.removeRegions(auth, target, regions);
  }

  async promote(auth: Auth, target: Target): Promise<Result<Identity>> {
    return this.replicas.promote(auth, target);
  }

  async applyReplica(snapshot: ReplicaSnapshot): Promise<ReplicaAck> {
    return this.replicas.applyReplica(snapshot);
  }

  async dropReplica(primaryArn: string, epoch: number): Promise<void> {
    return this.replicas.dropReplica(primaryArn, epoch);
  }

  async forgetReplica(region: string, replicaArn: string): Promise<number> {
    return this.replicas.forgetReplica(region, replicaArn);
  }

  /** The object of this secret's ARN (in any region). */
  private objectOf(arn: string) {
    return objectAt(this.env.SECRETS, parseSecretId(arn, { accountId: "", region: "" }));
  }

  // ---- index and alarm ----

  /** This object's index row as it would write it now (null without a secret), its queued index updates, and how many
   *  answers were given before their index update landed. */
  async indexSnapshot(): Promise<{ row: IndexRow | null; pending: number; lagged: number }> {
    const s = this.store.secret();
    return { row: s ? this.index.snapshot(s) : null, pending: this.index.pending(), lagged: this.outbox.lagged };
  }

  /** The cron sweeper's check of one index row against this object (IndexSync.repair). */
  async repairIndex(indexed: { arn: string; state: string }): Promise<IndexRepair> {
    return this.index.repair(indexed);
  }

  /** Runs every duty that is due (scheduler.ts). */
  override async alarm(): Promise<void> {
    // Delivered entries go first, so the alarm is re-armed for what is still owed (an early alarm's chore).
    if (this.store.written) this.outbox.compact();
    await this.scheduler.runDue(true);
  }

  /** The cron sweeper's poke, for an alarm that was missed. Idempotent. */
  async sweep(): Promise<void> {
    await this.scheduler.runDue(false);
  }

  /** The cron sweeper's wake-up for a due rotation whose alarm was missed: arms the alarm (the rotation runs there). */
  async wake(): Promise<void> {
    if (this.store.written) await this.scheduler.start();
  }
}
