// PutResourcePolicy: attach (or replace) the secret's resource policy. A malformed document is
// MalformedPolicyDocumentException; with BlockPublicPolicy (default false, as the model documents) a policy that
// grants broad access is PublicPolicyException.
import { z } from "zod";
import { Bool, ResourcePolicy, SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const putResourcePolicy = defineOperation({
  input: z.object({ SecretId, ResourcePolicy, BlockPublicPolicy: Bool.optional() }),
  async handler(ctx, input) {
    const block = input.BlockPublicPolicy ?? false;
    const extra = { "secretsmanager:BlockPublicPolicy": input.BlockPublicPolicy === undefined ? undefined : String(block) };
    const { secret, target, auth } = locate(ctx, input.SecretId, "PutResourcePolicy", { extra });
    const put = unwrap(await secret.putPolicy(auth, target, input.ResourcePolicy, block));
    return { ARN: put.arn, Name: put.name };
  },
});
