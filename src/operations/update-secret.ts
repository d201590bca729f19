// UpdateSecret: description, KMS key and type, and optionally a new AWSCURRENT value.
import { z } from "zod";
import { ClientRequestToken, Description, KmsKeyId, SecretBinary, SecretId, SecretString, SecretTypeName } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, requireToken, secretValue, unwrap } from "./secrets";

export const updateSecret = defineOperation({
  input: z.object({
    SecretId,
    ClientRequestToken: ClientRequestToken.optional(),
    Description: Description.optional(),
    KmsKeyId: KmsKeyId.optional(),
    SecretBinary: SecretBinary.optional(),
    SecretString: SecretString.optional(),
    Type: SecretTypeName.optional(),
  }),
  async handler(ctx, input) {
    const request = { description: input.Description, kmsKeyId: input.KmsKeyId };
    const { secret, target, auth } = locate(ctx, input.SecretId, "UpdateSecret", request);
    const value = secretValue(input);
    const versionId = value ? requireToken(input.ClientRequestToken) : undefined;
    const updated = unwrap(
      await secret.update(auth, target, {
        versionId,
        value,
        description: input.Description,
        kmsKeyId: input.KmsKeyId,
        // "" is no type, as CreateSecret treats it.
        type: input.Type || undefined,
      }),
    );
    return { ARN: updated.arn, Name: updated.name, VersionId: updated.versionId };
  },
});
