// A secret's life: CreateSecret, DeleteSecret (scheduled or forced), RestoreSecret, and the duty that purges it at
// its deletion deadline. Each change goes through the one commit path (commits.ts).
import { type Auth, judge } from "../authz/secret";
import { invalidRequest, primaryHasReplicas } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import { buildArn } from "../domain/secret-id";
import { dedupeTags, tagRuleViolation } from "../domain/tags";
import type { Access } from "./access";
import type { AuditLog } from "./audit-log";
import { type Commits, STALE } from "./commits";
import type { IndexSync } from "./index-sync";
import type { Outbox } from "./outbox";
import type { Replication } from "./replication";
import type { Duty } from "./scheduler";
import type { Store } from "./store";
import type { CreateInput, DeletionResult, Identity, Target, WriteResult } from "./types";
import { type Vault, recordedKey } from "./vault";
import type { Versions } from "./versions";

const DAY = 86_400_000;

export class Lifecycle {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly versions: Versions,
    private readonly index: IndexSync,
    private readonly access: Access,
    private readonly replication: Replication,
    private readonly auditLog: AuditLog,
    private readonly outbox: Outbox,
    private readonly commits: Commits,
    private readonly storage: DurableObjectStorage,
  ) {}

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
    const created = await this.commits.commit(() => {
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

  async scheduleDeletion(auth: Auth, target: Target, recoveryWindowInDays: number | undefined, force: boolean): Promise<Result<DeletionResult>> {
    return await this.commits.commit(() => {
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
    return await this.commits.commit(() => {
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

  /** Purges the secret at its deletion deadline; the index learns of it through the outbox. */
  deletionDuty(): Duty {
    return {
      name: "deletion",
      dueAt: () => this.store.secret()?.deletionAt ?? undefined,
      run: async () => {
        const s = this.store.secret();
        if (s?.deletionAt == null || s.deletionAt > Date.now()) return;
        this.storage.transactionSync(() => {
          this.outbox.compact();
          const versionIds = this.store.versionIds();
          this.store.purge();
          this.index.enqueueDelete(s.arn);
          this.auditLog.versions("EndSecretVersionDelete", s, versionIds);
        });
        await this.commits.settle();
        this.outbox.compact();
      },
    };
  }
}
