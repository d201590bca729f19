// Tag rules shared by CreateSecret and TagResource (the documented tag restrictions).
import { AwsError } from "../protocol/errors";
import type { TagPair } from "../secret-object/store";

export const MAX_TAGS = 50;

export function checkTags(tags: readonly TagPair[]): void {
  if (tags.some((t) => t.Key.toLowerCase().startsWith("aws:"))) {
    throw new AwsError("InvalidParameterException", "Tag keys beginning with aws: are reserved for AWS use.");
  }
  if (new Set(tags.map((t) => t.Key)).size > MAX_TAGS) {
    throw new AwsError("InvalidParameterException", `A secret can have at most ${MAX_TAGS} tags.`);
  }
}
