// RemoveRegionsFromReplication: the replicas in those regions are deleted (at once, no recovery window); the answer
// lists the regions that remain. A region that holds no replica is no error (as Terraform's retries need).
import { z } from "zod";
import { Region, SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { checkRegions, replicationStatus } from "./replicas";
import { locate, unwrap } from "./secrets";

export const removeRegionsFromReplication = defineOperation({
  input: z.object({ SecretId, RemoveReplicaRegions: z.array(Region).min(1) }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "RemoveRegionsFromReplication");
    checkRegions(input.RemoveReplicaRegions, ctx.caller.region);
    const result = unwrap(await secret.removeRegions(auth, target, input.RemoveReplicaRegions));
    return { ARN: result.arn, ReplicationStatus: replicationStatus(result.replicationStatus) };
  },
});
