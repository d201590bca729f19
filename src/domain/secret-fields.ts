// The secret's fields, written down once: each one's column in the object's `secret` table, its SQL type, and its
// column in the D1 index when ListSecrets shows or filters on it. The object's row type, its store mapping, the
// index row, the index upsert and the sweeper's comparison are all derived from this table, so a new field is a
// migration plus one line here (docs/storage-schema.md).
import type { TagPair } from "./tags";

type FieldType = "text" | "int" | "bool";

interface FieldSpec {
  /** The column in the object's `secret` table. */
  column: string;
  type: FieldType;
  nullable: boolean;
  /** The column in D1's `secrets` table; absent = not indexed. */
  index?: string;
}

export const SECRET_FIELDS = {
  arn: { column: "arn", type: "text", nullable: false, index: "arn" },
  accountId: { column: "account_id", type: "text", nullable: false, index: "account_id" },
  region: { column: "region", type: "text", nullable: false, index: "region" },
  name: { column: "name", type: "text", nullable: false, index: "name" },
  description: { column: "description", type: "text", nullable: true, index: "description" },
  kmsKeyId: { column: "kms_key_id", type: "text", nullable: true, index: "kms_key_id" },
  type: { column: "type", type: "text", nullable: true, index: "type" },
  createdAt: { column: "created_at", type: "int", nullable: false, index: "created_at" },
  lastChangedAt: { column: "last_changed_at", type: "int", nullable: false, index: "last_changed_at" },
  /** UTC midnight of the last read: LastAccessedDate. */
  lastAccessedAt: { column: "last_accessed_day", type: "int", nullable: true, index: "last_accessed_at" },
  deletedAt: { column: "deleted_at", type: "int", nullable: true, index: "deleted_at" },
  /** The purge deadline. */
  deletionAt: { column: "deletion_at", type: "int", nullable: true, index: "deletion_at" },
  /** Ever tagged: DescribeSecret and ListSecrets then show `Tags: []`. */
  tagsSet: { column: "tags_set", type: "bool", nullable: false, index: "tags_set" },
  /** +1 per change of an indexed field: the index's staleness guard. */
  revision: { column: "revision", type: "int", nullable: false, index: "revision" },
  /** The resource policy as sent to PutResourcePolicy; null = none. */
  resourcePolicy: { column: "resource_policy", type: "text", nullable: true },
  // ---- rotation (issue 12) ----
  /** Null until RotateSecret first succeeds; false after CancelRotateSecret. */
  rotationEnabled: { column: "rotation_enabled", type: "bool", nullable: true, index: "rotation_enabled" },
  rotationLambdaArn: { column: "rotation_lambda_arn", type: "text", nullable: true, index: "rotation_lambda_arn" },
  /** RotationRules JSON as DescribeSecret reports them (AutomaticallyAfterDays computed at each rotation). */
  rotationRules: { column: "rotation_rules", type: "text", nullable: true, index: "rotation_rules" },
  lastRotatedAt: { column: "last_rotated_at", type: "int", nullable: true, index: "last_rotated_at" },
  /** NextRotationDate: the last second of the next window. */
  nextRotationAt: { column: "next_rotation_at", type: "int", nullable: true, index: "next_rotation_at" },
  /** When the scheduled rotation starts (inside the window); the cron sweep pokes objects past it. */
  rotationDueAt: { column: "rotation_due_at", type: "int", nullable: true, index: "rotation_due_at" },
  /** ExternalSecretRotationMetadata JSON of a managed external secret. */
  externalRotationMetadata: { column: "external_rotation_metadata", type: "text", nullable: true, index: "external_rotation_metadata" },
  externalRotationRoleArn: { column: "external_rotation_role_arn", type: "text", nullable: true, index: "external_rotation_role_arn" },
  // ---- replication (issue 13) ----
  /** The primary's region: on a primary with replicas its own region, on a replica its primary's; null otherwise. */
  primaryRegion: { column: "primary_region", type: "text", nullable: true, index: "primary_region" },
} as const satisfies Record<string, FieldSpec>;

type Fields = typeof SECRET_FIELDS;
export type FieldName = keyof Fields;
type Base<F> = F extends { type: "text" } ? string : F extends { type: "int" } ? number : boolean;
type ValueOf<F> = F extends { nullable: true } ? Base<F> | null : Base<F>;

/** The secret row as the object stores it. */
export type SecretFields = { -readonly [K in FieldName]: ValueOf<Fields[K]> };

export type IndexedName = { [K in FieldName]: Fields[K] extends { index: string } ? K : never }[FieldName];

type NullableName = { [K in FieldName]: Fields[K] extends { nullable: true } ? K : never }[FieldName];

/** A new secret row: nullable fields left out are stored as NULL. */
export type NewSecretFields = Pick<SecretFields, Exclude<FieldName, NullableName>> & Partial<Pick<SecretFields, NullableName>>;

/**
 * What the D1 index holds of a secret: its indexed fields, its tags and its labels. A nullable field may be absent
 * (entries queued before the field existed): it is written as null.
 */
export type IndexRow = Pick<SecretFields, Exclude<IndexedName, "tagsSet" | NullableName>> &
  Partial<Pick<SecretFields, Extract<IndexedName, NullableName>>> & {
  tags: TagPair[];
  versionsToStages: Record<string, string[]>;
  /** Absent in entries queued before the field existed (then: ever tagged = has tags). */
  tagsSet?: boolean;
  /** Absent in entries queued before replication existed (then: none). */
  primaryRegion?: string | null;
};

const names = Object.keys(SECRET_FIELDS) as FieldName[];

/** The indexed fields with their D1 columns, in one fixed order. */
export const INDEXED: readonly { name: IndexedName; column: string; type: FieldType }[] = names.flatMap((name) => {
  const spec: FieldSpec = SECRET_FIELDS[name];
  return spec.index ? [{ name: name as IndexedName, column: spec.index, type: spec.type }] : [];
});

/** A value as SQLite stores it (booleans as 0/1). */
export function toSql(type: FieldType, value: unknown): string | number | null {
  if (type === "bool") return value === null ? null : value ? 1 : 0;
  return value as string | number | null;
}

/** A stored value as the field's type. */
export function fromSql(type: FieldType, value: unknown): unknown {
  if (type === "bool") return value === null || value === undefined ? null : value === 1;
  return value ?? null;
}

/** The object's row read from its `secret` table (by column name). */
export function secretFromColumns(row: Record<string, unknown>): SecretFields {
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = fromSql(SECRET_FIELDS[name].type, row[SECRET_FIELDS[name].column]);
  return out as SecretFields;
}

/** Column names and SQL values of the given fields, for an INSERT or UPDATE of the `secret` table. */
export function secretColumns(fields: Partial<SecretFields>): { columns: string[]; values: (string | number | null)[] } {
  const entries = (Object.keys(fields) as FieldName[]).filter((k) => fields[k] !== undefined);
  return {
    columns: entries.map((k) => SECRET_FIELDS[k].column),
    values: entries.map((k) => toSql(SECRET_FIELDS[k].type, fields[k])),
  };
}

/** The index row of a secret. */
export function indexRowOf(s: SecretFields, tags: TagPair[], versionsToStages: Record<string, string[]>): IndexRow {
  const row: Record<string, unknown> = { tags, versionsToStages };
  for (const { name } of INDEXED) row[name] = s[name];
  return row as IndexRow;
}

// ---- replication (issue 13) ----

/**
 * The fields each replica keeps for itself; every other field is the primary's, copied by each sync (so a field added
 * above reaches replicas with no further change). A replica's ARN and region are its own, so are its KMS key and
 * LastAccessedDate; its revision guards its own index row.
 */
export const REPLICA_OWN_FIELDS = ["arn", "region", "kmsKeyId", "lastAccessedAt", "revision", "primaryRegion"] as const satisfies readonly FieldName[];

/** The fields a primary sends its replicas. */
export function replicatedFields(s: SecretFields): Partial<SecretFields> {
  const own = new Set<string>(REPLICA_OWN_FIELDS);
  return Object.fromEntries(names.filter((n) => !own.has(n)).map((n) => [n, s[n]])) as Partial<SecretFields>;
}
