// IAM wildcard matching (`*`, `?`) for actions, resource ARNs and StringLike/ArnLike values, and the
// policy variables (`${aws:PrincipalTag/team}`) that 2012-10-17 policies may use inside them.
import type { ContextValue } from "./types";

/** A pattern after variable substitution: substituted text is literal, never a wildcard. */
export type Pattern = Array<string | { literal: string }>;

type Mode = "plain" | "arn-resource";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const cache = new Map<string, RegExp>();

function compile(pattern: Pattern, mode: Mode, ignoreCase: boolean): RegExp {
  const cacheKey = `${mode}|${ignoreCase}|${JSON.stringify(pattern)}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let source = "";
  for (const part of pattern) {
    if (typeof part !== "string") {
      source += escape(part.literal);
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      const ch = part[i]!;
      if (ch === "*") {
        // IAM: a `*` that ends an ARN segment may expand across colons; elsewhere it stays in its segment.
        const next = part[i + 1];
        source += mode === "plain" || next === undefined || next === ":" ? ".*" : "[^:]*";
      } else if (ch === "?") {
        source += mode === "plain" ? "." : "[^:]";
      } else {
        source += escape(ch);
      }
    }
  }
  const regex = new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
  if (cache.size > 2000) cache.clear();
  cache.set(cacheKey, regex);
  return regex;
}

/** StringLike semantics: `*` any run, `?` any one character, case-sensitive unless asked. */
export function globMatch(pattern: Pattern | string, value: string, ignoreCase = false): boolean {
  return compile(typeof pattern === "string" ? [pattern] : pattern, "plain", ignoreCase).test(value);
}

/** Action matching: `secretsmanager:Get*` matches `secretsmanager:GetSecretValue`, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return compile([pattern], "plain", true).test(action);
}

/** Resource element matching: `*` alone matches anything, including the `*` of resource-less actions. */
export function resourceMatches(pattern: Pattern, resource: string): boolean {
  if (pattern.length === 1 && pattern[0] === "*") return true;
  return compile(pattern, "arn-resource", false).test(resource);
}

/** Splits an ARN into its six components; the last keeps any further colons. */
export function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** Splits a pattern at colons into ARN components; substituted literals never split. */
function patternComponents(pattern: Pattern): Pattern[] {
  const components: Pattern[] = [[]];
  for (const part of pattern) {
    if (typeof part !== "string") {
      components[components.length - 1]!.push(part);
      continue;
    }
    part.split(":").forEach((piece, j) => {
      if (j > 0) {
        if (components.length < 6) components.push([]);
        else components[5]!.push({ literal: ":" });
      }
      if (piece) components[components.length - 1]!.push(piece);
    });
  }
  return components;
}

/**
 * ArnEquals/ArnLike: each of the six colon-delimited components is matched on its own, with wildcards.
 * A pattern with fewer components whose last one ends in `*` lets that `*` cover the remaining components,
 * as in the Resource element (so `*` and `arn:aws:secretsmanager:*` match any secret ARN).
 */
export function arnLike(pattern: Pattern, arn: string): boolean {
  const target = arnParts(arn);
  const wanted = patternComponents(pattern);
  const last = wanted[wanted.length - 1]!;
  const tail = last[last.length - 1];
  if (wanted.length < 6 && typeof tail === "string" && tail.endsWith("*")) {
    const segments = arn.split(":");
    if (segments.length < wanted.length) return false;
    const head = wanted.slice(0, -1).every((component, i) => globMatch(component, segments[i]!));
    return head && globMatch(last, segments.slice(wanted.length - 1).join(":"));
  }
  return !!target && wanted.length === 6 && wanted.every((component, i) => globMatch(component, target[i]!));
}

const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL: Record<string, string> = { "*": "*", "?": "?", $: "$" };

/**
 * Resolves policy variables in a Resource or condition value. `${key}` takes the single value of a context
 * key; `${key, 'default'}` falls back to the default; `${*}`, `${?}` and `${$}` are literal characters.
 * Returns undefined when a variable has no value, which IAM treats as a value that matches nothing.
 */
export function substitute(value: string, lookup: (key: string) => ContextValue, enabled: boolean): Pattern | undefined {
  if (!enabled || !value.includes("${")) return [value];
  const out: Pattern = [];
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    out.push(value.slice(last, match.index));
    last = match.index! + match[0].length;
    const body = match[1]!.trim();
    const special = SPECIAL[body];
    if (special) {
      out.push({ literal: special });
      continue;
    }
    const [, key, fallback] = /^([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(body) ?? [];
    if (!key) return undefined;
    const resolved = lookup(key);
    if (typeof resolved === "string") out.push({ literal: resolved });
    else if (resolved === undefined && fallback !== undefined) out.push({ literal: fallback });
    else return undefined;
  }
  out.push(value.slice(last));
  return out.filter((p) => p !== "");
}

/** The text of a pattern, treating every part as literal (StringEquals and friends). */
export const patternText = (pattern: Pattern): string => pattern.map((p) => (typeof p === "string" ? p : p.literal)).join("");
