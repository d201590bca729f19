// PutSecretValue: a new version of an existing secret; a repeated ClientRequestToken is idempotent.
import { z } from "zod";
import { ClientRequestToken, SecretBinary, SecretId, SecretString, VersionStages } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { defineOperation } from "./operation";
import { locate, requireToken, secretValue, unwrap } from "./secrets";

export const putSecretValue = defineOperation({
  input: z.object({
    SecretId,
    ClientRequestToken: ClientRequestToken.optional(),
    SecretBinary: SecretBinary.optional(),
    SecretString: SecretString.optional(),
    VersionStages: VersionStages.optional(),
    RotationToken: z.string().min(36).max(256).regex(/^[a-zA-Z0-9-]+$/).optional(),
  }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "PutSecretValue");
    const value = secretValue(input);
    if (!value) throw new AwsError("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
    const versionId = requireToken(input.ClientRequestToken);
    const put = unwrap(await secret.putValue(auth, target, versionId, value, input.VersionStages));
    // A repeated token of a version that has since lost its labels: empty fields are omitted, as everywhere.
    return { ARN: put.arn, Name: put.name, VersionId: put.versionId, VersionStages: put.versionStages?.length ? put.versionStages : undefined };
  },
});
