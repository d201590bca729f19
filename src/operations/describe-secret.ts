// DescribeSecret: a secret's metadata (never its value); also answers while the secret is scheduled for deletion.
import { z } from "zod";
import { SecretId } from "../domain/schemas";
import { seconds } from "../protocol/json";
import { defineOperation } from "./operation";
import { rotationMembers } from "./rotation-fields";
import { replicationStatus } from "./replicas";
import { locate, unwrap } from "./secrets";

export const describeSecret = defineOperation({
  input: z.object({ SecretId }),
  async handler(ctx, input) {
    const { secret, target, auth } = locate(ctx, input.SecretId, "DescribeSecret");
    const s = unwrap(await secret.describe(auth, target));
    return {
      ARN: s.arn,
      Name: s.name,
      Type: s.type,
      Description: s.description,
      KmsKeyId: s.kmsKeyId,
      ...rotationMembers(s.rotation),
      LastChangedDate: seconds(s.lastChangedAt),
      LastAccessedDate: seconds(s.lastAccessedAt),
      DeletedDate: seconds(s.deletedAt),
      Tags: s.tags,
      VersionIdsToStages: s.versionIdsToStages,
      CreatedDate: seconds(s.createdAt),
      PrimaryRegion: s.primaryRegion,
      ReplicationStatus: s.replicationStatus && replicationStatus(s.replicationStatus),
    };
  },
});
