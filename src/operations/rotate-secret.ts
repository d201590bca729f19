// RotateSecret: stores the rotation configuration, creates the AWSPENDING placeholder under the token and answers;
// the four steps then run from the secret's alarm (secret-object/rotation.ts). Reuses the stored configuration when
// the request names none.
import { z } from "zod";
import { ClientRequestToken, SecretId } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { RotationRulesInput, parseRotationRules } from "../rotation/schedule";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

const MetadataItem = z.object({ Key: z.string().min(1).max(256), Value: z.string().min(1).max(2048) });

export const rotateSecret = defineOperation({
  input: z.object({
    SecretId,
    ClientRequestToken: ClientRequestToken.optional(),
    RotationLambdaARN: z.string().max(2048).optional(),
    RotationRules: RotationRulesInput.optional(),
    ExternalSecretRotationMetadata: z.array(MetadataItem).optional(),
    ExternalSecretRotationRoleArn: z.string().min(20).max(2048).optional(),
    RotateImmediately: z.boolean().optional(),
  }),
  async handler(ctx, input) {
    // E50: checked before the secret is looked up, and InvalidParameterException here (other operations differ).
    if (input.ClientRequestToken === undefined) {
      throw new AwsError("InvalidParameterException", "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
    }
    if (input.RotationRules) unwrap(parseRotationRules(input.RotationRules));
    const immediately = input.RotateImmediately ?? true;
    const lambdaArn = input.RotationLambdaARN || undefined;
    const { secret, target, auth } = locate(ctx, input.SecretId, "RotateSecret", {
      extra: {
        "secretsmanager:RotationLambdaARN": lambdaArn,
        "secretsmanager:ModifyRotationRules": input.RotationRules !== undefined ? "true" : "false",
        "secretsmanager:RotateImmediately": String(immediately),
      },
    });
    const r = unwrap(
      await secret.rotate(auth, target, {
        token: input.ClientRequestToken, lambdaArn, rules: input.RotationRules, immediately,
        metadata: input.ExternalSecretRotationMetadata, roleArn: input.ExternalSecretRotationRoleArn,
      }),
    );
    return { ARN: r.arn, Name: r.name, VersionId: r.versionId };
  },
});
