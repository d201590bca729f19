// StopReplicationToReplica: called in a replica's region, promotes the replica to a standalone secret (same ARN);
// its primary stops listing and updating it.
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const stopReplicationToReplica = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "StopReplicationToReplica");
    const promoted = unwrap(await secret.promote(auth, target));
    return { ARN: promoted.arn };
  },
});
