// TagResource: add or overwrite tags on a secret (not while it is scheduled for deletion).
import { z } from "zod";
import { SecretId, Tags } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const tagResource = defineOperation({
  input: z.object({ SecretId, Tags }),
  async handler(ctx, input) {
    const { secret, target } = locate(ctx, input.SecretId, "TagResource");
    unwrap(await secret.tag(target, input.Tags));
    return {};
  },
});
