// The inputs and outputs of SecretObject's RPC methods (camelCase domain shapes; operations map them to AWS).
import type { TagPair } from "../domain/tags";
import type { ReplicationStatusView } from "./replication";
import type { SecretRow, ValueKind } from "./store";

export interface SecretValue {
  kind: ValueKind;
  bytes: Uint8Array;
}

/** Which secret the caller means. */
export interface Target {
  /** The ARN suffix, when the caller gave a full ARN: only that incarnation matches. */
  suffix?: string;
  /** The ARN judged when no secret matches: the full ARN given, or the name with `-??????` (authz/secret.ts absentArn). */
  arn: string;
}

export interface CreateInput {
  accountId: string;
  region: string;
  name: string;
  suffix: string;
  versionId?: string;
  value?: SecretValue;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  tags?: TagPair[];
  /** AddReplicaRegions and ForceOverwriteReplicaSecret. */
  replicaRegions?: ReplicaRegion[];
  forceOverwriteReplicaSecret?: boolean;
}

export interface ReplicaRegion {
  region: string;
  kmsKeyId?: string;
}

export interface Identity {
  arn: string;
  name: string;
}

export interface WriteResult extends Identity {
  versionId?: string;
  versionStages?: string[];
  replicationStatus?: ReplicationStatusView[];
}

/** ReplicateSecretToRegions and RemoveRegionsFromReplication. */
export interface ReplicationResult extends Identity {
  replicationStatus: ReplicationStatusView[];
}

export interface ValueView extends Identity {
  versionId: string;
  value: SecretValue;
  /** Absent for a deprecated version (no labels). */
  versionStages?: string[];
  createdAt: number;
}

export interface SecretView extends Identity {
  description?: string;
  kmsKeyId?: string;
  type?: string;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  deletedAt?: number;
  tags?: TagPair[];
  versionIdsToStages?: Record<string, string[]>;
  rotation: Pick<SecretRow, "rotationEnabled" | "rotationLambdaArn" | "rotationRules" | "lastRotatedAt" | "nextRotationAt" | "externalRotationMetadata" | "externalRotationRoleArn">;
  primaryRegion?: string;
  /** On a primary with replicas. */
  replicationStatus?: ReplicationStatusView[];
}

export interface VersionView {
  versionId: string;
  versionStages?: string[];
  createdAt: number;
  lastAccessedAt?: number;
  kmsKeyIds: string[];
}

export interface VersionPage extends Identity {
  versions: VersionView[];
  /** Set when more versions follow: the next page starts below this creation sequence number. */
  nextBefore?: number;
}

export interface DeletionResult extends Identity {
  deletionDate: number;
}

export interface PolicyView extends Identity {
  /** The policy text as it was sent; absent when the secret has none. */
  resourcePolicy?: string;
}

export interface PolicyValidation {
  passed: boolean;
  errors: { checkName: string; errorMessage: string }[];
}
