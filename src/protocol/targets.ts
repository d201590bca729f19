// The X-Amz-Target namespaces this endpoint answers, and the SigV4 service each must be signed for: Secrets
// Manager's own, and CloudTrail's LookupEvents (the audit trail), so both AWS clients work at one endpoint.

export const SECRETS_MANAGER_PREFIX = "secretsmanager.";
/**
 * CloudTrail's target, as botocore and the AWS CLI send it (the model's targetPrefix), and as the AWS SDK for
 * JavaScript v3 sends it (Smithy's awsJson1_1: the service shape's name alone).
 */
export const CLOUDTRAIL_PREFIXES = ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", "CloudTrail_20131101."] as const;

/** The credential-scope service a request for `target` must be signed for; each scope is accepted for its own targets only. */
export const signingService = (target: string | null): "cloudtrail" | "secretsmanager" =>
  CLOUDTRAIL_PREFIXES.some((prefix) => target?.startsWith(prefix)) ? "cloudtrail" : "secretsmanager";
