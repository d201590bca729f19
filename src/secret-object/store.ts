// Typed SQL over the Durable Object's tables: the only place that knows column names (those of the secret row come
// from domain/secret-fields.ts). The schema is created by the first write (write()), so a name that never held a
// secret leaves no tables behind, however often it is asked about.
import type { Envelope } from "../crypto/envelope";
import { type NewSecretFields, type SecretFields, secretColumns, secretFromColumns } from "../domain/secret-fields";
import type { TagPair } from "../domain/tags";
import { ensureSchema, hasSchema } from "./schema";

export type ValueKind = "string" | "binary";

/** The secret's row: its fields are described once, in domain/secret-fields.ts. */
export type SecretRow = SecretFields;

export interface VersionRow {
  versionId: string;
  seq: number;
  createdAt: number;
  lastAccessedDay: number | null;
  kmsKeyId: string;
  kind: ValueKind;
  envelope: Envelope;
  valueHash: string;
  /** The rotation's AWSPENDING placeholder before its value is put: listed, but GetSecretValue finds no value. */
  empty: boolean;
}

/** A version's metadata, without its envelope: what ListSecretVersionIds reports. */
export type VersionMeta = Pick<VersionRow, "versionId" | "seq" | "createdAt" | "lastAccessedDay" | "kmsKeyId" | "empty">;

type Row = Record<string, SqlStorageValue>;

/** One outbox entry: its payload for one destination, with that destination's delivery attempts. */
export interface OutboxRow {
  seq: number;
  destination: string;
  entry: unknown;
  attempts: number;
  /** When the alarm next tries it (epoch ms). */
  nextAt: number;
  createdAt: number;
}

export class Store {
  private schema: boolean;

  constructor(private readonly sql: SqlStorage) {
    this.schema = hasSchema(sql);
    // An object written by an earlier release: bring its schema up to date before anything reads it.
    if (this.schema) ensureSchema(sql);
  }

  /** Whether anything was ever written (the schema exists). */
  get written(): boolean {
    return this.schema;
  }

  /** Creates the schema if this is the object's first write. Call inside the write's transaction. */
  write(): void {
    if (this.schema) return;
    ensureSchema(this.sql);
    this.schema = true;
  }

  secret(): SecretRow | undefined {
    if (!this.schema) return undefined;
    const row = this.sql.exec("SELECT * FROM secret WHERE id = 1").toArray()[0];
    return row && secretFromColumns(row);
  }

  insertSecret(s: NewSecretFields): void {
    const { columns, values } = secretColumns(s);
    this.sql.exec(`INSERT INTO secret (id, ${columns.join(", ")}) VALUES (1${", ?".repeat(columns.length)})`, ...values);
  }

  /** Updates the given fields of the secret row and bumps its revision (the index's staleness guard). */
  updateSecret(changes: Partial<Omit<SecretRow, "revision" | "resourcePolicy">>): void {
    const { columns, values } = secretColumns(changes);
    this.sql.exec(`UPDATE secret SET ${[...columns.map((c) => `${c} = ?`), "revision = revision + 1"].join(", ")} WHERE id = 1`, ...values);
  }

  /** Sets or clears the resource policy. The index holds no policy, so the revision stays. */
  setResourcePolicy(text: string | null): void {
    this.sql.exec("UPDATE secret SET resource_policy = ? WHERE id = 1", text);
  }

  /** Versions created at or after `since`: the quota on young versions (Versions.add). */
  versionsSince(since: number): number {
    return this.sql.exec("SELECT count(*) AS n FROM versions WHERE created_at >= ?", since).one().n as number;
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
      `SELECT version_id, seq, created_at, last_accessed_day, kms_key_id, empty FROM versions
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`,
      ...params, limit,
    );
    return rows.toArray().map((r) => ({
      versionId: r.version_id as string,
      seq: r.seq as number,
      createdAt: r.created_at as number,
      lastAccessedDay: r.last_accessed_day as number | null,
      kmsKeyId: r.kms_key_id as string,
      empty: r.empty === 1,
    }));
  }

  version(versionId: string): VersionRow | undefined {
    const row = this.sql.exec("SELECT * FROM versions WHERE version_id = ?", versionId).toArray()[0];
    return row && toVersion(row);
  }

  /** The value-less placeholder a rotation creates under its token (filled by fillVersion). */
  insertPlaceholder(versionId: string, createdAt: number, kmsKeyId: string): void {
    this.sql.exec(
      `INSERT INTO versions (version_id, seq, created_at, kms_key_id, kind, envelope, value_hash, empty)
       VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions), ?, ?, 'string', 'null', '', 1)`,
      versionId, createdAt, kmsKeyId,
    );
  }

  /** Puts a value into a placeholder. */
  fillVersion(v: Pick<VersionRow, "versionId" | "kmsKeyId" | "kind" | "envelope" | "valueHash">): void {
    this.sql.exec(
      "UPDATE versions SET kms_key_id = ?, kind = ?, envelope = ?, value_hash = ?, empty = 0 WHERE version_id = ?",
      v.kmsKeyId, v.kind, JSON.stringify(v.envelope), v.valueHash, v.versionId,
    );
  }

  deleteVersion(versionId: string): void {
    this.sql.exec("DELETE FROM stages WHERE version_id = ?", versionId);
    this.sql.exec("DELETE FROM versions WHERE version_id = ?", versionId);
  }

  insertVersion(v: Omit<VersionRow, "seq" | "empty">): void {
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

  /** Deletes deprecated versions beyond the newest `keep`, none younger than `olderThan`; returns their ids. */
  pruneDeprecated(keep: number, olderThan: number): string[] {
    // Called on every new version, and most secrets never hold more than `keep`: one step past them tells.
    if (this.sql.exec("SELECT 1 FROM versions ORDER BY seq DESC LIMIT 1 OFFSET ?", keep).toArray().length === 0) return [];
    return this.sql
      .exec(
        `DELETE FROM versions WHERE version_id NOT IN (SELECT version_id FROM stages)
           AND created_at < ? AND seq NOT IN (SELECT seq FROM versions ORDER BY seq DESC LIMIT ?) RETURNING version_id`,
        olderThan, keep,
      )
      .toArray()
      .map((r) => r.version_id as string);
  }

  /** Every version's id, oldest first. */
  versionIds(): string[] {
    return this.sql.exec("SELECT version_id FROM versions ORDER BY seq").toArray().map((r) => r.version_id as string);
  }

  /** A replica mirrors its primary's pruning: versions the primary no longer holds go (after their labels). */
  deleteVersionsExcept(versionIds: readonly string[]): void {
    this.sql.exec("DELETE FROM versions WHERE version_id NOT IN (SELECT value FROM json_each(?))", JSON.stringify(versionIds));
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

  /** Queues an entry; returns its seq. */
  enqueue(destination: string, entry: unknown, now: number, nextAt: number): number {
    return this.sql.exec(
      "INSERT INTO outbox (destination, entry, created_at, next_at) VALUES (?, ?, ?, ?) RETURNING seq",
      destination, JSON.stringify(entry), now, nextAt,
    ).one().seq as number;
  }

  /** A destination's entries after `afterSeq`, oldest first. */
  outbox(destination: string, afterSeq = 0): OutboxRow[] {
    if (!this.schema) return [];
    return this.sql
      .exec("SELECT * FROM outbox WHERE destination = ? AND seq > ? ORDER BY seq", destination, afterSeq)
      .toArray()
      .map((r) => ({
        seq: r.seq as number, destination: r.destination as string, entry: JSON.parse(r.entry as string),
        attempts: r.attempts as number, nextAt: r.next_at as number, createdAt: r.created_at as number,
      }));
  }

  /** A destination's entries after `afterSeq`: how many, their earliest next try and their oldest creation time. */
  outboxHead(destination: string, afterSeq: number, upToSeq = Number.MAX_SAFE_INTEGER): { count: number; nextAt: number; createdAt: number } | undefined {
    if (!this.schema) return undefined;
    const r = this.sql
      .exec(
        "SELECT count(*) AS n, MIN(next_at) AS next_at, MIN(created_at) AS created_at FROM outbox WHERE destination = ? AND seq > ? AND seq <= ?",
        destination, afterSeq, upToSeq,
      )
      .one();
    return (r.n as number) > 0 ? { count: r.n as number, nextAt: r.next_at as number, createdAt: r.created_at as number } : undefined;
  }

  /** The destinations named `<prefix>…` with entries queued, each with its earliest next try. */
  outboxNames(prefix: string): { name: string; nextAt: number }[] {
    if (!this.schema) return [];
    return this.sql
      .exec("SELECT destination, MIN(next_at) AS next_at FROM outbox WHERE substr(destination, 1, ?) = ? GROUP BY destination", prefix.length, prefix)
      .toArray()
      .map((r) => ({ name: r.destination as string, nextAt: r.next_at as number }));
  }

  dequeueThrough(destination: string, seq: number): void {
    this.sql.exec("DELETE FROM outbox WHERE destination = ? AND seq <= ?", destination, seq);
  }

  /** A failed delivery: every entry of the destination waits for `nextAt`. */
  recordAttempt(destination: string, nextAt: number): void {
    this.sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE destination = ?", nextAt, destination);
  }

  /** Removes the secret and everything it owns; the outbox stays so the index still learns of it. */
  purge(): void {
    this.sql.exec("DELETE FROM stages; DELETE FROM versions; DELETE FROM tags; DELETE FROM secret; DELETE FROM rotation;");
  }
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
    empty: r.empty === 1,
  };
}
