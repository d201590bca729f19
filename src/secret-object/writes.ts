// The writes of a secret's values and labels: PutSecretValue, UpdateSecret (value, description, key, type) and
// UpdateSecretVersionStage. Values are sealed before the commit; a commit whose state moved meanwhile runs again.
import type { Auth } from "../authz/secret";
import { invalidParameter } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import { updateStage } from "../domain/stages";
import type { Access } from "./access";
import { type Commits, STALE } from "./commits";
import type { IndexSync } from "./index-sync";
import type { Rotation } from "./rotation";
import type { SecretRow, Store, VersionRow } from "./store";
import type { Identity, SecretValue, Target, WriteResult } from "./types";
import { type Vault, recordedKey } from "./vault";
import type { Versions } from "./versions";

export type SecretChanges = { versionId?: string; value?: SecretValue; description?: string; kmsKeyId?: string; type?: string };

function sameVersions(a: readonly VersionRow[], b: readonly VersionRow[]): boolean {
  return a.length === b.length && a.every((v, i) => v.versionId === b[i]!.versionId);
}

export class Writes {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly versions: Versions,
    private readonly index: IndexSync,
    private readonly access: Access,
    private readonly rotation: Rotation,
    private readonly commits: Commits,
  ) {}

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
    const put = await this.commits.commit(() => {
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

  async update(auth: Auth, target: Target, changes: SecretChanges): Promise<Result<WriteResult>> {
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

    const updated = await this.commits.commit(() => {
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
    return await this.commits.commit(() => {
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
}
