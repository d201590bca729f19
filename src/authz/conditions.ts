// IAM condition operators over a request context: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress,
// Arn*, Null, their ...IfExists forms and the ForAnyValue:/ForAllValues: set qualifiers.
import { arnLike, globMatch, type Pattern, patternText, substitute } from "./glob";
import { inCidr, parseCidr } from "./ip";
import type { ConditionClause, ConditionContext, ContextValue, SetQualifier, Statement } from "./types";

type Effect = Statement["effect"];

type Test = (contextValue: string, policyValue: Pattern) => boolean;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const toNumber = (text: string) => (NUMBER.test(text.trim()) ? Number(text) : NaN);
/** ISO 8601 text or epoch seconds, in milliseconds. */
const toTime = (text: string) => (NUMBER.test(text.trim()) ? Number(text) * 1000 : Date.parse(text));

function compare(parse: (text: string) => number, holds: (a: number, b: number) => boolean): Test {
  return (contextValue, policyValue) => {
    const a = parse(contextValue);
    const b = parse(patternText(policyValue));
    return !Number.isNaN(a) && !Number.isNaN(b) && holds(a, b);
  };
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const POSITIVE: Record<string, Test> = {
  StringEquals: (c, p) => c === patternText(p),
  StringEqualsIgnoreCase: (c, p) => c.toLowerCase() === patternText(p).toLowerCase(),
  StringLike: (c, p) => globMatch(p, c),
  NumericEquals: compare(toNumber, eq),
  NumericLessThan: compare(toNumber, lt),
  NumericLessThanEquals: compare(toNumber, le),
  NumericGreaterThan: compare(toNumber, gt),
  NumericGreaterThanEquals: compare(toNumber, ge),
  DateEquals: compare(toTime, eq),
  DateLessThan: compare(toTime, lt),
  DateLessThanEquals: compare(toTime, le),
  DateGreaterThan: compare(toTime, gt),
  DateGreaterThanEquals: compare(toTime, ge),
  Bool: (c, p) => c.toLowerCase() === patternText(p).toLowerCase(),
  BinaryEquals: (c, p) => c === patternText(p),
  IpAddress: (c, p) => {
    const cidr = parseCidr(patternText(p));
    return !!cidr && inCidr(c, cidr);
  },
  ArnEquals: (c, p) => arnLike(p, c),
  ArnLike: (c, p) => arnLike(p, c),
};

/** Each negated operator and the positive one it negates. */
const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
};

/** Policy variables are resolved only in string and ARN comparisons, as IAM documents. */
const SUBSTITUTES = /^(String|Arn)/;

export const OPERATOR_NAMES: ReadonlySet<string> = new Set([...Object.keys(POSITIVE), ...Object.keys(NEGATED), "Null"]);

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined for an operator IAM does not know. */
export function parseOperator(operator: string): { base: string; qualifier?: SetQualifier; ifExists: boolean } | undefined {
  const [, qualifier, name] = /^(?:(ForAnyValue|ForAllValues):)?(.+)$/.exec(operator) ?? [];
  if (!name) return undefined;
  const ifExists = name.endsWith("IfExists") && name !== "IfExists";
  const base = ifExists ? name.slice(0, -"IfExists".length) : name;
  if (!OPERATOR_NAMES.has(base)) return undefined;
  return { base, qualifier: qualifier as SetQualifier | undefined, ifExists };
}

/**
 * Every value a condition key names, one per key of the context that equals it case-insensitively (IAM matches key
 * names that way, while tag keys are case-sensitive: `aws:ResourceTag/team` names the tags `team` and `Team`).
 * Empty when the key is absent.
 */
export type Lookup = (key: string) => ContextValue[];

export function contextLookup(context: ConditionContext): Lookup {
  const byKey = new Map<string, ContextValue[]>();
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    byKey.set(lower, [...(byKey.get(lower) ?? []), value]);
  }
  return (key) => byKey.get(key.toLowerCase()) ?? [];
}

/**
 * Policy variables resolved from `lookup`: a key naming one value resolves to it. A key naming several case variants
 * has no single value; `ambiguous` then tells the caller to fail closed (docs/parity.md "Tag keys that differ only in
 * case").
 */
export function variablesOf(lookup: Lookup): { resolve: (key: string) => ContextValue; ambiguous: () => boolean } {
  let ambiguous = false;
  const resolve = (key: string) => {
    const values = lookup(key);
    if (values.length > 1) ambiguous = true;
    return values.length === 1 ? values[0] : undefined;
  };
  return { resolve, ambiguous: () => ambiguous };
}

function present(value: ContextValue): string[] | undefined {
  if (value === undefined) return undefined;
  const values = typeof value === "string" ? [value] : value;
  return values.length ? values : undefined;
}

/** Keys whose values are tag keys a request adds or removes: also judged case-insensitively (see evaluateClause). */
const TAG_KEYS = /^aws:TagKeys$/i;

const foldPattern = (pattern: Pattern): Pattern => pattern.map((p) => (typeof p === "string" ? p.toLowerCase() : { literal: p.literal.toLowerCase() }));

/**
 * Evaluates one operator/key clause, failing closed when the key has several readings (docs/parity.md "Tag keys that
 * differ only in case"): each case variant of the key in the context, and for aws:TagKeys the tag keys compared both
 * as written and case-insensitively, since a tag `Team` answers every `aws:ResourceTag/team` lookup. In a Deny
 * statement the clause holds when any reading satisfies it, in an Allow statement only when every reading does. A
 * policy variable naming several case variants makes the clause hold in a Deny and fail in an Allow.
 */
export function evaluateClause(clause: ConditionClause, lookup: Lookup, variables: boolean, effect: Effect = "Allow"): boolean {
  const values = lookup(clause.key);
  const readings = (values.length > 0 ? values : [undefined]).flatMap((value) => (TAG_KEYS.test(clause.key) ? [{ value }, { value, fold: true }] : [{ value }]));
  const variable = variablesOf(lookup);
  const outcomes = readings.map((r) => evaluateReading(clause, r.value, variable.resolve, variables, r.fold ?? false));
  if (variable.ambiguous()) return effect === "Deny";
  return effect === "Deny" ? outcomes.some(Boolean) : outcomes.every(Boolean);
}

/**
 * One reading of a clause. The policy's values are OR-ed. A missing key (absent or an empty list) makes positive
 * operators false, negated ones true, ...IfExists true, ForAllValues true, ForAnyValue false. Without a qualifier a
 * multivalued context value matches when any of its values does (negated: when none does).
 */
function evaluateReading(clause: ConditionClause, value: ContextValue, variable: (key: string) => ContextValue, variables: boolean, fold: boolean): boolean {
  const given = present(value);
  const contextValues = fold ? given?.map((v) => v.toLowerCase()) : given;
  if (clause.base === "Null") {
    return clause.values.some((v) => (v.toLowerCase() === "true" ? !contextValues : v.toLowerCase() === "false" && !!contextValues));
  }
  const positiveName = NEGATED[clause.base] ?? clause.base;
  const negated = positiveName !== clause.base;
  if (!contextValues) {
    if (clause.ifExists || clause.qualifier === "ForAllValues") return true;
    return clause.qualifier === "ForAnyValue" ? false : negated;
  }
  const test = POSITIVE[positiveName]!;
  const useVariables = variables && SUBSTITUTES.test(positiveName);
  const policyValues = clause.values
    .map((v) => substitute(v, variable, useVariables))
    .filter((p): p is Pattern => p !== undefined)
    .map((p) => (fold ? foldPattern(p) : p));
  const matchesOne = (value: string) => {
    const positive = policyValues.some((p) => test(value, p));
    return negated ? !positive : positive;
  };
  if (clause.qualifier === "ForAllValues") return contextValues.every(matchesOne);
  if (clause.qualifier === "ForAnyValue") return contextValues.some(matchesOne);
  return negated ? contextValues.every(matchesOne) : contextValues.some(matchesOne);
}

/** A Condition block holds when every clause holds (operators and keys are AND-ed); `effect` is its statement's. */
export function conditionsHold(clauses: ConditionClause[], lookup: Lookup, variables: boolean, effect: Effect = "Allow"): boolean {
  return clauses.every((clause) => evaluateClause(clause, lookup, variables, effect));
}
