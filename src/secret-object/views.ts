// Pure projections of the object's rows into RPC views and index rows.
import { labelsByVersion } from "../domain/stages";
import type { IndexRow } from "../index-db/secrets-index";
import { DEFAULT_KEY_NAME } from "../crypto/keys";
import type { SecretView, VersionView } from "./types";
import type { SecretRow, TagPair, VersionMeta } from "./store";

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function secretView(s: SecretRow, stages: ReadonlyMap<string, string>, tags: TagPair[]): SecretView {
  const byVersion = labelsByVersion(stages);
  return {
    arn: s.arn,
    name: s.name,
    description: s.description || undefined,
    kmsKeyId: opt(s.kmsKeyId),
    type: opt(s.type),
    createdAt: s.createdAt,
    lastChangedAt: s.lastChangedAt,
    lastAccessedAt: opt(s.lastAccessedDay),
    deletedAt: opt(s.deletedAt),
    // AWS omits Tags until a secret is first tagged, then keeps "Tags": [] even after all are removed.
    tags: s.tagsSet || tags.length > 0 ? tags : undefined,
    versionIdsToStages: byVersion.size > 0 ? Object.fromEntries(byVersion) : undefined,
  };
}

export function versionView(v: VersionMeta, labels: string[] | undefined): VersionView {
  return {
    versionId: v.versionId,
    versionStages: labels,
    createdAt: v.createdAt,
    lastAccessedAt: opt(v.lastAccessedDay),
    // AWS reports the default key as "DefaultEncryptionKey" rather than its alias.
    kmsKeyIds: [v.kmsKeyId === DEFAULT_KEY_NAME ? "DefaultEncryptionKey" : v.kmsKeyId],
  };
}

export function indexRow(s: SecretRow, stages: ReadonlyMap<string, string>, tags: TagPair[]): IndexRow {
  return {
    arn: s.arn,
    accountId: s.accountId,
    region: s.region,
    name: s.name,
    description: s.description,
    kmsKeyId: s.kmsKeyId,
    type: s.type,
    createdAt: s.createdAt,
    lastChangedAt: s.lastChangedAt,
    lastAccessedAt: s.lastAccessedDay,
    deletedAt: s.deletedAt,
    deletionAt: s.deletionAt,
    tags,
    versionsToStages: Object.fromEntries(labelsByVersion(stages)),
    tagsSet: s.tagsSet,
    revision: s.revision,
  };
}
