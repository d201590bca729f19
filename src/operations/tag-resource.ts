// TagResource: add or overwrite tags on a secret (not while it is scheduled for deletion).
import { z } from "zod";
import { SecretId, Tags } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const tagResource = defineOperation({
  input: z.object({ SecretId, Tags }),
  async handler(ctx, input) {
    const requestTags = Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
    const { secret, target, auth } = locate(ctx, input.SecretId, "TagResource", { requestTags, tagKeys: input.Tags.map((t) => t.Key) });
    unwrap(await secret.tag(auth, target, input.Tags));
    return {};
  },
});
