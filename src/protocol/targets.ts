// The X-Amz-Target namespaces this endpoint answers, and the SigV4 service each must be signed for: Secrets
// Manager's own, and CloudTrail's LookupEvents (the audit trail), so both AWS clients work at one endpoint.

export const SECRETS_MANAGER_PREFIX = "secretsmanager.";
export const CLOUDTRAIL_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

/** The credential-scope service a request for `target` must be signed for; each scope is accepted for its own targets only. */
export const signingService = (target: string | null): "cloudtrail" | "secretsmanager" =>
  target?.startsWith(CLOUDTRAIL_PREFIX) ? "cloudtrail" : "secretsmanager";
