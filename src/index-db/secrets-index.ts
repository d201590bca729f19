// Writes to the D1 index. Entries come from each secret's outbox as full snapshots keyed by ARN; a revision
// guard makes a stale or repeated entry a no-op, so applying an entry twice is harmless. Each snapshot also
// rewrites the rows derived from it: secret_tags and secret_words (docs/storage-schema.md "D1 index").
import { INDEXED, type IndexRow, toSql } from "../domain/secret-fields";
import { WORDS_VERSION, type WordField, searchWords } from "./filters";

export type { IndexRow } from "../domain/secret-fields";

/**
 * `force` (the sweeper's repair) replaces the row whatever its revision: the object is the truth, also when the
 * index is ahead of it (an object restored to an earlier point).
 */
export type IndexEntry = { op: "upsert"; row: IndexRow; force?: boolean } | { op: "delete"; arn: string };

/** Keeps only the last entry per ARN: each entry is a full snapshot, so earlier ones are superseded. */
export function latestPerArn(entries: readonly IndexEntry[]): IndexEntry[] {
  const last = new Map<string, IndexEntry>();
  for (const entry of entries) {
    const arn = entry.op === "upsert" ? entry.row.arn : entry.arn;
    const previous = last.get(arn);
    last.delete(arn);
    // A newer snapshot supersedes a forced one, but must still win over the row the force was meant to replace.
    const force = entry.op === "upsert" && previous?.op === "upsert" && previous.force && !entry.force;
    last.set(arn, force ? { ...entry, force: true } : entry);
  }
  return [...last.values()];
}

/** Applies entries to D1 in one batch (one transaction). Throws when D1 fails; the caller retries. */
export async function applyIndexEntries(db: D1Database, entries: readonly IndexEntry[]): Promise<void> {
  const statements = latestPerArn(entries).flatMap((entry) =>
    entry.op === "upsert" ? upsert(db, entry.row, entry.force === true) : remove(db, entry.arn),
  );
  if (statements.length > 0) await db.batch(statements);
}

/** The D1 columns a snapshot writes, in one order: the indexed fields (secret-fields.ts), then the derived ones. */
const COLUMNS = [...INDEXED.map((f) => f.column), "tags_json", "versions_to_stages_json", "words_version"];
const KEYS = new Set(["arn", "account_id", "region"]);

/** The values of COLUMNS for a snapshot. */
function columnValues(r: IndexRow): (string | number | null)[] {
  return [
    ...INDEXED.map((f) => toSql(f.type, f.name === "tagsSet" ? tagsSet(r) : (r[f.name] ?? null))),
    JSON.stringify(r.tags), JSON.stringify(r.versionsToStages), WORDS_VERSION,
  ];
}

const UPSERT = `INSERT INTO secrets (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((_, i) => `?${i + 1}`).join(", ")})
  ON CONFLICT (arn) DO UPDATE SET ${COLUMNS.filter((c) => !KEYS.has(c)).map((c) => `${c} = excluded.${c}`).join(", ")}
  WHERE excluded.revision > secrets.revision OR ?${COLUMNS.length + 1}`;

/**
 * Whether this entry rewrites the derived rows (secret_tags, secret_words), judged before the secrets row is written:
 * when it is forced, or it wins the revision guard and the row does not already hold the same name, description,
 * tags and word splitting (a PutSecretValue changes none of them, and so leaves its derived rows alone).
 */
const REWRITE = `(?6 OR (NOT EXISTS (SELECT 1 FROM secrets WHERE arn = ?1 AND revision >= ?2)
  AND NOT EXISTS (SELECT 1 FROM secrets WHERE arn = ?1 AND name = ?7 AND description IS ?8 AND tags_json = ?9 AND words_version = ?10)))`;

function upsert(db: D1Database, r: IndexRow, force: boolean): D1PreparedStatement[] {
  const derived = (payload: string) =>
    [r.arn, r.revision, r.accountId, r.region, payload, force ? 1 : 0, r.name, r.description, JSON.stringify(r.tags), WORDS_VERSION];
  return [
    db.prepare(`DELETE FROM secret_tags WHERE arn = ?1 AND ${REWRITE}`).bind(...derived("")),
    db
      .prepare(
        `INSERT INTO secret_tags (arn, account_id, region, key, value)
         SELECT ?1, ?3, ?4, json_extract(value, '$.Key'), json_extract(value, '$.Value') FROM json_each(?5)
         WHERE ${REWRITE}`,
      )
      .bind(...derived(JSON.stringify(r.tags))),
    db.prepare(`DELETE FROM secret_words WHERE arn = ?1 AND ${REWRITE}`).bind(...derived("")),
    db
      .prepare(
        `INSERT OR IGNORE INTO secret_words (arn, account_id, region, field, attr, word)
         SELECT ?1, ?3, ?4, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
         FROM json_each(?5) WHERE ${REWRITE}`,
      )
      .bind(...derived(JSON.stringify(wordRows(r)))),
    // Last: the derived rows above were judged against the row as it was.
    db.prepare(UPSERT).bind(...columnValues(r), force ? 1 : 0),
  ];
}

/** Ever tagged; entries queued before the field existed say so by having tags. */
const tagsSet = (r: IndexRow): boolean => (r.tagsSet as boolean | undefined) ?? r.tags.length > 0;

/** The words of each attribute the `description` and `all` filters search: [field, attribute, word]. */
export function wordRows(r: Pick<IndexRow, "name" | "description" | "tags">): [WordField, number, string][] {
  const rows: [WordField, number, string][] = [];
  const add = (field: WordField, attr: number, text: string) => {
    for (const word of searchWords(text)) rows.push([field, attr, word]);
  };
  add("name", 0, r.name);
  if (r.description) add("description", 0, r.description);
  r.tags.forEach((tag, i) => {
    add("tag-key", i, tag.Key);
    add("tag-value", i, tag.Value);
  });
  return rows;
}

/** Removes an index row and its derived rows outright (the sweeper's cure for a row no object can own). */
export async function removeIndexRow(db: D1Database, arn: string): Promise<void> {
  await db.batch(remove(db, arn));
}

function remove(db: D1Database, arn: string): D1PreparedStatement[] {
  return ["secrets", "secret_tags", "secret_words"].map((table) => db.prepare(`DELETE FROM ${table} WHERE arn = ?`).bind(arn));
}

/**
 * What the sweeper compares between an index row and its object's snapshot: every column the snapshot writes
 * (the word splitting that wrote the row's words included). Equal strings mean the row is up to date.
 */
export function snapshotState(r: IndexRow): string {
  return JSON.stringify(columnValues(r));
}

export interface IndexedSecret {
  arn: string;
  /** The row's snapshotState, for the object to compare with its own. */
  state: string;
}

/** The next `limit` index rows after `afterArn`, in ARN order, for the sweeper's repair pass. */
export async function indexedAfter(db: D1Database, afterArn: string, limit: number): Promise<IndexedSecret[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS.join(", ")} FROM secrets WHERE arn > ? ORDER BY arn LIMIT ?`)
    .bind(afterArn, limit)
    .all<Record<string, string | number | null>>();
  return results.map((r) => ({ arn: r.arn as string, state: JSON.stringify(COLUMNS.map((c) => r[c])) }));
}

/** Where the repair pass continues ('' = from the start). */
export async function sweepCursor(db: D1Database): Promise<string> {
  return (await db.prepare("SELECT after_arn FROM index_sweep WHERE id = 1").first<string>("after_arn")) ?? "";
}

export async function setSweepCursor(db: D1Database, afterArn: string): Promise<void> {
  await db.prepare("INSERT INTO index_sweep (id, after_arn) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET after_arn = excluded.after_arn").bind(afterArn).run();
}

/** Secrets whose deletion deadline has passed: the sweeper pokes their objects in case an alarm was missed. */
export async function dueDeletions(db: D1Database, now: number, limit = 500): Promise<{ accountId: string; region: string; name: string }[]> {
  const { results } = await db
    .prepare("SELECT account_id, region, name FROM secrets WHERE deletion_at IS NOT NULL AND deletion_at <= ? LIMIT ?")
    .bind(now, limit)
    .all<{ account_id: string; region: string; name: string }>();
  return results.map((r) => ({ accountId: r.account_id, region: r.region, name: r.name }));
}

/** Secrets whose scheduled rotation is due: the sweeper wakes their objects in case an alarm was missed. */
export async function dueRotations(db: D1Database, now: number, limit = 500): Promise<{ accountId: string; region: string; name: string }[]> {
  const { results } = await db
    // A replica copies its primary's schedule but never rotates (the primary's rotation reaches it): not woken.
    .prepare(
      `SELECT account_id, region, name FROM secrets WHERE rotation_due_at IS NOT NULL AND rotation_due_at <= ? AND rotation_enabled = 1
         AND deleted_at IS NULL AND (primary_region IS NULL OR primary_region = region) LIMIT ?`,
    )
    .bind(now, limit)
    .all<{ account_id: string; region: string; name: string }>();
  return results.map((r) => ({ accountId: r.account_id, region: r.region, name: r.name }));
}
