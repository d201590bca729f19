// ValidateResourcePolicy: the three documented checks (syntax, broad access, caller lockout) as ValidationErrors.
// With a SecretId the secret's object runs them (the lockout check needs the secret); without one, the Worker runs
// the first two. A document that is not JSON fails the syntax check; it is not MalformedPolicyDocumentException.
import { z } from "zod";
import { validateResourcePolicy } from "../authz";
import { ResourcePolicy, SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { deniedWithoutResource, locate, unwrap } from "./secrets";

export const validateResourcePolicyOperation = defineOperation({
  input: z.object({ SecretId: SecretId.optional(), ResourcePolicy }),
  async handler(ctx, input) {
    let outcome: { passed: boolean; errors: { checkName: string; errorMessage: string }[] };
    if (input.SecretId === undefined) {
      const denied = deniedWithoutResource(ctx, "ValidateResourcePolicy");
      if (denied) throw denied;
      outcome = validateResourcePolicy(input.ResourcePolicy);
    } else {
      const { secret, target, auth } = locate(ctx, input.SecretId, "ValidateResourcePolicy");
      outcome = unwrap(await secret.validatePolicy(auth, target, input.ResourcePolicy));
    }
    return {
      PolicyValidationPassed: outcome.passed,
      ValidationErrors: outcome.errors.map((e) => ({ CheckName: e.checkName, ErrorMessage: e.errorMessage })),
    };
  },
});
