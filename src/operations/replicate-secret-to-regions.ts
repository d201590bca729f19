// ReplicateSecretToRegions: adds replica regions to a primary (or starts a Failed one over, e.g. with
// ForceOverwriteReplicaSecret). The replicas are written by the primary's outbox; each region reports InProgress
// until its replica has caught up (README "Replication").
import { z } from "zod";
import { AddReplicaRegions, Bool, SecretId } from "../domain/schemas";
import { defineOperation } from "./operation";
import { replicaRegions, replicationStatus } from "./replicas";
import { locate, unwrap } from "./secrets";

export const replicateSecretToRegions = defineOperation({
  input: z.object({ SecretId, AddReplicaRegions, ForceOverwriteReplicaSecret: Bool.optional() }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "ReplicateSecretToRegions");
    const regions = replicaRegions(input.AddReplicaRegions, ctx.caller.region);
    const result = unwrap(await secret.replicate(auth, target, regions, input.ForceOverwriteReplicaSecret ?? false));
    return { ARN: result.arn, ReplicationStatus: replicationStatus(result.replicationStatus) };
  },
});
