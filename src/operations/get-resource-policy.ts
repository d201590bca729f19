// GetResourcePolicy: the secret's resource policy exactly as it was sent; ResourcePolicy is absent when it has none.
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const getResourcePolicy = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "GetResourcePolicy");
    const policy = unwrap(await secret.getPolicy(auth, target));
    return { ARN: policy.arn, Name: policy.name, ResourcePolicy: policy.resourcePolicy };
  },
});
