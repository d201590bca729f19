// One page of the D1 index for ListSecrets and BatchGetSecretValue: keyset pagination (never OFFSET) over the
// index of the requested sort, or, when a filter narrows the search to few secrets, over that filter's candidates.
import type { TagPair } from "../secret-object/store";
import { type Filter, candidates, exactCandidates, filtersSql, isNegated, literal, prefixEnd } from "./filters";

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

export interface ListedSecret {
  arn: string;
  name: string;
  description: string | null;
  kmsKeyId: string | null;
  type: string | null;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt: number | null;
  deletedAt: number | null;
  primaryRegion: string | null;
  owningService: string | null;
  tags: TagPair[];
  tagsSet: boolean;
  versionsToStages: Record<string, string[]>;
}

export interface Page {
  secrets: ListedSecret[];
  /** Set when more secrets follow. */
  next?: Position;
}

const SORTS: Record<SortBy, { column: string; index: string }> = {
  "created-date": { column: "created_at", index: "secrets_by_created" },
  "last-changed-date": { column: "last_changed_at", index: "secrets_by_changed" },
  "last-accessed-date": { column: "last_accessed_key", index: "secrets_by_accessed" },
  name: { column: "name", index: "secrets_by_name" },
};

/**
 * A filter that matches at most this many secrets drives the query from its own index (then their sort keys are
 * sorted); a broader one is tested row by row while the sort index is walked, which fills a page after about
 * page size ÷ selectivity rows, at most 100 × secrets ÷ 2,000 (5,000 rows at 100,000 secrets). A candidate costs
 * about twice a walked row, so 2,000 balances the two at around 100,000 secrets in a region.
 */
export const CANDIDATE_LIMIT = 2000;

/** D1 refuses statements over 100 kB; ten filters of ten long values can compile to more. */
export const MAX_STATEMENT = 90_000;

const COLUMNS = `s.arn, s.name, s.description, s.kms_key_id, s.type, s.created_at, s.last_changed_at, s.last_accessed_at,
  s.deleted_at, s.primary_region, s.owning_service, s.tags_json, s.tags_set, s.versions_to_stages_json`;

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
}

export class StatementTooLong extends Error {}

/** Reads up to `limit` secrets after `after`, in the query's order. */
export async function listPage(db: D1Database, query: ListQuery, limit: number, after?: Position): Promise<Page> {
  const plan = await choosePlan(db, query);
  const { sql, params } = pageStatement(query, plan, limit + 1, after);
  const { results } = await db.prepare(sql).bind(...params).all<Row>();
  const rows = results.slice(0, limit);
  const last = rows.at(-1);
  return {
    secrets: rows.map(toListed),
    next: results.length > limit && last ? [last.sort_key, last.arn] : undefined,
  };
}

/**
 * The name index serves a name prefix and the name sort at once. Otherwise every way into the filters without
 * negations is counted on its covering index, up to CANDIDATE_LIMIT, in one probe statement; the narrowest filter
 * drives the query when it is narrow enough. Without one, the sort index is walked.
 */
export async function choosePlan(db: D1Database, query: ListQuery): Promise<Plan> {
  const positive = query.filters.filter((f) => !f.values.some(isNegated));
  const range = query.sortBy === "name" ? positive.find((f) => f.key === "name" && f.values.length === 1 && f.values[0] !== "") : undefined;
  if (range) return { kind: "name-range", filter: range };
  if (positive.length === 0) return { kind: "walk" };

  const options = positive.map((filter) => candidates(filter)!);
  // One JSON column of nested arrays (filter → value → alternative): SQL functions take at most 127 arguments.
  const count = (branch: string) => `(SELECT count(*) FROM (${branch} LIMIT ${CANDIDATE_LIMIT + 1}))`;
  const nested = options.map((values) => `json_array(${values.map((alternatives) => `json_array(${alternatives.map(count).join(", ")})`).join(", ")})`);
  const probe = `SELECT json_array(${nested.join(", ")}) AS counts`;
  // Walking is always correct; a probe too long to send just leaves the sort index to do the work.
  if (probe.length > MAX_STATEMENT) return { kind: "walk" };
  const counts = JSON.parse((await db.prepare(probe).bind(query.accountId, query.region).first<string>("counts"))!) as number[][][];

  let best: Plan | undefined;
  let bestCount = CANDIDATE_LIMIT + 1;
  options.forEach((values, f) => {
    let total = 0;
    const branches = values.map((alternatives, v) => {
      const found = counts[f]![v]!;
      const pick = found.indexOf(Math.min(...found));
      total += found[pick]!;
      return alternatives[pick]!;
    });
    if (total < bestCount) {
      bestCount = total;
      best = { kind: "candidates", filter: positive[f]!, branches };
    }
  });
  return best && bestCount <= CANDIDATE_LIMIT ? best : { kind: "walk" };
}

/** The statement for one page: ?1 account, ?2 region, ?3/?4 the position after which to start, ?5 the limit. */
export function pageStatement(query: ListQuery, plan: Plan, limit: number, after?: Position): { sql: string; params: (string | number)[] } {
  const { column, index } = SORTS[query.sortBy];
  const desc = query.sortOrder === "desc";
  const direction = desc ? "DESC" : "ASC";
  const where = ["s.account_id = ?1", "s.region = ?2"];
  if (!query.includePlannedDeletion) where.push("s.deleted_at IS NULL");
  if (after) where.push(`(s.${column}, s.arn) ${desc ? "<" : ">"} (?3, ?4)`);

  const order = `ORDER BY s.${column} ${direction}, s.arn ${direction}`;
  let sql: string;
  if (plan.kind === "candidates") {
    where.push(filtersSql(query.filters, exactCandidates(plan.filter) ? plan.filter : undefined));
    // CROSS JOIN keeps the candidates as the outer loop: each is looked up by ARN; only the sort key and ARN
    // of the candidates are sorted, and the page's rows are read afterwards.
    sql = `SELECT ${COLUMNS}, s.${column} AS sort_key FROM (
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
      if (!desc || !after) where.push(`s.name < ${literal(prefixEnd(prefix))}`);
      if (desc || !after) where.push(`s.name >= ${literal(prefix)}`);
    }
    where.push(filtersSql(query.filters, skip));
    sql = `SELECT ${COLUMNS}, s.${column} AS sort_key FROM secrets s INDEXED BY ${index}
      WHERE ${where.join(" AND ")} ${order} LIMIT ?5`;
  }
  if (sql.length > MAX_STATEMENT) throw new StatementTooLong();
  return { sql, params: [query.accountId, query.region, after?.[0] ?? null, after?.[1] ?? null, limit] as (string | number)[] };
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
