// Pure projections of the object's rows into RPC views (the index row is derived in domain/secret-fields.ts).
import { labelsByVersion } from "../domain/stages";
import { DEFAULT_KEY_NAME } from "../crypto/keys";
import type { SecretView, VersionView } from "./types";
import type { TagPair } from "../domain/tags";
import type { SecretRow, VersionMeta } from "./store";

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
    lastAccessedAt: opt(s.lastAccessedAt),
    deletedAt: opt(s.deletedAt),
    // AWS omits Tags until a secret is first tagged, then keeps "Tags": [] even after all are removed.
    tags: s.tagsSet || tags.length > 0 ? tags : undefined,
    versionIdsToStages: byVersion.size > 0 ? Object.fromEntries(byVersion) : undefined,
    rotation: {
      rotationEnabled: s.rotationEnabled, rotationLambdaArn: s.rotationLambdaArn, rotationRules: s.rotationRules, lastRotatedAt: s.lastRotatedAt,
      nextRotationAt: s.nextRotationAt, externalRotationMetadata: s.externalRotationMetadata, externalRotationRoleArn: s.externalRotationRoleArn,
    },
    primaryRegion: opt(s.primaryRegion),
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
