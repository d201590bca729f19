// The registry: the only list of supported operations, keyed by AWS operation name.
import { batchGetSecretValue } from "./batch-get-secret-value";
import { cancelRotateSecret } from "./cancel-rotate-secret";
import { createSecret } from "./create-secret";
import { deleteResourcePolicy } from "./delete-resource-policy";
import { deleteSecret } from "./delete-secret";
import { describeSecret } from "./describe-secret";
import { getRandomPassword } from "./get-random-password";
import { getResourcePolicy } from "./get-resource-policy";
import { getSecretValue } from "./get-secret-value";
import { listSecretVersionIds } from "./list-secret-version-ids";
import { listSecrets } from "./list-secrets";
import type { AnyOperation } from "./operation";
import { putResourcePolicy } from "./put-resource-policy";
import { putSecretValue } from "./put-secret-value";
import { removeRegionsFromReplication } from "./remove-regions-from-replication";
import { replicateSecretToRegions } from "./replicate-secret-to-regions";
import { restoreSecret } from "./restore-secret";
import { rotateSecret } from "./rotate-secret";
import { stopReplicationToReplica } from "./stop-replication-to-replica";
import { tagResource } from "./tag-resource";
import { untagResource } from "./untag-resource";
import { updateSecret } from "./update-secret";
import { updateSecretVersionStage } from "./update-secret-version-stage";
import { validateResourcePolicyOperation } from "./validate-resource-policy";

export const operations = {
  BatchGetSecretValue: batchGetSecretValue,
  CancelRotateSecret: cancelRotateSecret,
  CreateSecret: createSecret,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteSecret: deleteSecret,
  DescribeSecret: describeSecret,
  GetRandomPassword: getRandomPassword,
  GetResourcePolicy: getResourcePolicy,
  GetSecretValue: getSecretValue,
  ListSecrets: listSecrets,
  ListSecretVersionIds: listSecretVersionIds,
  PutResourcePolicy: putResourcePolicy,
  PutSecretValue: putSecretValue,
  RemoveRegionsFromReplication: removeRegionsFromReplication,
  ReplicateSecretToRegions: replicateSecretToRegions,
  RestoreSecret: restoreSecret,
  RotateSecret: rotateSecret,
  StopReplicationToReplica: stopReplicationToReplica,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateSecret: updateSecret,
  UpdateSecretVersionStage: updateSecretVersionStage,
  ValidateResourcePolicy: validateResourcePolicyOperation,
} satisfies Record<string, AnyOperation>;
