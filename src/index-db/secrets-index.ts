// Writes to the D1 index. Entries come from each secret's outbox as full snapshots keyed by ARN; a revision
// guard makes a stale or repeated entry a no-op, so applying an entry twice is harmless. The rows derived from a
// snapshot, secret_tags and secret_words, follow its secrets row by trigger (docs/storage-schema.md "D1 index").
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
  const statements = indexStatements(db, entries);
  if (statements.length > 0) await db.batch(statements);
}

/**
 * The statements that apply entries: at most four whatever their number, as the rows travel in one JSON array that
 * SQLite reads (json_each), so many secrets' entries cost D1 about what one does. The derived rows (secret_tags,
 * secret_words) follow each secrets row by trigger (migrations/0010_index_triggers.sql).
 */
export function indexStatements(db: D1Database, entries: readonly IndexEntry[]): D1PreparedStatement[] {
  const latest = latestPerArn(entries);
  const removed = latest.flatMap((e) => (e.op === "delete" ? [e.arn] : []));
  const upserts = latest.flatMap((e) => (e.op === "upsert" ? [e] : []));
  const forced = upserts.filter((e) => e.force).map((e) => e.row);
  // A forced snapshot (the sweeper's repair) replaces its row and derived rows whatever they hold: removed, then
  // inserted anew, so the insert trigger derives them again.
  const replaced = [...removed, ...forced.map((r) => r.arn)];
  return [...(replaced.length > 0 ? remove(db, replaced) : []), ...upsert(db, upserts.map((e) => e.row))];
}

/** The D1 columns a snapshot writes, in one order: the indexed fields (secret-fields.ts), then the derived ones. */
const COLUMNS = [...INDEXED.map((f) => f.column), "tags_json", "versions_to_stages_json", "words_version", "words_json"];
const KEYS = new Set(["arn", "account_id", "region"]);

/** The values of COLUMNS for a snapshot. */
function columnValues(r: IndexRow): (string | number | null)[] {
  return [
    ...INDEXED.map((f) => toSql(f.type, f.name === "tagsSet" ? tagsSet(r) : (r[f.name] ?? null))),
    JSON.stringify(r.tags), JSON.stringify(r.versionsToStages), WORDS_VERSION, JSON.stringify(wordRows(r)),
  ];
}

/** One statement for all snapshots, each a JSON array of COLUMNS' values: a snapshot wins when its revision is higher. */
const UPSERT = `INSERT INTO secrets (${COLUMNS.join(", ")})
  SELECT ${COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")} FROM json_each(?1) WHERE true
  ON CONFLICT (arn) DO UPDATE SET ${COLUMNS.filter((c) => !KEYS.has(c)).map((c) => `${c} = excluded.${c}`).join(", ")}
  WHERE excluded.revision > secrets.revision`;

function upsert(db: D1Database, rows: readonly IndexRow[]): D1PreparedStatement[] {
  return rows.length === 0 ? [] : [db.prepare(UPSERT).bind(JSON.stringify(rows.map(columnValues)))];
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
  await db.batch(remove(db, [arn]));
}

function remove(db: D1Database, arns: readonly string[]): D1PreparedStatement[] {
  return ["secrets", "secret_tags", "secret_words"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE arn IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(arns)));
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
