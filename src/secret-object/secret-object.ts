// The Durable Object that owns one secret: every RPC method is a state transition committed in one SQLite
// transaction, together with the outbox entries it queues (the D1 index's snapshot, the call's audit record), and
// answered once the index and the trail hold them (read-your-writes, bounded: outbox.ts). Each method first judges the caller (authz/secret.ts) against the
// state it is about to act on. Errors come back as Results. Timed work runs from the one alarm (scheduler.ts).
import { DurableObject } from "cloudflare:workers";
import { DEFAULT_KEY_NAME } from "../crypto/keys";
import { type Result, fail, ok } from "../domain/result";
import { buildArn } from "../domain/secret-id";
import { type TagPair, dedupeTags, tagRuleViolation } from "../domain/tags";
import { AWSCURRENT, AWSPENDING, labelsByVersion, updateStage } from "../domain/stages";
import type { Env } from "../env";
import type { IndexRow } from "../domain/secret-fields";
import { metrics } from "../observability/metrics";
import { indexDestination } from "../outbox/index-destination";
import { Access } from "./access";
import { type Auth, judge } from "../authz/secret";
import { invalidParameter, invalidRequest, notFound, primaryHasReplicas, tokenInUse } from "../domain/errors";
import { type IndexRepair, IndexSync } from "./index-sync";
import { Outbox } from "./outbox";
import { Policies } from "./policies";
import { type RotateRequest, Rotation, NOT_COMPLETE } from "./rotation";
import { objectSecrets } from "./rotation-secrets";
import { type ServiceEventName, serviceEventRecord } from "../audit/record";
import { toEntry } from "../audit/events-db";
import { AuditLog } from "./audit-log";
import { auditDestination } from "../outbox/audit-destination";
import { type Duty, Scheduler } from "./scheduler";
import { type SecretRow, Store, type VersionRow } from "./store";
import type {
  CreateInput, DeletionResult, Identity, PolicyValidation, PolicyView, SecretValue, SecretView, Target, ValueView, VersionPage, WriteResult,
} from "./types";
import { type Sealed, Vault } from "./vault";
import { arnInRegion, parseSecretId } from "../domain/secret-id";
import { objectAt } from "./object-at";
import { Replica, isReplica, primaryArnOf } from "./replica";
import { ReplicaRows } from "./replica-rows";
import type { ReplicaAck, ReplicaSnapshot } from "./replica-sync";
import { Replication } from "./replication";
import type { ReplicaRegion, ReplicationResult } from "./types";
import { Versions } from "./versions";
import { secretView, versionView } from "./views";

const DAY = 86_400_000;

/** What a mutation returns when it must be prepared again (SecretObject.commit). */
const STALE = Symbol("stale");

/**
 * The KmsKeyId a secret records: none for the default key, however it was named (DescribeSecret and ListSecrets omit
 * KmsKeyId for aws/secretsmanager), else the name the caller gave.
 */
function recordedKey(resolved: string, requested: string | undefined): string | null {
  return resolved === DEFAULT_KEY_NAME || !requested ? null : requested;
}

function sameVersions(a: readonly VersionRow[], b: readonly VersionRow[]): boolean {
  return a.length === b.length && a.every((v, i) => v.versionId === b[i]!.versionId);
}

export type { IndexRepair } from "./index-sync";

export class SecretObject extends DurableObject<Env> {
  private readonly store: Store;
  private readonly vault: Vault;
  private readonly outbox: Outbox;
  private readonly index: IndexSync;
  private readonly scheduler: Scheduler;
  private readonly versions: Versions;
  private readonly access: Access;
  private readonly policies: Policies;
  private readonly rotation: Rotation;
  private readonly replication: Replication;
  private readonly replica: Replica;
  private readonly auditLog: AuditLog;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new Store(ctx.storage.sql);
    // Bindings are read at use, not captured, so tests can swap them on a live instance.
    this.vault = new Vault(() => this.env.KMS_KEYS);
    const replicaRows = new ReplicaRows(ctx.storage.sql);
    this.replication = new Replication(
      this.store, replicaRows, this.vault, () => this.outbox, (arn) => this.objectOf(arn),
      () => (this.env.REPLICA_REGIONS_UNAVAILABLE ?? "").split(",").map((r) => r.trim()).filter(Boolean),
      () => metrics(this.env),
    );
    this.outbox = new Outbox(
      this.store, [indexDestination(() => this.env.DB), auditDestination(() => this.env, ctx.id.toString())], () => this.scheduler.rearm(),
      [this.replication.family()], () => metrics(this.env),
    );
    this.auditLog = new AuditLog(this.store, this.outbox);
    this.index = new IndexSync(this.store, this.outbox, ctx.storage, () => this.settle());
    this.rotation = new Rotation(this.store, () => ctx.storage.sql, {
      transaction: (change) => ctx.storage.transactionSync(() => {
        change();
        this.replicateChange();
      }),
      functions: () => this.env.ROTATION_FUNCTIONS,
      bindings: () => this.env as unknown as Record<string, unknown>,
      secrets: (s) => objectSecrets(s, { ...this.ownSecret(), stages: () => this.store.stages() }, this.env),
      enqueueSnapshot: () => this.index.enqueueSnapshot(),
      settle: () => this.settle(),
      rearm: () => this.scheduler.rearm(),
      audit: (eventName, s, versionId, errorMessage) => this.audit(eventName, s, versionId, errorMessage),
      metrics: () => metrics(this.env),
    });
    this.scheduler = new Scheduler(ctx.storage, [this.deletionDuty(), ...this.outbox.duties(), this.rotation.duty()]);
    this.versions = new Versions(this.store, this.vault, this.index, ctx.storage, this.auditLog);
    this.access = new Access(this.store, this.vault);
    this.policies = new Policies(this.store, this.access, ctx.storage);
    this.replica = new Replica(this.store, replicaRows, this.index);
    // An object that never held a secret has nothing scheduled and reads no alarm.
    if (this.store.written) void ctx.blockConcurrencyWhile(() => this.scheduler.start());
  }

  async create(auth: Auth, input: CreateInput): Promise<Result<WriteResult>> {
    const arn = buildArn(input.region, input.accountId, input.name, input.suffix);
    // Judged against the ARN the secret would get, by the identity policy alone (no resource policy exists yet).
    const denied = judge(auth, { arn });
    if (denied) return fail(denied);
    const kekId = this.vault.resolveKey(input.kmsKeyId);
    if (!kekId.ok) return kekId;
    const existing = this.store.secret();
    if (existing) return this.versions.repeatedCreate(existing, input);

    const now = Date.now();
    const sealed = input.value && (await this.vault.seal(arn, kekId.value, input.versionId!, input.value));
    const created = await this.commit(() => {
      if (this.store.secret()) return STALE;
      this.store.write();
      const tags = dedupeTags(input.tags ?? []);
      const violation = tagRuleViolation(tags.map((t) => t.Key));
      if (violation) return fail(violation);
      this.store.insertSecret({
        accountId: input.accountId, region: input.region, name: input.name, arn,
        description: input.description ?? null, kmsKeyId: recordedKey(kekId.value, input.kmsKeyId), type: input.type ?? null,
        createdAt: now, lastChangedAt: now, lastAccessedAt: null, resourcePolicy: null, deletedAt: null, deletionAt: null,
        tagsSet: tags.length > 0, revision: 1, primaryRegion: null,
      });
      this.store.putTags(tags);
      // Within the limit: checked with the request (operations/replicas.ts), and a new secret has no replicas yet.
      if (input.replicaRegions) this.replication.add(this.store.secret()!, input.replicaRegions, input.forceOverwriteReplicaSecret ?? false);
      if (sealed) this.versions.add(sealed, now, undefined);
      else this.index.enqueueSnapshot();
      const replicationStatus = input.replicaRegions && this.replication.statuses();
      return ok({ arn, name: input.name, versionId: sealed?.versionId, replicationStatus });
    }, auth);
    // Another CreateSecret of this name (perhaps this request's own retry) committed while the value was sealed:
    // run again, so it is judged as a repeat like any later one (the same success, E4, E5 or E6). A hash cannot
    // decide it here: values are hashed with the ARN, and each attempt drew its own ARN suffix.
    return created === STALE ? this.create(auth, input) : created;
  }

  async getValue(auth: Auth, target: Target, versionId?: string, stage?: string): Promise<Result<ValueView>> {
    const secret = this.access.active(auth, target);
    if (!secret.ok) return secret;
    const s = secret.value;
    const foreign = this.access.foreignDefaultKey(auth, s);
    if (foreign) return foreign;
    const stages = this.store.stages();
    const chosen = versionId ?? stages.get(stage ?? AWSCURRENT);
    const version = chosen === undefined ? undefined : this.store.version(chosen);
    // The placeholder of a rotation in flight has no value yet: GetSecretValue finds none, as on AWS.
    if (!version || version.empty) {
      const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage ?? AWSCURRENT}`;
      return fail({ code: "ResourceNotFoundException", message: `Secrets Manager can't find the specified secret value for ${what}` });
    }
    const labels = labelsByVersion(stages).get(version.versionId) ?? [];
    if (stage !== undefined && !labels.includes(stage)) {
      return fail(invalidRequest("You provided a VersionStage that is not associated to the provided VersionId."));
    }
    // Decided on the state read above: the value returned is the version that state named.
    const value = await this.vault.open(s.arn, version);
    if (!value.ok) return value;
    this.versions.recordAccess(s, version.versionId, version.lastAccessedDay);
    return ok({
      arn: s.arn, name: s.name, versionId: version.versionId, value: value.value,
      // A deprecated version has no labels: the field is omitted, as AWS omits empty fields (the model's minimum is 1).
      versionStages: labels.length > 0 ? labels : undefined, createdAt: version.createdAt,
    });
  }

  async putValue(auth: Auth, target: Target, versionId: string, value: SecretValue, versionStages?: string[]): Promise<Result<WriteResult>> {
    const secret = this.access.writable(this.access.active(auth, target));
    if (!secret.ok) return secret;
    const s = secret.value;
    const foreign = this.access.foreignDefaultKey(auth, s);
    if (foreign) return foreign;
    const repeated = await this.versions.repeatedToken(s, versionId, value);
    if (repeated) return repeated;
    const kekId = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    if (!kekId.ok) return kekId;
    const sealed = await this.vault.seal(s.arn, kekId.value, versionId, value);
    const put = await this.commit(() => {
      const current = this.access.stillActive(auth, s);
      if (!current.ok) return current;
      const same = this.versions.sameHashResult(s, versionId, sealed.hash);
      if (same) return same;
      // An UpdateSecret changed the secret's key while the value was sealed: seal it again under the new key.
      if (current.value.kmsKeyId !== s.kmsKeyId) return STALE;
      // A rotation's placeholder is already counted: filling it adds no version.
      const quota = !this.store.version(versionId)?.empty && this.versions.quotaExceeded(Date.now());
      if (quota) return fail(quota);
      this.rotation.valueWritten(current.value, versionId, versionStages);
      this.versions.add(sealed, Date.now(), versionStages);
      return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.versions.labelsOf(versionId) });
    }, auth);
    return put === STALE ? this.putValue(auth, target, versionId, value, versionStages) : put;
  }

  async update(
    auth: Auth,
    target: Target,
    changes: { versionId?: string; value?: SecretValue; description?: string; kmsKeyId?: string; type?: string },
  ): Promise<Result<WriteResult>> {
    const secret = this.access.writable(this.access.active(auth, target));
    if (!secret.ok) return secret;
    const s = secret.value;
    if (Object.values(changes).every((v) => v === undefined)) return ok({ arn: s.arn, name: s.name });
    const { description, kmsKeyId, type } = changes;
    const metadata = description !== undefined || kmsKeyId !== undefined || type !== undefined;
    if (changes.value) {
      const foreign = this.access.foreignDefaultKey(auth, s);
      if (foreign) return foreign;
    }
    // A ClientRequestToken already used: a different value is E8; the same value adds no version, but the request's
    // Description, KmsKeyId and Type still apply.
    let value = changes.value;
    if (changes.value && changes.versionId) {
      const repeated = await this.versions.repeatedToken(s, changes.versionId, changes.value);
      if (repeated && (!repeated.ok || !metadata)) return repeated;
      if (repeated) value = undefined;
    }
    // Keys are compared resolved: another name of the key the secret already uses changes nothing. A stored key that
    // no longer resolves counts as changed when the request names one that does.
    const currentKey = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    const kekId = kmsKeyId === undefined ? currentKey : this.vault.resolveKey(kmsKeyId);
    if (!kekId.ok) return kekId;
    const keyChanged = kmsKeyId !== undefined && !(currentKey.ok && currentKey.value === kekId.value);
    const sealed = value && (await this.vault.seal(s.arn, kekId.value, changes.versionId!, value));
    const labelled = keyChanged ? this.versions.labelled() : [];
    const resealed = keyChanged ? await this.vault.reseal(s.arn, labelled, kekId.value) : ok([]);
    if (!resealed.ok) return resealed;

    const updated = await this.commit(() => {
      const current = this.access.stillActive(auth, s);
      if (!current.ok) return current;
      let added = sealed;
      const same = sealed && this.versions.sameHashResult(s, sealed.versionId, sealed.hash);
      if (same) {
        if (!same.ok || !metadata) return same;
        added = undefined;
      }
      // Another UpdateSecret changed the key, or labels moved to other versions, while this one sealed and re-encrypted:
      // run again on the new state, so no version is left under a key the secret no longer names.
      if (current.value.kmsKeyId !== s.kmsKeyId) return STALE;
      if (keyChanged && !sameVersions(this.versions.labelled(), labelled)) return STALE;
      const now = Date.now();
      const quota = added && this.versions.quotaExceeded(now);
      if (quota) return fail(quota);
      const meta: Partial<SecretRow> = { lastChangedAt: now };
      if (description !== undefined) meta.description = description;
      if (type !== undefined) meta.type = type;
      if (keyChanged) meta.kmsKeyId = recordedKey(kekId.value, kmsKeyId);
      for (const r of resealed.value) this.store.replaceEnvelope(r.versionId, kekId.value, r.envelope);
      this.store.updateSecret(meta);
      if (added) this.rotation.valueWritten(current.value, added.versionId, undefined);
      if (added) this.versions.add(added, now, undefined, false);
      else this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name, versionId: changes.value ? changes.versionId : undefined });
    }, auth);
    return updated === STALE ? this.update(auth, target, changes) : updated;
  }

  async updateStage(auth: Auth, target: Target, label: string, removeFrom?: string, moveTo?: string): Promise<Result<Identity>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      for (const versionId of [removeFrom, moveTo]) {
        if (versionId !== undefined && !this.store.version(versionId)) {
          return fail(invalidParameter(`The version ${versionId} does not exist for secret ${s.arn}.`));
        }
      }
      const next = updateStage(this.store.stages(), label, removeFrom, moveTo);
      if (!next.ok) return next;
      this.store.replaceStages(next.value);
      this.store.updateSecret({ lastChangedAt: Date.now() });
      this.versions.prune();
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  async describe(auth: Auth, target: Target): Promise<Result<SecretView>> {
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const view = secretView(secret.value, this.store.stages(), this.store.tags());
    if (secret.value.primaryRegion === secret.value.region) view.replicationStatus = this.replication.statuses();
    return ok(view);
  }

  async listVersions(auth: Auth, target: Target, includeDeprecated: boolean, maxResults = 100, after?: number): Promise<Result<VersionPage>> {
    // A metadata read like DescribeSecret: the model gives ListSecretVersionIds no InvalidRequestException, so it
    // also answers while the secret is scheduled for deletion.
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const byVersion = labelsByVersion(this.store.stages());
    // One row beyond the page tells whether another page follows.
    const listed = this.store.versionPage(after, includeDeprecated, maxResults + 1);
    const page = listed.slice(0, maxResults);
    const last = page.at(-1);
    return ok({
      arn: secret.value.arn,
      name: secret.value.name,
      versions: page.map((v) => versionView(v, byVersion.get(v.versionId))),
      nextBefore: listed.length > maxResults && last ? last.seq : undefined,
    });
  }

  async scheduleDeletion(auth: Auth, target: Target, recoveryWindowInDays: number | undefined, force: boolean): Promise<Result<DeletionResult>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.existing(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      // AWS: the replicas go first (RemoveRegionsFromReplication), then the primary.
      const regions = this.replication.regions();
      if (regions.length > 0) return fail(primaryHasReplicas(s.arn, regions));
      if (s.deletedAt !== null && !force) {
        return fail(invalidRequest("You tried to perform the operation on a secret that's currently marked deleted."));
      }
      const now = Date.now();
      // The service deletes each version: StartSecretVersionDelete now, EndSecretVersionDelete when it is gone.
      const versionIds = this.store.versionIds();
      if (s.deletedAt === null) this.auditLog.versions("StartSecretVersionDelete", s, versionIds);
      if (force) {
        this.store.purge();
        this.index.enqueueDelete(s.arn);
        this.auditLog.versions("EndSecretVersionDelete", s, versionIds);
        return ok({ arn: s.arn, name: s.name, deletionDate: now });
      }
      const deletionAt = now + (recoveryWindowInDays ?? 30) * DAY;
      this.store.updateSecret({ deletedAt: now, deletionAt });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name, deletionDate: deletionAt });
    }, auth);
  }

  async restore(auth: Auth, target: Target): Promise<Result<Identity>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.existing(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      if (s.deletedAt !== null) {
        this.store.updateSecret({ deletedAt: null, deletionAt: null });
        this.index.enqueueSnapshot();
        this.auditLog.versions("CancelSecretVersionDelete", s, this.store.versionIds());
      }
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  async tag(auth: Auth, target: Target, tags: TagPair[]): Promise<Result<Identity>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const merged = dedupeTags([...this.store.tags(), ...tags]);
      const violation = tagRuleViolation(merged.map((t) => t.Key));
      if (violation) return fail(violation);
      const lockout = this.access.lockout(auth, s, merged);
      if (lockout) return fail(lockout);
      this.store.putTags(dedupeTags(tags));
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  async untag(auth: Auth, target: Target, keys: string[]): Promise<Result<Identity>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const lockout = this.access.lockout(auth, s, this.store.tags().filter((t) => !keys.includes(t.Key)));
      if (lockout) return fail(lockout);
      this.store.deleteTags(keys);
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  // ---- rotation (rotation.ts) ----

  /**
   * RotateSecret: checks (E58, E59, an unfinished rotation), then the configuration, the AWSPENDING placeholder and
   * the rotation row in one transaction; the steps run from the alarm. RotateImmediately=false's placeholder holds
   * a copy of the current value (the test run's testSecret reads it).
   */
  async rotate(auth: Auth, target: Target, request: RotateRequest): Promise<Result<WriteResult>> {
    const secret = this.access.writable(this.access.active(auth, target));
    if (!secret.ok) return secret;
    const s = secret.value;
    const checked = this.rotation.target(s, request.lambdaArn, request.roleArn);
    if (!checked.ok) return checked;
    const existing = this.store.version(request.token);
    if (existing && this.rotation.row()?.token === request.token) return ok({ arn: s.arn, name: s.name, versionId: request.token });
    const kekId = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    if (!kekId.ok) return kekId;
    const currentId = this.store.stages().get(AWSCURRENT);
    const current = !request.immediately && currentId !== undefined ? this.store.version(currentId) : undefined;
    let copy: Sealed | undefined;
    if (current) {
      const value = await this.vault.open(s.arn, current);
      if (!value.ok) return value;
      copy = await this.vault.seal(s.arn, kekId.value, request.token, value.value);
    }
    // null: an unfinished rotation, whose reattempt this commit starts; answered with AWS's error.
    const started = await this.commit<WriteResult | null>(() => {
      const now = this.access.stillActive(auth, s);
      if (!now.ok) return now;
      if (this.store.version(request.token)) return fail(tokenInUse(request.token, s.arn));
      if (this.rotation.unfinished()) return ok(null);
      const quota = this.versions.quotaExceeded(Date.now());
      if (quota) return fail(quota);
      const sealed = copy;
      this.rotation.begin(now.value, request, kekId.value, sealed && (() => this.versions.add(sealed, Date.now(), [AWSPENDING], false)));
      return ok({ arn: s.arn, name: s.name, versionId: request.token });
    }, auth);
    if (!started.ok) return started;
    return started.value ? ok(started.value) : fail(invalidRequest(NOT_COMPLETE));
  }

  /** CancelRotateSecret: rotation off, rules kept; the token of a rotation that was in flight. */
  async cancelRotation(auth: Auth, target: Target): Promise<Result<WriteResult>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      if (s.rotationEnabled === null && !this.rotation.row()) return ok({ arn: s.arn, name: s.name });
      return ok({ arn: s.arn, name: s.name, versionId: this.rotation.cancel() });
    }, auth);
  }

  /** A service event in the audit trail; a trail that cannot take it is retried by the outbox, never holds up the rotation. */
  private audit(eventName: ServiceEventName, s: SecretRow, versionId: string, errorMessage?: string): void {
    const now = Date.now();
    const built = serviceEventRecord({
      eventName, eventTime: now, eventId: crypto.randomUUID(), requestId: `Rotation-${s.arn}-${crypto.randomUUID()}`,
      region: s.region, accountId: s.accountId, secretArn: s.arn, versionId, errorMessage,
    });
    // In the outbox like every record the object makes; delivered once the step's own transaction (if any) is over.
    this.ctx.storage.transactionSync(() => this.auditLog.service(toEntry(built, now)));
    void Promise.resolve().then(() => this.settle());
  }

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
    return this.commit(() => this.policies.put(auth, target, text, blockPublic), auth);
  }

  async deletePolicy(auth: Auth, target: Target): Promise<Result<Identity>> {
    return this.commit(() => this.policies.remove(auth, target), auth);
  }

  async validatePolicy(auth: Auth, target: Target, text: string): Promise<Result<PolicyValidation>> {
    return this.policies.validate(auth, target, text);
  }

  // ---- replication (replication.ts on a primary, replica.ts on a replica) ----

  /** ReplicateSecretToRegions: regions added (or started over); each replica is written by its own delivery. */
  async replicate(auth: Auth, target: Target, regions: ReplicaRegion[], overwrite: boolean): Promise<Result<ReplicationResult>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const replicas = this.replication.add(s, regions, overwrite);
      if (!replicas.ok) return replicas;
      const added = new Set(regions.map((r) => r.region));
      return ok({ arn: s.arn, name: s.name, replicationStatus: this.replication.statuses().filter((r) => added.has(r.region)) });
    }, auth);
  }

  /** RemoveRegionsFromReplication: the replicas are deleted by their destinations' next delivery. */
  async removeRegions(auth: Auth, target: Target, regions: string[]): Promise<Result<ReplicationResult>> {
    return await this.commit(() => {
      const secret = this.access.writable(this.access.existing(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      this.replication.remove(s, regions);
      return ok({ arn: s.arn, name: s.name, replicationStatus: this.replication.statuses() });
    }, auth);
  }

  /** StopReplicationToReplica, in the replica's region: the primary forgets it first, then it stands alone. */
  async promote(auth: Auth, target: Target): Promise<Result<Identity>> {
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const s = secret.value;
    if (!isReplica(s)) return fail(invalidParameter("StopReplicationToReplica can only be called on a replica secret, in its Region."));
    let epoch: number;
    try {
      epoch = await this.objectOf(primaryArnOf(s)).forgetReplica(s.region, s.arn);
    } catch (error) {
      console.error(JSON.stringify({ event: "promote_failed", arn: s.arn, error: String(error) }));
      return fail({ code: "InternalServiceError", message: "The primary secret could not be reached; the replica was not promoted. Try again." });
    }
    return await this.commit(() => {
      const current = this.store.secret();
      if (current?.arn !== s.arn || !isReplica(current)) return fail(notFound());
      // Deliveries the primary sent before it forgot this replica may still arrive: they are refused from here on.
      this.replica.promote(primaryArnOf(current), epoch);
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  /** Called by a primary's delivery (replica-sync.ts). */
  async applyReplica(snapshot: ReplicaSnapshot): Promise<ReplicaAck> {
    const answer = this.replica.check(snapshot);
    if (answer) return answer;
    const applied = await this.commit(() => ok(this.replica.apply(snapshot)));
    return applied.ok ? applied.value : { missing: snapshot.versionIds };
  }

  /** Called by a primary's delivery after its region was removed (also where no replica was created yet). */
  async dropReplica(primaryArn: string, epoch: number): Promise<void> {
    await this.commit(() => ok(this.replica.drop(primaryArn, epoch)));
  }

  /** Called by a replica being promoted; answers the newest epoch of any delivery this object has sent. */
  async forgetReplica(region: string, replicaArn: string): Promise<number> {
    if (!this.store.written) return 0;
    const forgotten = await this.commit(() => {
      const s = this.store.secret();
      if (s && arnInRegion(s.arn, region) === replicaArn) this.replication.forget(s, region);
      return ok(this.replication.epoch());
    });
    return forgotten.ok ? forgotten.value : 0;
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

  /** Purges the secret at its deletion deadline; the index learns of it through the outbox. */
  private deletionDuty(): Duty {
    return {
      name: "deletion",
      dueAt: () => this.store.secret()?.deletionAt ?? undefined,
      run: async () => {
        const s = this.store.secret();
        if (s?.deletionAt == null || s.deletionAt > Date.now()) return;
        this.ctx.storage.transactionSync(() => {
          this.outbox.compact();
          const versionIds = this.store.versionIds();
          this.store.purge();
          this.index.enqueueDelete(s.arn);
          this.auditLog.versions("EndSecretVersionDelete", s, versionIds);
        });
        await this.settle();
        this.outbox.compact();
      },
    };
  }

  /**
   * Runs a mutation in one transaction, with the record of the call that asked for it (`auth`); on success, re-arms
   * the alarm and answers once the index holds the change (bounded). A mutation returns STALE, having written nothing, when the state it was prepared against changed
   * during its awaits.
   */
  private async commit<T>(mutation: () => Result<T>, auth?: Auth): Promise<Result<T>>;
  private async commit<T>(mutation: () => Result<T> | typeof STALE, auth?: Auth): Promise<Result<T> | typeof STALE>;
  private async commit<T>(mutation: () => Result<T> | typeof STALE, auth?: Auth): Promise<Result<T> | typeof STALE> {
    const result = this.ctx.storage.transactionSync(() => {
      const m = mutation();
      // A caller's successful change commits with its record (audit-log.ts).
      const r = m === STALE ? m : this.auditLog.called(auth?.audit, m);
      if (r !== STALE && r.ok) this.replicateChange();
      // Delivered outbox entries are deleted by the next commit that writes anyway: no storage write of their own.
      if (r !== STALE && r.ok && this.store.written) this.outbox.compact();
      return r;
    });
    if (result !== STALE && result.ok) await this.settle();
    return result;
  }

  /** Every change of a primary is queued for its replicas (replication.ts). Call inside the change's transaction. */
  private replicateChange(): void {
    const s = this.store.written ? this.store.secret() : undefined;
    if (s && !isReplica(s)) this.replication.changed(s);
  }

  private async settle(): Promise<void> {
    this.scheduler.rearm();
    await this.outbox.settle();
  }
}
