// The Durable Object that owns one secret: every RPC method is a state transition committed in one SQLite
// transaction, together with the index entry it queues for D1 (the outbox). Errors come back as Results.
import { DurableObject } from "cloudflare:workers";
import { type Result, fail, ok } from "../domain/result";
import { buildArn } from "../domain/secret-id";
import { tagRuleViolation } from "../domain/tags";
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, attachNewVersion, labelsByVersion, updateStage } from "../domain/stages";
import type { Env } from "../env";
import { type IndexRow, snapshotState } from "../index-db/secrets-index";
import { markedForDeletion, notFound } from "../protocol/errors";
import { exists, invalidParameter, invalidRequest, tokenInUse } from "./errors";
import { IndexOutbox } from "./index-outbox";
import { migrate } from "./schema";
import { type SecretRow, Store, type TagPair } from "./store";
import type {
  CreateInput, DeletionResult, Identity, SecretValue, SecretView, Target, ValueView, VersionPage, WriteResult,
} from "./types";
import { type Sealed, Vault } from "./vault";
import { secretView, versionView } from "./views";

const DAY = 86_400_000;
const KEEP_VERSIONS = 100;

/** What repairIndex found: the row agreed, updates were still queued (now re-applied), or the row was repaired. */
export type IndexRepair = "in-sync" | "pending" | "repaired";

export class SecretObject extends DurableObject<Env> {
  private readonly store: Store;
  private readonly vault: Vault;
  private readonly index: IndexOutbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new Store(ctx.storage.sql);
    // Bindings are read at use, not captured, so tests can swap them on a live instance.
    this.vault = new Vault(() => this.env.KMS_KEYS);
    this.index = new IndexOutbox(this.store, ctx.storage, () => this.env.DB);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql));
  }

  async create(input: CreateInput): Promise<Result<WriteResult>> {
    const kekId = this.vault.resolveKey(input.kmsKeyId);
    if (!kekId.ok) return kekId;
    const existing = this.store.secret();
    if (existing) return this.repeatedCreate(existing, input);

    const now = Date.now();
    const arn = buildArn(input.region, input.accountId, input.name, input.suffix);
    const sealed = input.value && (await this.vault.seal(arn, kekId.value, input.versionId!, input.value));
    return this.commit(() => {
      if (this.store.secret()) return fail(exists(input.name));
      const tags = dedupeTags(input.tags ?? []);
      const violation = tagRuleViolation(tags.map((t) => t.Key));
      if (violation) return fail(violation);
      this.store.insertSecret({
        accountId: input.accountId, region: input.region, name: input.name, arn,
        description: input.description ?? null, kmsKeyId: input.kmsKeyId || null, type: input.type ?? null,
        createdAt: now, lastChangedAt: now, lastAccessedDay: null, deletedAt: null, deletionAt: null,
        tagsSet: tags.length > 0, revision: 1,
      });
      this.store.putTags(tags);
      if (sealed) this.addVersion(sealed, now, undefined);
      else this.index.enqueueSnapshot();
      return ok({ arn, name: input.name, versionId: sealed?.versionId });
    });
  }

  async getValue(target: Target, versionId?: string, stage?: string): Promise<Result<ValueView>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    const stages = this.store.stages();
    const chosen = versionId ?? stages.get(stage ?? AWSCURRENT);
    const version = chosen === undefined ? undefined : this.store.version(chosen);
    if (!version) {
      const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage ?? AWSCURRENT}`;
      return fail({ code: "ResourceNotFoundException", message: `Secrets Manager can't find the specified secret value for ${what}` });
    }
    const labels = labelsByVersion(stages).get(version.versionId) ?? [];
    if (stage !== undefined && !labels.includes(stage)) {
      return fail(invalidRequest("You provided a VersionStage that is not associated to the provided VersionId."));
    }
    const value = await this.vault.open(s.arn, version);
    if (!value.ok) return value;
    this.recordAccess(s, version.versionId, version.lastAccessedDay);
    return ok({
      arn: s.arn, name: s.name, versionId: version.versionId, value: value.value,
      versionStages: labels, createdAt: version.createdAt,
    });
  }

  async putValue(target: Target, versionId: string, value: SecretValue, versionStages?: string[]): Promise<Result<WriteResult>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    const repeated = await this.repeatedToken(s, versionId, value);
    if (repeated) return repeated;
    const kekId = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    if (!kekId.ok) return kekId;
    const sealed = await this.vault.seal(s.arn, kekId.value, versionId, value);
    return this.commit(() => {
      const current = this.stillActive(s);
      if (!current.ok) return current;
      if (this.store.version(versionId)) return this.sameHashResult(s, versionId, sealed.hash);
      this.addVersion(sealed, Date.now(), versionStages);
      return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.labelsOf(versionId) });
    });
  }

  async update(
    target: Target,
    changes: { versionId?: string; value?: SecretValue; description?: string; kmsKeyId?: string; type?: string },
  ): Promise<Result<WriteResult>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    if (Object.values(changes).every((v) => v === undefined)) return ok({ arn: s.arn, name: s.name });
    if (changes.value && changes.versionId) {
      const repeated = await this.repeatedToken(s, changes.versionId, changes.value);
      if (repeated) return repeated;
    }
    const keyChanged = changes.kmsKeyId !== undefined && (changes.kmsKeyId || null) !== s.kmsKeyId;
    const kekId = this.vault.resolveKey(keyChanged ? changes.kmsKeyId : (s.kmsKeyId ?? undefined));
    if (!kekId.ok) return kekId;
    const sealed = changes.value && (await this.vault.seal(s.arn, kekId.value, changes.versionId!, changes.value));
    const resealed = keyChanged ? await this.vault.reseal(s.arn, this.labelledVersions(), kekId.value) : ok([]);
    if (!resealed.ok) return resealed;

    return this.commit(() => {
      const current = this.stillActive(s);
      if (!current.ok) return current;
      if (sealed && this.store.version(sealed.versionId)) return this.sameHashResult(s, sealed.versionId, sealed.hash);
      const now = Date.now();
      const meta: Partial<SecretRow> = { lastChangedAt: now };
      if (changes.description !== undefined) meta.description = changes.description;
      if (changes.type !== undefined) meta.type = changes.type;
      if (keyChanged) meta.kmsKeyId = changes.kmsKeyId || null;
      for (const r of resealed.value) this.store.replaceEnvelope(r.versionId, kekId.value, r.envelope);
      this.store.updateSecret(meta);
      if (sealed) this.addVersion(sealed, now, undefined, false);
      else this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name, versionId: sealed?.versionId });
    });
  }

  async updateStage(target: Target, label: string, removeFrom?: string, moveTo?: string): Promise<Result<Identity>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    return this.commit(() => {
      for (const versionId of [removeFrom, moveTo]) {
        if (versionId !== undefined && !this.store.version(versionId)) {
          return fail(invalidParameter(`The version ${versionId} does not exist for secret ${s.arn}.`));
        }
      }
      const next = updateStage(this.store.stages(), label, removeFrom, moveTo);
      if (!next.ok) return next;
      this.store.replaceStages(next.value);
      this.store.updateSecret({ lastChangedAt: Date.now() });
      this.prune();
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    });
  }

  async describe(target: Target): Promise<Result<SecretView>> {
    const secret = this.existing(target);
    if (!secret.ok) return secret;
    return ok(secretView(secret.value, this.store.stages(), this.store.tags()));
  }

  async listVersions(target: Target, includeDeprecated: boolean, maxResults = 100, after?: number): Promise<Result<VersionPage>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    const byVersion = labelsByVersion(this.store.stages());
    const listed = this.store
      .versions()
      .filter((v) => (after === undefined || v.seq < after) && (includeDeprecated || byVersion.has(v.versionId)));
    const page = listed.slice(0, maxResults);
    const last = page.at(-1);
    return ok({
      arn: secret.value.arn,
      name: secret.value.name,
      versions: page.map((v) => versionView(v, byVersion.get(v.versionId))),
      nextBefore: listed.length > maxResults && last ? last.seq : undefined,
    });
  }

  async scheduleDeletion(target: Target, recoveryWindowInDays: number | undefined, force: boolean): Promise<Result<DeletionResult>> {
    const secret = this.existing(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    if (s.deletedAt !== null && !force) {
      return fail(invalidRequest("You tried to perform the operation on a secret that's currently marked deleted."));
    }
    const now = Date.now();
    return this.commit(() => {
      if (force) {
        this.store.purge();
        this.index.enqueue({ op: "delete", arn: s.arn });
        return ok({ arn: s.arn, name: s.name, deletionDate: now });
      }
      const deletionAt = now + (recoveryWindowInDays ?? 30) * DAY;
      this.store.updateSecret({ deletedAt: now, deletionAt });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name, deletionDate: deletionAt });
    });
  }

  async restore(target: Target): Promise<Result<Identity>> {
    const secret = this.existing(target);
    if (!secret.ok) return secret;
    const s = secret.value;
    return this.commit(() => {
      if (s.deletedAt !== null) {
        this.store.updateSecret({ deletedAt: null, deletionAt: null });
        this.index.enqueueSnapshot();
      }
      return ok({ arn: s.arn, name: s.name });
    });
  }

  async tag(target: Target, tags: TagPair[]): Promise<Result<Identity>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    return this.commit(() => {
      const violation = tagRuleViolation([...this.store.tags(), ...tags].map((t) => t.Key));
      if (violation) return fail(violation);
      this.store.putTags(dedupeTags(tags));
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: secret.value.arn, name: secret.value.name });
    });
  }

  async untag(target: Target, keys: string[]): Promise<Result<Identity>> {
    const secret = this.active(target);
    if (!secret.ok) return secret;
    return this.commit(() => {
      this.store.deleteTags(keys);
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: secret.value.arn, name: secret.value.name });
    });
  }

  /** This object's index row as it would write it now (null without a secret), and its queued index updates. */
  async indexSnapshot(): Promise<{ row: IndexRow | null; pending: number }> {
    const s = this.store.secret();
    return { row: s ? this.index.snapshot(s) : null, pending: this.index.pending() };
  }

  /**
   * The cron sweeper's check of one index row (its ARN and snapshotState) against this object, the truth:
   * re-applies index updates still queued, else re-sends the current snapshot (forced past the revision guard)
   * when the row disagrees with it, or removes the row when it is not this object's current incarnation.
   */
  async repairIndex(indexed: { arn: string; state: string }): Promise<IndexRepair> {
    if (this.index.pending() > 0) {
      await this.index.flush();
      return "pending";
    }
    const s = this.store.secret();
    const current = s?.arn === indexed.arn ? s : undefined;
    if (current && snapshotState(this.index.snapshot(current)) === indexed.state) return "in-sync";
    this.ctx.storage.transactionSync(() => {
      if (current) this.index.enqueue({ op: "upsert", row: this.index.snapshot(current), force: true });
      else this.index.enqueue({ op: "delete", arn: indexed.arn });
    });
    this.index.afterCommit();
    await this.index.flush();
    return "repaired";
  }

  /** Runs whatever is due: purge at the deletion deadline, then index updates still pending. */
  override async alarm(): Promise<void> {
    await this.runDue();
  }

  /** The cron sweeper's poke, for an alarm that was missed. Idempotent. */
  async sweep(): Promise<void> {
    await this.runDue();
  }

  private async runDue(): Promise<void> {
    const s = this.store.secret();
    if (s?.deletionAt != null && s.deletionAt <= Date.now()) {
      this.ctx.storage.transactionSync(() => {
        this.store.purge();
        this.index.enqueue({ op: "delete", arn: s.arn });
      });
    }
    await this.index.flush();
  }

  // ---- state checks ----

  private existing(target: Target): Result<SecretRow> {
    const s = this.store.secret();
    if (!s || (target.suffix !== undefined && !s.arn.endsWith(`-${target.suffix}`))) return fail(notFound());
    return ok(s);
  }

  private active(target: Target): Result<SecretRow> {
    const s = this.existing(target);
    if (s.ok && s.value.deletedAt !== null) return fail(markedForDeletion());
    return s;
  }

  /** Re-checked inside a transaction after an await: the secret may have been deleted or recreated meanwhile. */
  private stillActive(before: SecretRow): Result<SecretRow> {
    const s = this.store.secret();
    if (!s || s.arn !== before.arn) return fail(notFound());
    if (s.deletedAt !== null) return fail(markedForDeletion());
    return ok(s);
  }

  // ---- versions and values ----

  /** A ClientRequestToken already used: the same value is a no-op, a different value an error. */
  private async repeatedToken(s: SecretRow, versionId: string, value: SecretValue): Promise<Result<WriteResult> | undefined> {
    const version = this.store.version(versionId);
    if (!version) return undefined;
    if (await this.vault.matches(s.arn, version, value)) {
      return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.labelsOf(versionId) });
    }
    return fail(tokenInUse(versionId, s.arn));
  }

  private sameHashResult(s: SecretRow, versionId: string, hash: string): Result<WriteResult> {
    if (this.store.version(versionId)?.valueHash !== hash) return fail(tokenInUse(versionId, s.arn));
    return ok({ arn: s.arn, name: s.name, versionId, versionStages: this.labelsOf(versionId) });
  }

  private async repeatedCreate(s: SecretRow, input: CreateInput): Promise<Result<WriteResult>> {
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

  /** Inserts a sealed version, moves labels onto it and queues the index update. Call inside a transaction. */
  private addVersion(sealed: Sealed, now: number, requested: string[] | undefined, touchChanged = true): void {
    this.store.insertVersion({
      versionId: sealed.versionId, createdAt: now, lastAccessedDay: null, kmsKeyId: sealed.kekId,
      kind: sealed.kind, envelope: sealed.envelope, valueHash: sealed.hash,
    });
    const stages = this.store.stages();
    // The first version of a secret always becomes AWSCURRENT (PutSecretValue docs).
    const labels = requested && !stages.has(AWSCURRENT) && !requested.includes(AWSCURRENT) ? [...requested, AWSCURRENT] : requested;
    this.store.replaceStages(attachNewVersion(stages, sealed.versionId, labels));
    if (touchChanged) this.store.updateSecret({ lastChangedAt: now });
    this.prune();
    this.index.enqueueSnapshot();
  }

  /** UpdateSecret with a new KMS key re-encrypts the versions labelled AWSCURRENT, AWSPENDING and AWSPREVIOUS. */
  private labelledVersions() {
    const stages = this.store.stages();
    const ids = new Set([AWSCURRENT, AWSPENDING, AWSPREVIOUS].map((l) => stages.get(l)).filter((v) => v !== undefined));
    return [...ids].map((id) => this.store.version(id)!);
  }

  private labelsOf(versionId: string): string[] {
    return labelsByVersion(this.store.stages()).get(versionId) ?? [];
  }

  private prune(): void {
    this.store.pruneDeprecated(KEEP_VERSIONS, Date.now() - DAY);
  }

  /** LastAccessedDate has day resolution, so at most one write per version per day. */
  private recordAccess(s: SecretRow, versionId: string, versionDay: number | null): void {
    const today = Math.floor(Date.now() / DAY) * DAY;
    if (s.lastAccessedDay === today && versionDay === today) return;
    this.ctx.storage.transactionSync(() => {
      this.store.touchVersion(versionId, today);
      if (s.lastAccessedDay !== today) {
        this.store.updateSecret({ lastAccessedDay: today });
        this.index.enqueueSnapshot();
      }
    });
    if (s.lastAccessedDay !== today) this.index.afterCommit();
  }

  // ---- commit, outbox and alarm ----

  /** Runs a mutation in one transaction; on success, pushes the queued index update and re-arms the alarm. */
  private commit<T>(mutation: () => Result<T>): Result<T> {
    const result = this.ctx.storage.transactionSync(mutation);
    if (result.ok) this.index.afterCommit();
    return result;
  }

}

function dedupeTags(tags: TagPair[]): TagPair[] {
  return [...new Map(tags.map((t) => [t.Key, t])).values()];
}
