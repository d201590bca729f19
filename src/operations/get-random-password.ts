// GetRandomPassword: validates the request, applies AWS defaults and returns a freshly generated password.
// Touches no storage; generation rules live in domain/password.ts.
import { z } from "zod";
import { generatePassword } from "../domain/password";
import { Bool } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { defineOperation } from "./operation";
import { deniedWithoutResource } from "./secrets";

export const getRandomPassword = defineOperation({
  input: z.object({
    PasswordLength: z.number().int().min(1).max(4096).default(32),
    ExcludeCharacters: z.string().max(4096).default(""),
    ExcludeNumbers: Bool.default(false),
    ExcludePunctuation: Bool.default(false),
    ExcludeUppercase: Bool.default(false),
    ExcludeLowercase: Bool.default(false),
    IncludeSpace: Bool.default(false),
    RequireEachIncludedType: Bool.default(true),
  }),
  handler: async (ctx, input) => {
    const denied = deniedWithoutResource(ctx, "GetRandomPassword");
    if (denied) throw denied;
    const result = generatePassword({
      length: input.PasswordLength,
      excludeCharacters: input.ExcludeCharacters,
      excludeNumbers: input.ExcludeNumbers,
      excludePunctuation: input.ExcludePunctuation,
      excludeUppercase: input.ExcludeUppercase,
      excludeLowercase: input.ExcludeLowercase,
      includeSpace: input.IncludeSpace,
      requireEachIncludedType: input.RequireEachIncludedType,
    });
    if (!result.ok) throw AwsError.from(result.error);
    return { RandomPassword: result.value };
  },
});
