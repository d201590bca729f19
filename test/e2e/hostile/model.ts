// GENERATED from the Secrets Manager API model (secretsmanager-2017-10-17.service.json, ../shared/reference/ in this
// workspace; botocore data/secretsmanager/2017-10-17/service-2.json): every operation's input shape and every shape an
// input reaches, documentation stripped. The hostile-input and fuzz suites derive their requests from it.
// Regenerate rather than edit by hand.

export interface Shape {
  type: "structure" | "string" | "blob" | "boolean" | "integer" | "long" | "list";
  required?: string[];
  members?: Record<string, { shape: string; idempotencyToken?: boolean }>;
  member?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}

/** Operation name → its input shape. */
export const OPERATIONS: Record<string, string> = {
  BatchGetSecretValue: "BatchGetSecretValueRequest",
  CancelRotateSecret: "CancelRotateSecretRequest",
  CreateSecret: "CreateSecretRequest",
  DeleteResourcePolicy: "DeleteResourcePolicyRequest",
  DeleteSecret: "DeleteSecretRequest",
  DescribeSecret: "DescribeSecretRequest",
  GetRandomPassword: "GetRandomPasswordRequest",
  GetResourcePolicy: "GetResourcePolicyRequest",
  GetSecretValue: "GetSecretValueRequest",
  ListSecretVersionIds: "ListSecretVersionIdsRequest",
  ListSecrets: "ListSecretsRequest",
  PutResourcePolicy: "PutResourcePolicyRequest",
  PutSecretValue: "PutSecretValueRequest",
  RemoveRegionsFromReplication: "RemoveRegionsFromReplicationRequest",
  ReplicateSecretToRegions: "ReplicateSecretToRegionsRequest",
  RestoreSecret: "RestoreSecretRequest",
  RotateSecret: "RotateSecretRequest",
  StopReplicationToReplica: "StopReplicationToReplicaRequest",
  TagResource: "TagResourceRequest",
  UntagResource: "UntagResourceRequest",
  UpdateSecret: "UpdateSecretRequest",
  UpdateSecretVersionStage: "UpdateSecretVersionStageRequest",
  ValidateResourcePolicy: "ValidateResourcePolicyRequest",
};

/** The errors the model declares (all modeled as a structure with a single Message member). */
export const MODELED_ERRORS: readonly string[] = ["DecryptionFailure", "EncryptionFailure", "InternalServiceError", "InvalidNextTokenException", "InvalidParameterException", "InvalidRequestException", "LimitExceededException", "MalformedPolicyDocumentException", "PreconditionNotMetException", "PublicPolicyException", "ResourceExistsException", "ResourceNotFoundException"];

export const SHAPES: Record<string, Shape> = {
  AddReplicaRegionListType: {"type": "list", "member": {"shape": "ReplicaRegionType"}, "min": 1},
  AutomaticallyRotateAfterDaysType: {"type": "long", "max": 1000, "min": 1},
  BatchGetSecretValueRequest: {"type": "structure", "members": {"SecretIdList": {"shape": "SecretIdListType"}, "Filters": {"shape": "FiltersListType"}, "MaxResults": {"shape": "MaxResultsBatchType"}, "NextToken": {"shape": "NextTokenType"}}},
  BooleanType: {"type": "boolean"},
  CancelRotateSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  ClientRequestTokenType: {"type": "string", "max": 64, "min": 32},
  CreateSecretRequest: {"type": "structure", "required": ["Name"], "members": {"Name": {"shape": "NameType"}, "ClientRequestToken": {"shape": "ClientRequestTokenType", "idempotencyToken": true}, "Description": {"shape": "DescriptionType"}, "KmsKeyId": {"shape": "KmsKeyIdType"}, "SecretBinary": {"shape": "SecretBinaryType"}, "SecretString": {"shape": "SecretStringType"}, "Tags": {"shape": "TagListType"}, "AddReplicaRegions": {"shape": "AddReplicaRegionListType"}, "ForceOverwriteReplicaSecret": {"shape": "BooleanType"}, "Type": {"shape": "MedeaTypeType"}}},
  DeleteResourcePolicyRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  DeleteSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "RecoveryWindowInDays": {"shape": "RecoveryWindowInDaysType"}, "ForceDeleteWithoutRecovery": {"shape": "BooleanType"}}},
  DescribeSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  DescriptionType: {"type": "string", "max": 2048},
  DurationType: {"type": "string", "max": 3, "min": 2, "pattern": "[0-9]+h"},
  ExcludeCharactersType: {"type": "string", "max": 4096, "min": 0},
  ExcludeLowercaseType: {"type": "boolean"},
  ExcludeNumbersType: {"type": "boolean"},
  ExcludePunctuationType: {"type": "boolean"},
  ExcludeUppercaseType: {"type": "boolean"},
  ExternalSecretRotationMetadataItem: {"type": "structure", "members": {"Key": {"shape": "ExternalSecretRotationMetadataItemKeyType"}, "Value": {"shape": "ExternalSecretRotationMetadataItemValueType"}}},
  ExternalSecretRotationMetadataItemKeyType: {"type": "string", "max": 256, "min": 1},
  ExternalSecretRotationMetadataItemValueType: {"type": "string", "max": 2048, "min": 1},
  ExternalSecretRotationMetadataType: {"type": "list", "member": {"shape": "ExternalSecretRotationMetadataItem"}},
  Filter: {"type": "structure", "members": {"Key": {"shape": "FilterNameStringType"}, "Values": {"shape": "FilterValuesStringList"}}},
  FilterNameStringType: {"type": "string", "enum": ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"]},
  FilterValueStringType: {"type": "string", "max": 512, "pattern": "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"},
  FilterValuesStringList: {"type": "list", "member": {"shape": "FilterValueStringType"}, "max": 10, "min": 1},
  FiltersListType: {"type": "list", "member": {"shape": "Filter"}, "max": 10},
  GetRandomPasswordRequest: {"type": "structure", "members": {"PasswordLength": {"shape": "PasswordLengthType"}, "ExcludeCharacters": {"shape": "ExcludeCharactersType"}, "ExcludeNumbers": {"shape": "ExcludeNumbersType"}, "ExcludePunctuation": {"shape": "ExcludePunctuationType"}, "ExcludeUppercase": {"shape": "ExcludeUppercaseType"}, "ExcludeLowercase": {"shape": "ExcludeLowercaseType"}, "IncludeSpace": {"shape": "IncludeSpaceType"}, "RequireEachIncludedType": {"shape": "RequireEachIncludedTypeType"}}},
  GetResourcePolicyRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  GetSecretValueRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "VersionId": {"shape": "SecretVersionIdType"}, "VersionStage": {"shape": "SecretVersionStageType"}}},
  IncludeSpaceType: {"type": "boolean"},
  KmsKeyIdType: {"type": "string", "max": 2048, "min": 0},
  ListSecretVersionIdsRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "MaxResults": {"shape": "MaxResultsType"}, "NextToken": {"shape": "NextTokenType"}, "IncludeDeprecated": {"shape": "BooleanType"}}},
  ListSecretsRequest: {"type": "structure", "members": {"IncludePlannedDeletion": {"shape": "BooleanType"}, "MaxResults": {"shape": "MaxResultsType"}, "NextToken": {"shape": "NextTokenType"}, "Filters": {"shape": "FiltersListType"}, "SortOrder": {"shape": "SortOrderType"}, "SortBy": {"shape": "SortByType"}}},
  MaxResultsBatchType: {"type": "integer", "max": 20, "min": 1},
  MaxResultsType: {"type": "integer", "max": 100, "min": 1},
  MedeaTypeType: {"type": "string", "max": 256, "min": 0},
  NameType: {"type": "string", "max": 512, "min": 1},
  NextTokenType: {"type": "string", "max": 4096, "min": 1},
  NonEmptyResourcePolicyType: {"type": "string", "max": 20480, "min": 1},
  PasswordLengthType: {"type": "long", "max": 4096, "min": 1},
  PutResourcePolicyRequest: {"type": "structure", "required": ["SecretId", "ResourcePolicy"], "members": {"SecretId": {"shape": "SecretIdType"}, "ResourcePolicy": {"shape": "NonEmptyResourcePolicyType"}, "BlockPublicPolicy": {"shape": "BooleanType"}}},
  PutSecretValueRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "ClientRequestToken": {"shape": "ClientRequestTokenType", "idempotencyToken": true}, "SecretBinary": {"shape": "SecretBinaryType"}, "SecretString": {"shape": "SecretStringType"}, "VersionStages": {"shape": "SecretVersionStagesType"}, "RotationToken": {"shape": "RotationTokenType"}}},
  RecoveryWindowInDaysType: {"type": "long"},
  RegionType: {"type": "string", "max": 128, "min": 1, "pattern": "^([a-z]+-)+\\d+$"},
  RemoveRegionsFromReplicationRequest: {"type": "structure", "required": ["SecretId", "RemoveReplicaRegions"], "members": {"SecretId": {"shape": "SecretIdType"}, "RemoveReplicaRegions": {"shape": "RemoveReplicaRegionListType"}}},
  RemoveReplicaRegionListType: {"type": "list", "member": {"shape": "RegionType"}, "min": 1},
  ReplicaRegionType: {"type": "structure", "members": {"Region": {"shape": "RegionType"}, "KmsKeyId": {"shape": "KmsKeyIdType"}}},
  ReplicateSecretToRegionsRequest: {"type": "structure", "required": ["SecretId", "AddReplicaRegions"], "members": {"SecretId": {"shape": "SecretIdType"}, "AddReplicaRegions": {"shape": "AddReplicaRegionListType"}, "ForceOverwriteReplicaSecret": {"shape": "BooleanType"}}},
  RequireEachIncludedTypeType: {"type": "boolean"},
  RestoreSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  RoleARNType: {"type": "string", "max": 2048, "min": 20},
  RotateSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "ClientRequestToken": {"shape": "ClientRequestTokenType", "idempotencyToken": true}, "RotationLambdaARN": {"shape": "RotationLambdaARNType"}, "RotationRules": {"shape": "RotationRulesType"}, "ExternalSecretRotationMetadata": {"shape": "ExternalSecretRotationMetadataType"}, "ExternalSecretRotationRoleArn": {"shape": "RoleARNType"}, "RotateImmediately": {"shape": "BooleanType"}}},
  RotationLambdaARNType: {"type": "string", "max": 2048, "min": 0},
  RotationRulesType: {"type": "structure", "members": {"AutomaticallyAfterDays": {"shape": "AutomaticallyRotateAfterDaysType"}, "Duration": {"shape": "DurationType"}, "ScheduleExpression": {"shape": "ScheduleExpressionType"}}},
  RotationTokenType: {"type": "string", "max": 256, "min": 36, "pattern": "^[a-zA-Z0-9\\-]+$", "sensitive": true},
  ScheduleExpressionType: {"type": "string", "max": 256, "min": 1, "pattern": "[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+"},
  SecretBinaryType: {"type": "blob", "max": 65536, "min": 1, "sensitive": true},
  SecretIdListType: {"type": "list", "member": {"shape": "SecretIdType"}, "max": 20, "min": 1},
  SecretIdType: {"type": "string", "max": 2048, "min": 1},
  SecretStringType: {"type": "string", "max": 65536, "min": 1, "sensitive": true},
  SecretVersionIdType: {"type": "string", "max": 64, "min": 32},
  SecretVersionStageType: {"type": "string", "max": 256, "min": 1},
  SecretVersionStagesType: {"type": "list", "member": {"shape": "SecretVersionStageType"}, "max": 20, "min": 1},
  SortByType: {"type": "string", "enum": ["created-date", "last-accessed-date", "last-changed-date", "name"]},
  SortOrderType: {"type": "string", "enum": ["asc", "desc"]},
  StopReplicationToReplicaRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}}},
  Tag: {"type": "structure", "members": {"Key": {"shape": "TagKeyType"}, "Value": {"shape": "TagValueType"}}},
  TagKeyListType: {"type": "list", "member": {"shape": "TagKeyType"}},
  TagKeyType: {"type": "string", "max": 128, "min": 1},
  TagListType: {"type": "list", "member": {"shape": "Tag"}},
  TagResourceRequest: {"type": "structure", "required": ["SecretId", "Tags"], "members": {"SecretId": {"shape": "SecretIdType"}, "Tags": {"shape": "TagListType"}}},
  TagValueType: {"type": "string", "max": 256, "min": 0},
  UntagResourceRequest: {"type": "structure", "required": ["SecretId", "TagKeys"], "members": {"SecretId": {"shape": "SecretIdType"}, "TagKeys": {"shape": "TagKeyListType"}}},
  UpdateSecretRequest: {"type": "structure", "required": ["SecretId"], "members": {"SecretId": {"shape": "SecretIdType"}, "ClientRequestToken": {"shape": "ClientRequestTokenType", "idempotencyToken": true}, "Description": {"shape": "DescriptionType"}, "KmsKeyId": {"shape": "KmsKeyIdType"}, "SecretBinary": {"shape": "SecretBinaryType"}, "SecretString": {"shape": "SecretStringType"}, "Type": {"shape": "MedeaTypeType"}}},
  UpdateSecretVersionStageRequest: {"type": "structure", "required": ["SecretId", "VersionStage"], "members": {"SecretId": {"shape": "SecretIdType"}, "VersionStage": {"shape": "SecretVersionStageType"}, "RemoveFromVersionId": {"shape": "SecretVersionIdType"}, "MoveToVersionId": {"shape": "SecretVersionIdType"}}},
  ValidateResourcePolicyRequest: {"type": "structure", "required": ["ResourcePolicy"], "members": {"SecretId": {"shape": "SecretIdType"}, "ResourcePolicy": {"shape": "NonEmptyResourcePolicyType"}}},
};
