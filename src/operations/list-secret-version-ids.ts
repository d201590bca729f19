// ListSecretVersionIds: the versions of a secret, newest first, labelled ones only unless IncludeDeprecated.
import { z } from "zod";
import { Bool, MaxResults, NextToken, SecretId } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { seconds } from "../protocol/json";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const listSecretVersionIds = defineOperation({
  input: z.object({ SecretId, MaxResults: MaxResults.optional(), NextToken: NextToken.optional(), IncludeDeprecated: Bool.optional() }),
  async handler(ctx, input) {
    const { secret, target } = locate(ctx, input.SecretId, "ListSecretVersionIds");
    const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
    const page = unwrap(await secret.listVersions(target, input.IncludeDeprecated ?? false, input.MaxResults, after));
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
      NextToken: page.nextToken === undefined ? undefined : btoa(JSON.stringify({ before: page.nextToken })),
    };
  },
});

function decodeToken(token: string): number {
  try {
    const before = Number((JSON.parse(atob(token)) as { before?: unknown }).before);
    if (Number.isSafeInteger(before) && before > 0) return before;
  } catch {
    // fall through to the AWS error
  }
  throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
}
