// The rotation members of DescribeSecret and SecretListEntry, from the secret's stored rotation fields: the rules as
// recorded (kept after CancelRotateSecret), the dates only while rotation is on (the model: null once disabled).
import type { SecretFields } from "../domain/secret-fields";
import { seconds } from "../protocol/json";

export type RotationFields = Partial<
  Pick<SecretFields, "rotationEnabled" | "rotationLambdaArn" | "rotationRules" | "lastRotatedAt" | "nextRotationAt" | "externalRotationMetadata" | "externalRotationRoleArn">
>;

export function rotationMembers(r: RotationFields) {
  const enabled = r.rotationEnabled ?? undefined;
  return {
    RotationEnabled: enabled,
    RotationLambdaARN: r.rotationLambdaArn ?? undefined,
    RotationRules: r.rotationRules ? (JSON.parse(r.rotationRules) as object) : undefined,
    ExternalSecretRotationMetadata: r.externalRotationMetadata ? (JSON.parse(r.externalRotationMetadata) as object) : undefined,
    ExternalSecretRotationRoleArn: r.externalRotationRoleArn ?? undefined,
    LastRotatedDate: enabled ? seconds(r.lastRotatedAt ?? undefined) : undefined,
    NextRotationDate: enabled ? seconds(r.nextRotationAt ?? undefined) : undefined,
  };
}
