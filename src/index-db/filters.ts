// ListSecrets filters (reference/aws-behaviour.md §6) compiled to SQL over the D1 index, and the word splitting
// that the `description` and `all` filters search by. Pure: no bindings. Filter strings are inlined as quoted SQL
// literals, since ten filters of ten values would need more parameters than D1 binds (100).

/** The Filter keys in the order AWS lists them in its validation message (§2b), newer keys last. */
export const FILTER_KEYS = ["all", "name", "tag-key", "description", "tag-value", "primary-region", "owning-service"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface Filter {
  key: FilterKey;
  values: readonly string[];
}

/** Bump when splitWords changes: the cron sweeper re-indexes rows whose words another version wrote. */
export const WORDS_VERSION = 1;

const SEPARATORS = ["/", "-", "_", "+", "=", ".", "@"];
const WORD_FIELDS = ["name", "description", "tag-key", "tag-value"] as const;
export type WordField = (typeof WORD_FIELDS)[number];

/**
 * The words AWS searches a name, description, tag key or tag value by: whitespace separates words; within a run,
 * one kind of separator (`/ - _ + = . @`) splits it while a run mixing several kinds stays whole, and each part
 * splits before a non-lowercase character followed by lowercase ones (`COMPANYthings` → `COMPAN`, `Ythings`).
 * A lone separator has no words. Patterns are split the same way.
 */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).flatMap(splitRun);
}

function splitRun(run: string): string[] {
  if (SEPARATORS.includes(run)) return [];
  const used = SEPARATORS.filter((c) => run.includes(c));
  if (used.length > 1) return [run];
  const parts = used.length === 1 ? run.split(used[0]!) : [run];
  return parts.flatMap((part) => part.split(/([^a-z][a-z]+)/)).filter((word) => word.length > 0);
}

/** The distinct lower-cased words of a text: what `description` and `all` prefix-match, case-insensitively. */
export function searchWords(text: string): string[] {
  return [...new Set(splitWords(text).map((word) => word.toLowerCase()))];
}

export const isNegated = (value: string): boolean => value.startsWith("!");

/** A quoted SQL string literal. */
export function literal(text: string): string {
  if (text.includes("\0")) throw new Error("NUL in a filter literal");
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The test that `column` starts with `prefix` (case-sensitive), for a row already found: one literal, and unlike LIKE
 * or GLOB no pattern length limit (D1 refuses patterns over 50 bytes). NULL for a NULL column.
 */
const startsWith = (column: string, prefix: string): string => `substr(${column}, 1, ${prefix.length}) = ${literal(prefix)}`;

/** The same test as a range in binary order, which an index on `column` serves. */
function prefixRange(column: string, prefix: string): string {
  if (prefix === "") return `${column} >= ''`;
  return `${column} >= ${literal(prefix)} AND ${column} < ${literal(prefixEnd(prefix))}`;
}

/** The first string after every string that starts with `prefix` (binary order), for an explicit index range. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The condition, over `s` (a row of `secrets`), that a secret passes every filter: the values of one filter are
 * OR-ed, filters are AND-ed (also two with the same key), and `!` negates a value (its complement). `skip` is a
 * filter the caller already enforces through an index range. Column tests carry a unary `+` so that they never
 * compete with the sort index for the page's range.
 */
export function filtersSql(filters: readonly Filter[], skip?: Filter): string {
  const parts = filters
    .filter((filter) => filter !== skip)
    .map((filter) => `(${filter.values.map((value) => (isNegated(value) ? `NOT (${matches(filter.key, value.slice(1))})` : `(${matches(filter.key, value)})`)).join(" OR ")})`);
  return parts.length > 0 ? parts.join(" AND ") : "1";
}

/** The condition that a secret matches one filter value (without its `!`). Never NULL. */
function matches(key: FilterKey, pattern: string): string {
  switch (key) {
    case "name":
      return startsWith("+s.name", pattern);
    case "primary-region":
    case "owning-service": {
      const column = key === "primary-region" ? "primary_region" : "owning_service";
      return `s.${column} IS NOT NULL AND ${startsWith(`+s.${column}`, pattern)}`;
    }
    case "tag-key":
    case "tag-value":
      return `EXISTS (SELECT 1 FROM secret_tags t WHERE t.arn = s.arn AND ${startsWith(`t.${key === "tag-key" ? "key" : "value"}`, pattern)})`;
    case "description":
      return wordsMatch(["description"], pattern);
    case "all":
      return wordsMatch(WORD_FIELDS, pattern);
  }
}

/**
 * Every word of the pattern is a prefix of some word of one attribute: the description, or for `all` the name,
 * the description, one tag key or one tag value. A pattern without words matches nothing.
 */
function wordsMatch(fields: readonly WordField[], pattern: string): string {
  const words = longestFirst(searchWords(pattern));
  if (words.length === 0) return "0";
  if (fields.length === 1) {
    return words
      .map((word) => `EXISTS (SELECT 1 FROM secret_words w WHERE w.arn = s.arn AND w.field = ${literal(fields[0]!)} AND w.attr = 0 AND ${startsWith("w.word", word)})`)
      .join(" AND ");
  }
  const [first, ...rest] = words;
  const sameAttribute = rest
    .map((word, i) => {
      const w = `w${i + 1}`;
      return ` AND EXISTS (SELECT 1 FROM secret_words ${w} WHERE ${w}.arn = s.arn AND ${w}.field = w0.field AND ${w}.attr = w0.attr AND ${startsWith(`${w}.word`, word)})`;
    })
    .join("");
  return `EXISTS (SELECT 1 FROM secret_words w0 WHERE w0.arn = s.arn AND ${startsWith("w0.word", first!)}${sameAttribute})`;
}

/** Word filters offer their longest words as alternative ways in; the probe picks the rarest. */
export const WORD_OPTIONS = 3;

/**
 * For a filter without negated values, per value: the queries (?1 = account, ?2 = region) that each select, from a
 * covering index, the ARNs that can match that value; any one of them will do. A word value offers one query per
 * word (all its words must match, so each word's secrets include the value's). Undefined when a value is negated.
 */
export function candidates(filter: Filter): string[][] | undefined {
  if (filter.values.some(isNegated)) return undefined;
  const scope = "account_id = ?1 AND region = ?2";
  return filter.values.map((pattern) => {
    switch (filter.key) {
      case "name":
        return [`SELECT arn FROM secrets WHERE ${scope} AND ${prefixRange("name", pattern)}`];
      case "primary-region":
        return [`SELECT arn FROM secrets WHERE ${scope} AND ${prefixRange("primary_region", pattern)}`];
      case "owning-service":
        return [`SELECT arn FROM secrets WHERE ${scope} AND ${prefixRange("owning_service", pattern)}`];
      case "tag-key":
        return [`SELECT arn FROM secret_tags WHERE ${scope} AND ${prefixRange("key", pattern)}`];
      case "tag-value":
        return [`SELECT arn FROM secret_tags WHERE ${scope} AND ${prefixRange("value", pattern)}`];
      case "description":
      case "all": {
        const words = longestFirst(searchWords(pattern)).slice(0, WORD_OPTIONS);
        if (words.length === 0) return [`SELECT arn FROM secrets WHERE ${scope} AND 0`];
        const fields = (filter.key === "all" ? WORD_FIELDS : (["description"] as const)).map(literal).join(", ");
        return words.map((word) => `SELECT arn FROM secret_words WHERE ${scope} AND field IN (${fields}) AND ${prefixRange("word", word)}`);
      }
    }
  });
}

/** True when a filter's candidates are exactly its matches, so the filter need not be tested on them again. */
export const exactCandidates = (filter: Filter): boolean => filter.key !== "description" && filter.key !== "all";

/** Longer words are rarer: testing them first narrows the search soonest. */
const longestFirst = (words: string[]): string[] => [...words].sort((a, b) => b.length - a.length);
