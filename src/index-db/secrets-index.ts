// Writes to the D1 index. Entries come from each secret's outbox as full snapshots keyed by ARN; a revision
// guard makes a stale or repeated entry a no-op, so applying an entry twice is harmless.
import type { TagPair } from "../secret-object/store";

export interface IndexRow {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  description: string | null;
  kmsKeyId: string | null;
  type: string | null;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt: number | null;
  deletedAt: number | null;
  deletionAt: number | null;
  tags: TagPair[];
  versionsToStages: Record<string, string[]>;
  revision: number;
}

export type IndexEntry = { op: "upsert"; row: IndexRow } | { op: "delete"; arn: string };

/** Keeps only the last entry per ARN: each entry is a full snapshot, so earlier ones are superseded. */
export function latestPerArn(entries: readonly IndexEntry[]): IndexEntry[] {
  const last = new Map<string, IndexEntry>();
  for (const entry of entries) {
    const arn = entry.op === "upsert" ? entry.row.arn : entry.arn;
    last.delete(arn);
    last.set(arn, entry);
  }
  return [...last.values()];
}

/** Applies entries to D1 in one batch (one transaction). Throws when D1 fails; the caller retries. */
export async function applyIndexEntries(db: D1Database, entries: readonly IndexEntry[]): Promise<void> {
  const statements = latestPerArn(entries).flatMap((entry) => (entry.op === "upsert" ? upsert(db, entry.row) : remove(db, entry.arn)));
  if (statements.length > 0) await db.batch(statements);
}

function upsert(db: D1Database, r: IndexRow): D1PreparedStatement[] {
  const current = "EXISTS (SELECT 1 FROM secrets WHERE arn = ?1 AND revision = ?2)";
  return [
    db
      .prepare(
        `INSERT INTO secrets (arn, revision, account_id, region, name, description, kms_key_id, type, created_at,
           last_changed_at, last_accessed_at, deleted_at, deletion_at, tags_json, versions_to_stages_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (arn) DO UPDATE SET revision = excluded.revision, name = excluded.name,
           description = excluded.description, kms_key_id = excluded.kms_key_id, type = excluded.type,
           created_at = excluded.created_at, last_changed_at = excluded.last_changed_at,
           last_accessed_at = excluded.last_accessed_at, deleted_at = excluded.deleted_at,
           deletion_at = excluded.deletion_at, tags_json = excluded.tags_json,
           versions_to_stages_json = excluded.versions_to_stages_json
         WHERE excluded.revision > secrets.revision`,
      )
      .bind(
        r.arn, r.revision, r.accountId, r.region, r.name, r.description, r.kmsKeyId, r.type, r.createdAt,
        r.lastChangedAt, r.lastAccessedAt, r.deletedAt, r.deletionAt, JSON.stringify(r.tags), JSON.stringify(r.versionsToStages),
      ),
    db.prepare(`DELETE FROM secret_tags WHERE arn = ?1 AND ${current}`).bind(r.arn, r.revision),
    db
      .prepare(
        `INSERT INTO secret_tags (arn, account_id, region, key, value)
         SELECT ?1, ?3, ?4, json_extract(value, '$.Key'), json_extract(value, '$.Value') FROM json_each(?5)
         WHERE ${current}`,
      )
      .bind(r.arn, r.revision, r.accountId, r.region, JSON.stringify(r.tags)),
  ];
}

function remove(db: D1Database, arn: string): D1PreparedStatement[] {
  return [db.prepare("DELETE FROM secrets WHERE arn = ?").bind(arn), db.prepare("DELETE FROM secret_tags WHERE arn = ?").bind(arn)];
}

/** Secrets whose deletion deadline has passed: the sweeper pokes their objects in case an alarm was missed. */
export async function dueDeletions(db: D1Database, now: number, limit = 500): Promise<{ accountId: string; region: string; name: string }[]> {
  const { results } = await db
    .prepare("SELECT account_id, region, name FROM secrets WHERE deletion_at IS NOT NULL AND deletion_at <= ? LIMIT ?")
    .bind(now, limit)
    .all<{ account_id: string; region: string; name: string }>();
  return results.map((r) => ({ accountId: r.account_id, region: r.region, name: r.name }));
}
