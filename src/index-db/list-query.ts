// One page of the D1 index for ListSecrets and BatchGetSecretValue: keyset pagination (pages never start at an
// OFFSET) over a bounded window of the index of the requested sort, or, when a filter narrows the search to few
// secrets, over that filter's candidates.
import type { TagPair } from "../domain/tags";
import { type Filter, type FilterKey, candidates, exactCandidates, filtersSql, isNegated, literal, prefixEnd } from "./filters";
import type { IndexRow } from "./secrets-index";

export type SortBy = "created-date" | "last-accessed-date" | "last-changed-date" | "name";
export type SortOrder = "asc" | "desc";

export interface ListQuery {
  accountId: string;
  region: string;
  filters: readonly Filter[];
  sortBy: SortBy;
  sortOrder: SortOrder;
  includePlannedDeletion: boolean;
}

/** Where a page ended: the sort key and ARN of its last secret (the ARN breaks ties). */
export type Position = [key: number | string, arn: string];

/** How a page is read (see docs/storage-schema.md "D1 index"). */
export type Plan =
  | { kind: "walk" }
  | { kind: "name-range"; filter: Filter }
  | { kind: "candidates"; filter: Filter; branches: string[] };

/** A secret as a list shows it: its index row without the bookkeeping, plus the replication columns. */
export type ListedSecret = Omit<IndexRow, "accountId" | "region" | "deletionAt" | "revision" | "tagsSet"> & {
  primaryRegion: string | null;
  owningService: string | null;
  tagsSet: boolean;
};

export interface Page {
  secrets: ListedSecret[];
  /** Set when more secrets may follow: a walk's page can be short, or empty, and still have one. */
  next?: Position;
}

const SORTS: Record<SortBy, { column: string; index: string }> = {
  "created-date": { column: "created_at", index: "secrets_by_created" },
  "last-changed-date": { column: "last_changed_at", index: "secrets_by_changed" },
  "last-accessed-date": { column: "last_accessed_key", index: "secrets_by_accessed" },
  name: { column: "name", index: "secrets_by_name" },
};

/**
 * How many matches a filter may have and still drive the query from its own index (candidates plan); a broader
 * filter is tested row by row while the sort index is walked. n candidates cost n × d (each is looked up by ARN,
 * tested, and its sort key sorted); a walk fills a page of 100 after 100 × secrets ÷ n rows at w each. The two
 * meet at n = √(100 × secrets × w ÷ d), and w depends on the filter the walk tests. Measured on node:sqlite at
 * 100,000 secrets (bench/scale.mjs data):
 * - name, primary-region, owning-service: d ≈ 4–5 µs, but the walk tests a column of the row it reads anyway,
 *   w ≈ 0.5–0.7 µs: they meet at ~1,100 (~350 at 10,000 secrets), so 1,000. The bench's 12 % name prefix at
 *   10,000 secrets (1,200 candidates) took 5.6 ms through its candidates, 1.9 ms walking (probe included).
 * - tag-key, tag-value: d ≈ 7–9 µs, w ≈ 6–7 µs (a key lookup in secret_tags per row): ~2,800. description, all:
 *   d ≈ 20 µs (their words are tested again), w ≈ 8–9 µs: ~2,100. So 2,000, which also lets a walk for such a
 *   filter fill its page within one MAX_SCAN window at up to 100,000 secrets.
 */
export const CANDIDATE_LIMITS: Readonly<Record<FilterKey, number>> = {
  name: 1000,
  "primary-region": 1000,
  "owning-service": 1000,
  "tag-key": 2000,
  "tag-value": 2000,
  description: 2000,
  all: 2000,
};

/**
 * The most rows of the sort index one page reads (walk and name-range plans). A page that has not filled by the
 * end of its window returns the matches found so far, possibly none, positioned at the window's last row, and the
 * next page continues from there (AWS: "NextToken may be returned with an empty page"). Unbounded, a filter that
 * matches few secrets (a negated one, or a broad one with a rare negated one) read the whole region on every page:
 * 440–650 ms for `tag-value !team-` at 100,000 secrets. 5,000 rows bound a page at ~3 ms of SQL when the filters
 * test columns and ~20–45 ms when they test tags or words, and bound the rows D1 reads (and bills) per call. It
 * does not cut the pages of a filter walked for being broad: over 2,000 matches is ≥ 2 % of 100,000 secrets, a
 * page of 100 within 5,000 rows. (A column filter walked for over 1,000 matches can return half pages at 100,000
 * secrets, cheaply: its rows cost ~0.6 µs.)
 */
export const MAX_SCAN = 5000;

/** D1 refuses statements over 100 kB; ten filters of ten long values can compile to more. */
export const MAX_STATEMENT = 90_000;

const COLUMNS = `s.arn, s.name, s.description, s.kms_key_id, s.type, s.created_at, s.last_changed_at, s.last_accessed_at,
  s.deleted_at, s.primary_region, s.owning_service, s.tags_json, s.tags_set, s.versions_to_stages_json`;

/** What visiblePage judges each match of its window by. */
const JUDGED_COLUMNS = "s.arn, s.tags_json";

interface Row {
  arn: string;
  name: string;
  description: string | null;
  kms_key_id: string | null;
  type: string | null;
  created_at: number;
  last_changed_at: number;
  last_accessed_at: number | null;
  deleted_at: number | null;
  primary_region: string | null;
  owning_service: string | null;
  tags_json: string;
  tags_set: number;
  versions_to_stages_json: string;
  sort_key: number | string;
  /**
   * Only on the last row of a walk's page that did not fill: JSON of the positions of the window's last row and of
   * the row after it, `[]` to `[[key, arn], [key, arn]]`; its other columns are NULL.
   */
  window_end: string | null;
}

export class StatementTooLong extends Error {}

/**
 * Reads up to `limit` secrets after `after`, in the query's order. A walk reads at most `scan` rows of the sort
 * index: when they hold `limit` matches or fewer, the page has just those (possibly none) and `next` is the last
 * row read, unless it was the range's last. With `visible` (a caller that may not list every secret) see visiblePage.
 */
export async function listPage(
  db: D1Database,
  query: ListQuery,
  limit: number,
  after?: Position,
  scan = MAX_SCAN,
  visible?: (secret: Judged) => boolean,
): Promise<Page> {
  if (!Number.isSafeInteger(scan) || scan < 1) throw new RangeError(`scan must be a positive integer, not ${scan}`);
  if (visible) return visiblePage(db, query, limit, after, scan, visible);
  const plan = await choosePlan(db, query);
  const { sql, params } = pageStatement(query, plan, limit + 1, after, scan);
  const { results } = await db.prepare(sql).bind(...params).all<Row>();
  const matches = results.filter((r) => r.window_end === null);
  const rows = matches.slice(0, limit);
  return { secrets: rows.map(toListed), next: matches.length > limit ? positionOf(rows.at(-1)!) : windowNext(results) };
}

/** What a listing judges a secret by: its ARN and tags. */
export type Judged = Pick<ListedSecret, "arn" | "tags">;

const positionOf = (row: { sort_key: number | string; arn: string }): Position => [row.sort_key, row.arn];

/** After a page that read its whole window: the window's last row, unless no row follows it. */
function windowNext(results: Pick<Row, "window_end">[]): Position | undefined {
  const end = results.find((r) => r.window_end !== null);
  const positions = end ? (JSON.parse(end.window_end!) as Position[]) : [];
  return positions.length === 2 ? positions[0] : undefined;
}

/**
 * A page for a caller who may not list every secret: nothing of it depends on the rows the caller may not see
 * (docs/parity.md "Listings reveal nothing of hidden secrets"). Whatever the filters, it walks one whole window of
 * the sort index (no plan chosen by counting matches, no stop after enough matches), judges every match by its ARN
 * and tags, keeps the first `limit` visible ones, and continues after the last of them only when a visible match
 * follows within the window, else after the window when rows follow it. Then it reads the kept rows' columns.
 */
async function visiblePage(db: D1Database, query: ListQuery, limit: number, after: Position | undefined, scan: number, visible: (s: Judged) => boolean): Promise<Page> {
  // A window holds at most `scan` rows, so with a limit of scan + 1 the window's end is always looked up.
  const { sql, params } = pageStatement(query, { kind: "walk" }, scan + 1, after, scan, JUDGED_COLUMNS);
  const { results } = await db.prepare(sql).bind(...params).all<Pick<Row, "arn" | "tags_json" | "sort_key" | "window_end">>();
  const shown = results.filter((r) => r.window_end === null && visible({ arn: r.arn, tags: JSON.parse(r.tags_json) as TagPair[] }));
  const rows = shown.slice(0, limit);
  const next = shown.length > limit ? positionOf(rows.at(-1)!) : windowNext(results);
  if (rows.length === 0) return { secrets: [], next };
  const { column } = SORTS[query.sortBy];
  const direction = query.sortOrder === "desc" ? "DESC" : "ASC";
  const read = await db
    .prepare(`SELECT ${COLUMNS}, s.${column} AS sort_key FROM secrets s WHERE s.arn IN (${rows.map((r) => literal(r.arn)).join(", ")})
      ORDER BY s.${column} ${direction}, s.arn ${direction}`)
    .all<Row>();
  return { secrets: read.results.map(toListed), next };
}

/**
 * The name index serves a name prefix and the name sort at once. Otherwise every way into the filters without
 * negations is counted on its covering index, up to its CANDIDATE_LIMITS, in one probe statement; the narrowest
 * filter within its limit drives the query. Without one, the sort index is walked.
 */
export async function choosePlan(db: D1Database, query: ListQuery): Promise<Plan> {
  const positive = query.filters.filter((f) => !f.values.some(isNegated));
  const range = query.sortBy === "name" ? positive.find((f) => f.key === "name" && f.values.length === 1 && f.values[0] !== "") : undefined;
  if (range) return { kind: "name-range", filter: range };
  if (positive.length === 0) return { kind: "walk" };

  const options = positive.map((filter) => candidates(filter)!);
  // One JSON column of nested arrays (filter → value → alternative): SQL functions take at most 127 arguments.
  const count = (branch: string, limit: number) => `(SELECT count(*) FROM (${branch} LIMIT ${limit + 1}))`;
  const nested = options.map(
    (values, f) => `json_array(${values.map((alternatives) => `json_array(${alternatives.map((b) => count(b, CANDIDATE_LIMITS[positive[f]!.key])).join(", ")})`).join(", ")})`,
  );
  const probe = `SELECT json_array(${nested.join(", ")}) AS counts`;
  // Walking is always correct; a probe too long to send just leaves the sort index to do the work.
  if (probe.length > MAX_STATEMENT) return { kind: "walk" };
  const counts = JSON.parse((await db.prepare(probe).bind(query.accountId, query.region).first<string>("counts"))!) as number[][][];

  let best: Plan | undefined;
  let bestCount = Infinity;
  options.forEach((values, f) => {
    const filter = positive[f]!;
    let total = 0;
    const branches = values.map((alternatives, v) => {
      const found = counts[f]![v]!;
      const pick = found.indexOf(Math.min(...found));
      total += found[pick]!;
      return alternatives[pick]!;
    });
    if (total <= CANDIDATE_LIMITS[filter.key] && total < bestCount) {
      bestCount = total;
      best = { kind: "candidates", filter, branches };
    }
  });
  return best ?? { kind: "walk" };
}

/**
 * The statement for one page: ?1 account, ?2 region, ?3/?4 the position after which to start, ?5 the limit, ?6 the
 * most rows a walk reads from the sort index (`scan`). Rows with a NULL `window_end` are the matches, in order; a
 * walk that matched fewer than ?5 rows adds one row whose `window_end` says where its window ended.
 */
export function pageStatement(
  query: ListQuery,
  plan: Plan,
  limit: number,
  after?: Position,
  scan = MAX_SCAN,
  columns = COLUMNS,
): { sql: string; params: (string | number | null)[] } {
  const { column, index } = SORTS[query.sortBy];
  const desc = query.sortOrder === "desc";
  const direction = desc ? "DESC" : "ASC";
  const scope = ["s.account_id = ?1", "s.region = ?2"];
  if (after) scope.push(`(s.${column}, s.arn) ${desc ? "<" : ">"} (?3, ?4)`);
  const live = query.includePlannedDeletion ? [] : ["s.deleted_at IS NULL"];

  let sql: string;
  if (plan.kind === "candidates") {
    const where = [...scope, ...live, filtersSql(query.filters, exactCandidates(plan.filter) ? plan.filter : undefined)];
    const order = `ORDER BY s.${column} ${direction}, s.arn ${direction}`;
    // CROSS JOIN keeps the candidates as the outer loop: each is looked up by ARN; only the sort key and ARN
    // of the candidates are sorted, and the page's rows are read afterwards.
    sql = `SELECT ${COLUMNS}, s.${column} AS sort_key, NULL AS window_end FROM (
        SELECT s.arn FROM (${union(plan.branches)}) AS c CROSS JOIN secrets s ON s.arn = c.arn
        WHERE ${where.join(" AND ")} ${order} LIMIT ?5
      ) AS p CROSS JOIN secrets s ON s.arn = p.arn
      ${order}`;
  } else {
    let skip: Filter | undefined;
    if (plan.kind === "name-range") {
      // The filter's prefix bounds the name range; on later pages the position is already inside it.
      const prefix = plan.filter.values[0]!;
      skip = plan.filter;
      if (!desc || !after) scope.push(`s.name < ${literal(prefixEnd(prefix))}`);
      if (desc || !after) scope.push(`s.name >= ${literal(prefix)}`);
    }
    const range = `FROM secrets s INDEXED BY ${index} WHERE ${scope.join(" AND ")} ORDER BY s.${column} ${direction}, s.arn ${direction}`;
    const nulls = columns.split(",").map(() => "NULL").join(", ");
    // page: the window w, the next ?6 (sort key, ARN, rowid) of the sort index, read from it alone, is a co-routine
    // that the page consumes in its order (no sort step), stopping once ?5 rows matched; each row is read by rowid
    // and tested. page keeps only the matches' rowid and position; their columns are read at the end. Only a page
    // that did not fill, and so read its whole window, looks up where the window ends (the scalar subquery runs
    // only when the WHERE holds): the window's last row and the row after it, if any. The final sort is over at
    // most ?5 + 1 rows.
    sql = `WITH page AS (
        SELECT s.rowid AS id, w.k AS k, w.arn AS arn
        FROM (SELECT s.rowid AS id, s.${column} AS k, s.arn AS arn ${range} LIMIT ?6) AS w CROSS JOIN secrets s ON s.rowid = w.id
        WHERE ${[...live, filtersSql(query.filters, skip)].join(" AND ")} ORDER BY w.k ${direction}, w.arn ${direction} LIMIT ?5
      )
      SELECT ${columns.replace("s.arn,", "s.arn AS arn,")}, p.k AS sort_key, NULL AS window_end FROM page p CROSS JOIN secrets s ON s.rowid = p.id
      UNION ALL
      SELECT ${nulls}, NULL, (SELECT json_group_array(json_array(k, arn)) FROM (SELECT s.${column} AS k, s.arn AS arn ${range} LIMIT 2 OFFSET ?6 - 1))
      WHERE (SELECT count(*) FROM page) < ?5
      ORDER BY window_end, sort_key ${direction}, arn ${direction}`;
  }
  if (sql.length > MAX_STATEMENT) throw new StatementTooLong();
  const params = [query.accountId, query.region, after?.[0] ?? null, after?.[1] ?? null, limit];
  // Binding a parameter the statement does not number is an error: ?6 only for a walk.
  return { sql, params: plan.kind === "candidates" ? params : [...params, scan] };
}

/** D1 allows at most 5 terms in one compound SELECT, so longer unions nest. */
const MAX_COMPOUND = 5;

/** The distinct ARNs that any of the `SELECT arn …` branches selects. */
function union(branches: string[]): string {
  if (branches.length === 1) return branches[0]!.replace(/^SELECT arn/, "SELECT DISTINCT arn");
  if (branches.length <= MAX_COMPOUND) return branches.join(" UNION ");
  const groups: string[] = [];
  for (let i = 0; i < branches.length; i += MAX_COMPOUND) groups.push(`SELECT arn FROM (${union(branches.slice(i, i + MAX_COMPOUND))})`);
  return union(groups);
}

function toListed(r: Row): ListedSecret {
  return {
    arn: r.arn,
    name: r.name,
    description: r.description,
    kmsKeyId: r.kms_key_id,
    type: r.type,
    createdAt: r.created_at,
    lastChangedAt: r.last_changed_at,
    lastAccessedAt: r.last_accessed_at,
    deletedAt: r.deleted_at,
    primaryRegion: r.primary_region,
    owningService: r.owning_service,
    tags: JSON.parse(r.tags_json) as TagPair[],
    tagsSet: r.tags_set === 1,
    versionsToStages: JSON.parse(r.versions_to_stages_json) as Record<string, string[]>,
  };
}
