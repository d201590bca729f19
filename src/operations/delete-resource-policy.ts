// DeleteResourcePolicy: remove the secret's resource policy (a secret without one answers the same).
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const deleteResourcePolicy = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "DeleteResourcePolicy");
    const deleted = unwrap(await secret.deletePolicy(auth, target));
    return { ARN: deleted.arn, Name: deleted.name };
  },
});
