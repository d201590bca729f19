// GetSecretValue: a version's decrypted value, by VersionId, by VersionStage, or AWSCURRENT.
import { z } from "zod";
import { toBase64 } from "../crypto/base64";
import { SecretId, VersionId, VersionStage } from "../domain/schemas";
import { seconds } from "../protocol/json";
import type { ValueView } from "../secret-object/types";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

const decoder = new TextDecoder();

export const getSecretValue = defineOperation({
  input: z.object({ SecretId, VersionId: VersionId.optional(), VersionStage: VersionStage.optional() }),
  async handler(ctx, input) {
    const request = { versionId: input.VersionId, versionStage: input.VersionStage };
    const { secret, target, auth } = locate(ctx, input.SecretId, "GetSecretValue", request);
    return valueResponse(unwrap(await secret.getValue(auth, target, input.VersionId, input.VersionStage)));
  },
});

/** GetSecretValue's response fields, also BatchGetSecretValue's SecretValueEntry. */
export function valueResponse(v: ValueView) {
  return {
    ARN: v.arn,
    Name: v.name,
    VersionId: v.versionId,
    SecretString: v.value.kind === "string" ? decoder.decode(v.value.bytes) : undefined,
    SecretBinary: v.value.kind === "binary" ? toBase64(v.value.bytes) : undefined,
    VersionStages: v.versionStages,
    CreatedDate: seconds(v.createdAt),
  };
}
