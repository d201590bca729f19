// ListSecretVersionIds: the versions of a secret, newest first, labelled ones only unless IncludeDeprecated.
import { z } from "zod";
import { keyRing } from "../crypto/keys";
import { openPageToken, sealPageToken } from "../crypto/page-token";
import { objectName } from "../domain/secret-id";
import { Bool, MaxResults, NextToken, SecretId } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { seconds } from "../protocol/json";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const listSecretVersionIds = defineOperation({
  input: z.object({ SecretId, MaxResults: MaxResults.optional(), NextToken: NextToken.optional(), IncludeDeprecated: Bool.optional() }),
  async handler(ctx, input) {
    const { secret, target, ref, auth } = locate(ctx, input.SecretId, "ListSecretVersionIds");
    const ring = keyRing(ctx.env.KMS_KEYS);
    // Tokens are bound to the secret and the deprecated filter, so one cannot be replayed against another listing.
    const binding = `ListSecretVersionIds\n${objectName(ref)}\n${input.IncludeDeprecated === true}`;
    const before = input.NextToken === undefined ? undefined : await openPageToken(ring, binding, input.NextToken);
    if (input.NextToken !== undefined && !(Number.isSafeInteger(before) && (before as number) > 0)) {
      throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
    }
    const page = unwrap(await secret.listVersions(auth, target, input.IncludeDeprecated ?? false, input.MaxResults, before as number | undefined));
    return {
      ARN: page.arn,
      Name: page.name,
      Versions: page.versions.map((v) => ({
        VersionId: v.versionId,
        VersionStages: v.versionStages,
        LastAccessedDate: seconds(v.lastAccessedAt),
        CreatedDate: seconds(v.createdAt),
        KmsKeyIds: v.kmsKeyIds,
      })),
      NextToken: page.nextBefore === undefined ? undefined : await sealPageToken(ring, binding, page.nextBefore),
    };
  },
});
