// GetRandomPassword: validates the request, applies AWS defaults and returns a freshly generated password.
// Touches no storage; generation rules live in domain/password.ts.
import { generatePassword, passwordOptions, PasswordRequest } from "../domain/password";
import { AwsError } from "../protocol/errors";
import { defineOperation } from "./operation";
import { deniedWithoutResource } from "./secrets";

export const getRandomPassword = defineOperation({
  input: PasswordRequest,
  handler: async (ctx, input) => {
    const denied = deniedWithoutResource(ctx, "GetRandomPassword");
    if (denied) throw denied;
    const result = generatePassword(passwordOptions(input));
    if (!result.ok) throw AwsError.from(result.error);
    return { RandomPassword: result.value };
  },
});
