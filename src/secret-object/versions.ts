// The object's version bookkeeping: adding a sealed version with its label moves, idempotent ClientRequestToken
// repeats, pruning of deprecated versions, and LastAccessedDate. Called by SecretObject inside its transactions.
import { type Result, fail, ok } from "../domain/result";
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, attachNewVersion, labelsByVersion } from "../domain/stages";
import { type DomainError, exists, invalidRequest, tokenInUse } from "../domain/errors";
import type { AuditLog } from "./audit-log";
import type { IndexSync } from "./index-sync";
import type { SecretRow, Store, VersionRow } from "./store";
import type { CreateInput, SecretValue, WriteResult } from "./types";
import type { Sealed, Vault } from "./vault";

const DAY = 86_400_000;
const KEEP_VERSIONS = 100;
/** AWS's quota: 100 versions per secret; versions younger than a day are never pruned, so they are what it bounds. */
export const MAX_YOUNG_VERSIONS = 100;

export class Versions {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly index: IndexSync,
    private readonly storage: DurableObjectStorage,
    private readonly audit: AuditLog,
  ) {}

  /** A ClientRequestToken already used: the same value is a no-op, a different value an error. */
  async repeatedToken(s: SecretRow, versionId: string, value: SecretValue): Promise<Result<WriteResult> | undefined> {
    const version = this.store.version(versionId);
    // A rotation's placeholder is filled by the put that names its token, not treated as a repeat.
    if (!version || version.empty) return undefined;
    if (await this.vault.matches(s.arn, version, value)) {
      return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.labelsOf(versionId) });
    }
    return fail(tokenInUse(versionId, s.arn));
  }

  /** CreateSecret of a name that exists: scheduled for deletion (E5), an idempotent retry, or ResourceExists (E4/E6). */
  async repeatedCreate(s: SecretRow, input: CreateInput): Promise<Result<WriteResult>> {
    if (s.deletedAt !== null) {
      return fail(invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion."));
    }
    if (input.versionId && input.value && this.store.version(input.versionId)) {
      const repeated = await this.repeatedToken(s, input.versionId, input.value);
      if (repeated?.ok) return ok({ arn: s.arn, name: s.name, versionId: input.versionId });
      if (repeated) return repeated;
    }
    return fail(exists(s.name));
  }

  /** Inside a transaction, for a token that appeared while the value was being sealed: compared by keyed hash
   *  (undefined: no such version, or a placeholder to fill). */
  sameHashResult(s: SecretRow, versionId: string, hash: string): Result<WriteResult> | undefined {
    const version = this.store.version(versionId);
    if (!version || version.empty) return undefined;
    if (version.valueHash !== hash) return fail(tokenInUse(versionId, s.arn));
    return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.labelsOf(versionId) });
  }

  /** Inserts a sealed version, moves labels onto it and queues the index update. Call inside a transaction. */
  add(sealed: Sealed, now: number, requested: string[] | undefined, touchChanged = true): void {
    const row = { versionId: sealed.versionId, kmsKeyId: sealed.kekId, kind: sealed.kind, envelope: sealed.envelope, valueHash: sealed.hash };
    // A rotation's placeholder (the token's empty version) is filled in place.
    if (this.store.version(sealed.versionId)?.empty) this.store.fillVersion(row);
    else this.store.insertVersion({ ...row, createdAt: now, lastAccessedDay: null });
    const stages = this.store.stages();
    // The first version of a secret always becomes AWSCURRENT (PutSecretValue docs).
    const labels = requested && !stages.has(AWSCURRENT) && !requested.includes(AWSCURRENT) ? [...requested, AWSCURRENT] : requested;
    this.store.replaceStages(attachNewVersion(stages, sealed.versionId, labels));
    if (touchChanged) this.store.updateSecret({ lastChangedAt: now });
    this.prune();
    this.index.enqueueSnapshot();
  }

  /** LimitExceededException when the secret already holds MAX_YOUNG_VERSIONS versions younger than a day. */
  quotaExceeded(now: number): DomainError | undefined {
    if (this.store.versionsSince(now - DAY) < MAX_YOUNG_VERSIONS) return undefined;
    return {
      code: "LimitExceededException",
      message: `You can't create more than ${MAX_YOUNG_VERSIONS} versions of a secret within 24 hours: versions younger than 24 hours are never removed.`,
    };
  }

  /** UpdateSecret with a new KMS key re-encrypts the versions labelled AWSCURRENT, AWSPENDING and AWSPREVIOUS. */
  labelled(): VersionRow[] {
    const stages = this.store.stages();
    const ids = new Set([AWSCURRENT, AWSPENDING, AWSPREVIOUS].map((l) => stages.get(l)).filter((v) => v !== undefined));
    return [...ids].map((id) => this.store.version(id)!).filter((v) => !v.empty);
  }

  labelsOf(versionId: string): string[] {
    return labelsByVersion(this.store.stages()).get(versionId) ?? [];
  }

  /** Versions without labels beyond the newest 100, never one younger than a day; each leaves its deletion events. */
  prune(): void {
    const pruned = this.store.pruneDeprecated(KEEP_VERSIONS, Date.now() - DAY);
    const s = pruned.length > 0 ? this.store.secret() : undefined;
    if (!s) return;
    this.audit.versions("StartSecretVersionDelete", s, pruned);
    this.audit.versions("EndSecretVersionDelete", s, pruned);
  }

  /** LastAccessedDate has day resolution, so at most one write per version per day. */
  recordAccess(s: SecretRow, versionId: string, versionDay: number | null): void {
    const today = Math.floor(Date.now() / DAY) * DAY;
    if (s.lastAccessedAt === today && versionDay === today) return;
    this.storage.transactionSync(() => {
      this.store.touchVersion(versionId, today);
      if (s.lastAccessedAt !== today) {
        this.store.updateSecret({ lastAccessedAt: today });
        this.index.enqueueSnapshot();
      }
    });
    if (s.lastAccessedAt !== today) void this.index.afterCommit();
  }
}
