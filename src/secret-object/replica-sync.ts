// What a primary sends a replica and what the replica answers (replication.ts sends, replica.ts applies). A sync is
// a snapshot of the primary's whole state except the values the replica already holds: applying it twice, or an
// older one after a newer (its stamp), changes nothing.
import type { Envelope } from "../crypto/envelope";
import type { SecretFields } from "../domain/secret-fields";
import type { TagPair } from "../domain/tags";
import type { ValueKind } from "./store";

/** A version sealed for the replica: under its KMS key, bound to its ARN, with its own keyed value hash. */
export interface ReplicaVersion {
  versionId: string;
  createdAt: number;
  kmsKeyId: string;
  kind: ValueKind;
  envelope: Envelope;
  valueHash: string;
}

export interface ReplicaSnapshot {
  primaryArn: string;
  /** The replica's region. */
  region: string;
  /** Increases with every snapshot a primary composes: the replica applies only newer ones. */
  stamp: number;
  /** The epoch of the region at the primary (replica-rows.ts): a replica promoted or removed since refuses it. */
  epoch: number;
  /** ForceOverwriteReplicaSecret: a secret of that name in the region is replaced. */
  overwrite: boolean;
  /** The replica's KmsKeyId as recorded (null: the default key). */
  kmsKeyId: string | null;
  fields: Partial<SecretFields>;
  tags: TagPair[];
  stages: [label: string, versionId: string][];
  /** Every version the primary holds; the replica drops the others. */
  versionIds: string[];
  /** The versions the replica is not known to hold. */
  versions: ReplicaVersion[];
}

export type ReplicaAck =
  | { applied: true; lastAccessedDay: number | null }
  /** A secret of that name already exists in the region (and no overwrite was asked). */
  | { conflict: string }
  /** Versions the replica lacks and the snapshot did not carry: sent again with them. */
  | { missing: string[] };

/** The StatusMessage of a region that holds another secret of the same name (the API model's example). */
export const NAME_EXISTS_IN_REGION = "Secret with this name already exists in this region";

/** A replica's answer to a delivery sent before it was promoted or removed (the primary has forgotten it). */
export const LEFT_REPLICATION = "The replica in this region was promoted to a standalone secret or removed";
