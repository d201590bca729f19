// Typed SQL over the Durable Object's tables: the only place that knows column names.
import type { Envelope } from "../crypto/envelope";

export type ValueKind = "string" | "binary";

export interface SecretRow {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description: string | null;
  kmsKeyId: string | null;
  type: string | null;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedDay: number | null;
  deletedAt: number | null;
  deletionAt: number | null;
  tagsSet: boolean;
  revision: number;
  /** The resource policy as sent to PutResourcePolicy; null = none. Not part of the index. */
  resourcePolicy: string | null;
}

export interface VersionRow {
  versionId: string;
  seq: number;
  createdAt: number;
  lastAccessedDay: number | null;
  kmsKeyId: string;
  kind: ValueKind;
  envelope: Envelope;
  valueHash: string;
}

/** A version's metadata, without its envelope: what ListSecretVersionIds reports. */
export type VersionMeta = Pick<VersionRow, "versionId" | "seq" | "createdAt" | "lastAccessedDay" | "kmsKeyId">;

export interface TagPair {
  Key: string;
  Value: string;
}

type Row = Record<string, SqlStorageValue>;

export class Store {
  constructor(private readonly sql: SqlStorage) {}

  secret(): SecretRow | undefined {
    const row = this.sql.exec("SELECT * FROM secret WHERE id = 1").toArray()[0];
    return row && toSecret(row);
  }

  insertSecret(s: Omit<SecretRow, "resourcePolicy">): void {
    this.sql.exec(
      `INSERT INTO secret (id, account_id, region, name, arn, description, kms_key_id, type, created_at, last_changed_at,
        last_accessed_day, deleted_at, deletion_at, tags_set, revision) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.accountId, s.region, s.name, s.arn, s.description, s.kmsKeyId, s.type, s.createdAt, s.lastChangedAt,
      s.lastAccessedDay, s.deletedAt, s.deletionAt, s.tagsSet ? 1 : 0, s.revision,
    );
  }

  /** Updates the given columns of the secret row and bumps its revision (the index's staleness guard). */
  updateSecret(changes: Partial<Omit<SecretRow, "revision" | "resourcePolicy">>): void {
    const columns: Record<keyof Omit<SecretRow, "revision" | "resourcePolicy">, string> = {
      accountId: "account_id", region: "region", name: "name", arn: "arn", description: "description",
      kmsKeyId: "kms_key_id", type: "type", createdAt: "created_at", lastChangedAt: "last_changed_at",
      lastAccessedDay: "last_accessed_day", deletedAt: "deleted_at", deletionAt: "deletion_at", tagsSet: "tags_set",
    };
    const entries = Object.entries(changes) as [keyof typeof columns, unknown][];
    const sets = entries.map(([key]) => `${columns[key]} = ?`);
    const values = entries.map(([, value]) => (typeof value === "boolean" ? (value ? 1 : 0) : (value as SqlStorageValue)));
    this.sql.exec(`UPDATE secret SET ${[...sets, "revision = revision + 1"].join(", ")} WHERE id = 1`, ...values);
  }

  /** Sets or clears the resource policy. The index holds no policy, so the revision stays. */
  setResourcePolicy(text: string | null): void {
    this.sql.exec("UPDATE secret SET resource_policy = ? WHERE id = 1", text);
  }

  /**
   * One page of versions, newest first: at most `limit` versions created before sequence number `before` (all when
   * undefined), only those with a label unless `includeDeprecated`. Reads metadata only, never an envelope, and only
   * the rows of the page, however many versions the secret keeps.
   */
  versionPage(before: number | undefined, includeDeprecated: boolean, limit: number): VersionMeta[] {
    const where: string[] = [];
    const params: SqlStorageValue[] = [];
    if (before !== undefined) {
      where.push("seq < ?");
      params.push(before);
    }
    if (!includeDeprecated) where.push("version_id IN (SELECT version_id FROM stages)");
    const rows = this.sql.exec(
      `SELECT version_id, seq, created_at, last_accessed_day, kms_key_id FROM versions
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`,
      ...params, limit,
    );
    return rows.toArray().map((r) => ({
      versionId: r.version_id as string,
      seq: r.seq as number,
      createdAt: r.created_at as number,
      lastAccessedDay: r.last_accessed_day as number | null,
      kmsKeyId: r.kms_key_id as string,
    }));
  }

  version(versionId: string): VersionRow | undefined {
    const row = this.sql.exec("SELECT * FROM versions WHERE version_id = ?", versionId).toArray()[0];
    return row && toVersion(row);
  }

  insertVersion(v: Omit<VersionRow, "seq">): void {
    this.sql.exec(
      `INSERT INTO versions (version_id, seq, created_at, last_accessed_day, kms_key_id, kind, envelope, value_hash)
       VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions), ?, ?, ?, ?, ?, ?)`,
      v.versionId, v.createdAt, v.lastAccessedDay, v.kmsKeyId, v.kind, JSON.stringify(v.envelope), v.valueHash,
    );
  }

  replaceEnvelope(versionId: string, kmsKeyId: string, envelope: Envelope): void {
    this.sql.exec("UPDATE versions SET kms_key_id = ?, envelope = ? WHERE version_id = ?", kmsKeyId, JSON.stringify(envelope), versionId);
  }

  touchVersion(versionId: string, day: number): void {
    this.sql.exec("UPDATE versions SET last_accessed_day = ? WHERE version_id = ?", day, versionId);
  }

  /** Deprecated versions (no label) beyond the newest `keep`, created before `olderThan`. */
  pruneDeprecated(keep: number, olderThan: number): void {
    this.sql.exec(
      `DELETE FROM versions WHERE version_id NOT IN (SELECT version_id FROM stages)
         AND created_at < ? AND seq NOT IN (SELECT seq FROM versions ORDER BY seq DESC LIMIT ?)`,
      olderThan, keep,
    );
  }

  /** Labels in attachment order: label → versionId. */
  stages(): Map<string, string> {
    const rows = this.sql.exec("SELECT label, version_id FROM stages ORDER BY position").toArray();
    return new Map(rows.map((r) => [r.label as string, r.version_id as string]));
  }

  /** Writes a new label map, keeping the position of labels that did not move. */
  replaceStages(next: ReadonlyMap<string, string>): void {
    const current = this.stages();
    for (const label of current.keys()) if (!next.has(label)) this.sql.exec("DELETE FROM stages WHERE label = ?", label);
    for (const [label, versionId] of next) {
      if (current.get(label) === versionId) continue;
      this.sql.exec(
        `INSERT INTO stages (label, version_id, position) VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM stages))
         ON CONFLICT (label) DO UPDATE SET version_id = excluded.version_id, position = excluded.position`,
        label, versionId,
      );
    }
  }

  tags(): TagPair[] {
    return this.sql.exec("SELECT key, value FROM tags ORDER BY position").toArray().map((r) => ({ Key: r.key as string, Value: r.value as string }));
  }

  putTags(tags: readonly TagPair[]): void {
    for (const { Key, Value } of tags) {
      this.sql.exec(
        `INSERT INTO tags (key, value, position) VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM tags))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        Key, Value,
      );
    }
  }

  deleteTags(keys: readonly string[]): void {
    for (const key of keys) this.sql.exec("DELETE FROM tags WHERE key = ?", key);
  }

  enqueue(entry: unknown): void {
    this.sql.exec("INSERT INTO outbox (entry) VALUES (?)", JSON.stringify(entry));
  }

  outbox(): { seq: number; entry: unknown; attempts: number }[] {
    return this.sql
      .exec("SELECT seq, entry, attempts FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => ({ seq: r.seq as number, entry: JSON.parse(r.entry as string), attempts: r.attempts as number }));
  }

  outboxSize(): number {
    return this.sql.exec("SELECT count(*) AS n FROM outbox").one().n as number;
  }

  dequeueThrough(seq: number): void {
    this.sql.exec("DELETE FROM outbox WHERE seq <= ?", seq);
  }

  recordAttempt(): void {
    this.sql.exec("UPDATE outbox SET attempts = attempts + 1");
  }

  /** Removes the secret and everything it owns; the outbox stays so the index still learns of it. */
  purge(): void {
    this.sql.exec("DELETE FROM stages; DELETE FROM versions; DELETE FROM tags; DELETE FROM secret;");
  }
}

function toSecret(r: Row): SecretRow {
  return {
    accountId: r.account_id as string,
    region: r.region as string,
    name: r.name as string,
    arn: r.arn as string,
    description: r.description as string | null,
    kmsKeyId: r.kms_key_id as string | null,
    type: r.type as string | null,
    createdAt: r.created_at as number,
    lastChangedAt: r.last_changed_at as number,
    lastAccessedDay: r.last_accessed_day as number | null,
    deletedAt: r.deleted_at as number | null,
    deletionAt: r.deletion_at as number | null,
    tagsSet: r.tags_set === 1,
    revision: r.revision as number,
    resourcePolicy: (r.resource_policy as string | null) ?? null,
  };
}

function toVersion(r: Row): VersionRow {
  return {
    versionId: r.version_id as string,
    seq: r.seq as number,
    createdAt: r.created_at as number,
    lastAccessedDay: r.last_accessed_day as number | null,
    kmsKeyId: r.kms_key_id as string,
    kind: r.kind as ValueKind,
    envelope: JSON.parse(r.envelope as string) as Envelope,
    valueHash: r.value_hash as string,
  };
}
