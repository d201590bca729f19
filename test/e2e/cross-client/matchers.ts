// Expectation building blocks for scenarios: refs to earlier results, and asymmetric matchers for values that
// vary per run (dates, generated ids, ARN suffixes, passwords). Plain objects with asymmetricMatch work with
// vitest's toStrictEqual and print readably in its diffs.
import { expect } from "vitest";
import { ACCOUNT, REGION } from "../client";
import type { Binary, Ref } from "./types";

const DAY = 86_400_000;
const SLACK_MS = 120_000;

export interface Matcher {
  asymmetricMatch(actual: unknown): boolean;
  toString(): string;
}

function matcher(description: string, test: (actual: unknown) => boolean): Matcher {
  return {
    $$typeof: Symbol.for("jest.asymmetricMatcher"),
    asymmetricMatch: test,
    toString: () => description,
    toAsymmetricMatcher: () => description,
  } as Matcher;
}

export const ref = (path: string): Ref => ({ $ref: path });
export const binary = (base64: string): Binary => ({ $binary: base64 });

const isRef = (value: unknown): value is Ref => typeof value === "object" && value !== null && "$ref" in value;
const isMatcher = (value: unknown): value is Matcher =>
  typeof value === "object" && value !== null && typeof (value as Matcher).asymmetricMatch === "function";

/** Reads a dotted path (`label.Versions.0.VersionId`) from the bodies of labelled results. */
export type Lookup = (path: string) => unknown;

/** Replaces refs in an expectation tree with the values this driver's run produced. */
export function resolve(expected: unknown, lookup: Lookup): unknown {
  if (isRef(expected)) return lookup(expected.$ref);
  if (expected instanceof RegExp) return expect.stringMatching(expected);
  if (expected instanceof Deferred) return expected.build((value) => resolve(value, lookup));
  if (isMatcher(expected)) return expected;
  if (Array.isArray(expected)) return expected.map((item) => resolve(item, lookup));
  if (typeof expected === "object" && expected !== null) {
    return Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, resolve(value, lookup)]));
  }
  return expected;
}

/** A matcher or value that needs refs resolved first. */
class Deferred {
  constructor(readonly build: (resolveValue: (value: unknown) => unknown) => unknown) {}
}

/** A string assembled from literals and refs, e.g. a message that quotes an ARN. */
export const text = (...parts: (string | Ref)[]) => new Deferred((r) => parts.map((p) => String(r(p))).join(""));

/** Any value except the one `other` resolves to. */
export const differentFrom = (other: Ref) =>
  new Deferred((r) => {
    const value = r(other);
    return matcher(`anything but ${JSON.stringify(value)}`, (actual) => actual !== value);
  });

/** Every one of the matchers. */
export const allOf = (...matchers: unknown[]) =>
  new Deferred((r) => {
    const resolved = matchers.map(r);
    return matcher(`allOf(${resolved.map(String).join(", ")})`, (actual) =>
      resolved.every((m) => (isMatcher(m) ? m.asymmetricMatch(actual) : Object.is(m, actual))),
    );
  });

/** An epoch-ms date within two minutes of now (client and server share the clock here). */
export const recent = () => matcher("a date within 2 min of now", (a) => typeof a === "number" && Math.abs(a - Date.now()) <= SLACK_MS);

/** An epoch-ms date `days` days from now, within two minutes. */
export const daysFromNow = (days: number) =>
  matcher(`a date ${days} days from now`, (a) => typeof a === "number" && Math.abs(a - (Date.now() + days * DAY)) <= SLACK_MS);

/** UTC midnight of today (or of yesterday, if the run crossed midnight): LastAccessedDate's day resolution. */
export const today = () =>
  matcher("UTC midnight of today", (a) => {
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    return a === midnight || a === midnight - DAY;
  });

export const uuid = () => expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** The full ARN of `name` in `region`: only the 6-character suffix varies. */
export const arnOf = (name: string, region = REGION) =>
  expect.stringMatching(new RegExp(`^arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${escape(name)}-[A-Za-z0-9]{6}$`));

export const partialArn = (name: string, region = REGION) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}`;

/** The same items in any order (AWS does not define the order of these lists). */
export const unordered = (items: unknown[]) =>
  new Deferred((r) => {
    const resolved = items.map(r);
    const contains = expect.arrayContaining(resolved);
    return matcher(`unordered ${JSON.stringify(resolved)}`, (a) => Array.isArray(a) && a.length === resolved.length && contains.asymmetricMatch(a));
  });

/** A string matching `pattern`. */
export const matching = (pattern: RegExp) => expect.stringMatching(pattern);

/** A string or number equal to one of `values`. */
export const oneOf = (...values: unknown[]) => matcher(`one of ${JSON.stringify(values)}`, (a) => values.includes(a));

/** An object with at least these members (for entries whose other members AWS leaves open). */
export const containing = (members: Record<string, unknown>) => new Deferred((r) => expect.objectContaining(r(members) as object));

/** A password of `length` characters, each drawn from `alphabet`, with one of each class in `required`. */
export function password(length: number, alphabet: RegExp, required: RegExp[] = []) {
  return matcher(`a ${length}-character password`, (a) => {
    if (typeof a !== "string" || [...a].length !== length) return false;
    return [...a].every((c) => alphabet.test(c)) && required.every((r) => r.test(a));
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
