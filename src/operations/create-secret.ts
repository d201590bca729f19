// CreateSecret: a new secret, optionally with its first version (AWSCURRENT) and tags.
import { z } from "zod";
import { INVALID_NAME, NAME_PATTERN, buildArn, randomSuffix } from "../domain/secret-id";
import { AddReplicaRegions, Bool, ClientRequestToken, Description, KmsKeyId, Name, SecretBinary, SecretString, SecretTypeName, Tags } from "../domain/schemas";
import { deniedBeforeLookup } from "../authz/secret";
import { AwsError } from "../protocol/errors";
import { defineOperation } from "./operation";
import { replicaRegions, replicationStatus } from "./replicas";
import { authFor, requireToken, secretObject, secretValue, unwrap } from "./secrets";

export const createSecret = defineOperation({
  input: z.object({
    Name,
    ClientRequestToken: ClientRequestToken.optional(),
    Description: Description.optional(),
    KmsKeyId: KmsKeyId.optional(),
    SecretBinary: SecretBinary.optional(),
    SecretString: SecretString.optional(),
    Tags: Tags.optional(),
    Type: SecretTypeName.optional(),
    AddReplicaRegions: AddReplicaRegions.optional(),
    ForceOverwriteReplicaSecret: Bool.optional(),
  }),
  async handler(ctx, input) {
    if (!NAME_PATTERN.test(input.Name)) throw new AwsError("ValidationException", INVALID_NAME);
    const replicas = input.AddReplicaRegions && replicaRegions(input.AddReplicaRegions, ctx.caller.region);
    const value = secretValue(input);
    const versionId = value ? requireToken(input.ClientRequestToken) : undefined;
    const { accountId, region } = ctx.caller;
    const suffix = randomSuffix();
    const requestTags = input.Tags && Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
    const request = { name: input.Name, description: input.Description, kmsKeyId: input.KmsKeyId, requestTags, tagKeys: input.Tags?.map((t) => t.Key) };
    // AWS names the new secret's ARN when it refuses a CreateSecret.
    const auth = authFor(ctx, "CreateSecret", buildArn(region, accountId, input.Name, suffix), request);
    const denied = deniedBeforeLookup(auth, [auth.named]);
    if (denied) throw AwsError.from(denied);
    const result = await secretObject(ctx, { accountId, region, name: input.Name }).create(auth, {
      accountId,
      region,
      name: input.Name,
      suffix,
      versionId,
      value,
      description: input.Description,
      kmsKeyId: input.KmsKeyId,
      type: input.Type || undefined,
      tags: input.Tags,
      replicaRegions: replicas,
      forceOverwriteReplicaSecret: input.ForceOverwriteReplicaSecret,
    });
    const created = unwrap(result);
    const status = created.replicationStatus && replicationStatus(created.replicationStatus);
    return { ARN: created.arn, Name: created.name, VersionId: created.versionId, ReplicationStatus: status };
  },
});
