// CancelRotateSecret: turns rotation off (the rules and function stay visible) and drops a rotation in flight,
// answering its token; labels are left as they are, as AWS documents.
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const cancelRotateSecret = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "CancelRotateSecret");
    const r = unwrap(await secret.cancelRotation(auth, target));
    return { ARN: r.arn, Name: r.name, VersionId: r.versionId };
  },
});
