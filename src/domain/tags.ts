// Tag rules from the Secrets Manager docs: at most 50 tags per secret, and the aws: prefix is reserved.
import type { DomainError } from "./errors";

export const MAX_TAGS = 50;

export interface TagPair {
  Key: string;
  Value: string;
}

/** The rule a set of tag keys (existing plus new) breaks, if any. */
export function tagRuleViolation(keys: Iterable<string>): DomainError | undefined {
  const unique = new Set(keys);
  if ([...unique].some((k) => k.toLowerCase().startsWith("aws:"))) {
    return { code: "InvalidParameterException", message: "Tag keys beginning with aws: are reserved for AWS use." };
  }
  if (unique.size > MAX_TAGS) {
    return { code: "InvalidParameterException", message: `A secret can have at most ${MAX_TAGS} tags.` };
  }
  return undefined;
}

/** One tag per key, the last value given winning, in first-seen key order. */
export function dedupeTags<T extends { Key: string }>(tags: readonly T[]): T[] {
  return [...new Map(tags.map((t) => [t.Key, t])).values()];
}
