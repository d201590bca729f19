// RestoreSecret: cancel a scheduled deletion.
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const restoreSecret = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "RestoreSecret");
    const restored = unwrap(await secret.restore(auth, target));
    return { ARN: restored.arn, Name: restored.name };
  },
});
