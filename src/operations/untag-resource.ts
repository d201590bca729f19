// UntagResource: remove tags from a secret by key (not while it is scheduled for deletion).
import { z } from "zod";
import { SecretId, TagKeys } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const untagResource = defineOperation({
  input: z.object({ SecretId, TagKeys }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "UntagResource", { tagKeys: input.TagKeys });
    unwrap(await secret.untag(auth, target, input.TagKeys));
    return {};
  },
});
