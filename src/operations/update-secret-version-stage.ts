// UpdateSecretVersionStage: move a staging label to a version, or detach it; AWSCURRENT drags AWSPREVIOUS along.
import { z } from "zod";
import { SecretId, VersionId, VersionStage } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const updateSecretVersionStage = defineOperation({
  input: z.object({
    SecretId,
    VersionStage,
    RemoveFromVersionId: VersionId.optional(),
    MoveToVersionId: VersionId.optional(),
  }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "UpdateSecretVersionStage", { versionStage: input.VersionStage });
    const moved = unwrap(await secret.updateStage(auth, target, input.VersionStage, input.RemoveFromVersionId, input.MoveToVersionId));
    return { ARN: moved.arn, Name: moved.name };
  },
});
