// The errors the domain and the secret's state transitions return: every AWS error code this service answers with,
// typed once, and the factories with AWS's messages (where recorded). Rendered on the wire only by protocol/errors.ts.

export type ErrorCode =
  | "AccessDeniedException"
  | "DecryptionFailure"
  | "EncryptionFailure"
  | "IncompleteSignatureException"
  | "InternalServiceError"
  | "InvalidNextTokenException"
  | "InvalidParameterException"
  | "InvalidRequestException"
  | "InvalidSignatureException"
  | "LimitExceededException"
  | "MalformedPolicyDocumentException"
  | "MissingAuthenticationTokenException"
  | "PreconditionNotMetException"
  | "PublicPolicyException"
  | "ResourceExistsException"
  | "ResourceNotFoundException"
  | "SerializationException"
  | "UnknownOperationException"
  | "UnrecognizedClientException"
  | "ValidationException"
  // CloudTrail's, for LookupEvents (src/audit/).
  | "InvalidEventCategoryException"
  | "InvalidLookupAttributesException"
  | "InvalidMaxResultsException"
  | "InvalidTimeRangeException";

/** A domain error as it crosses the Durable Object RPC boundary (RPC keeps only name and message of real errors). */
export interface DomainError {
  code: ErrorCode;
  message: string;
}

export const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";
export const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

export const notFound = (): DomainError => ({ code: "ResourceNotFoundException", message: SECRET_NOT_FOUND });
export const markedForDeletion = (): DomainError => ({ code: "InvalidRequestException", message: MARKED_FOR_DELETION });

export const invalidRequest = (message: string): DomainError => ({ code: "InvalidRequestException", message });
export const invalidParameter = (message: string): DomainError => ({ code: "InvalidParameterException", message });

export const exists = (name: string): DomainError => ({
  code: "ResourceExistsException",
  message: `The operation failed because the secret ${name} already exists.`,
});

export const tokenInUse = (token: string, arn: string): DomainError => ({
  code: "ResourceExistsException",
  message: `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`,
});

export const decryptionFailure = (): DomainError => ({
  code: "DecryptionFailure",
  message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
});

export const encryptionFailure = (): DomainError => ({
  code: "EncryptionFailure",
  message:
    "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
});

/** E60: recorded for cross-account GetSecretValue and PutSecretValue of a secret under the default key. */
export const CROSS_ACCOUNT_DEFAULT_KEY =
  "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.";

// ---- replication (issue 13) ----

/** Logged from real AWS for PutResourcePolicy and DeleteSecret on a replica (public cloud-nuke and aws-nuke issue threads). */
export const REPLICA_WRITE = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";

/** Recorded on real AWS: the primary's ARN, the regions joined with ", ", a closing period. */
export const primaryHasReplicas = (arn: string, regions: readonly string[]): DomainError =>
  invalidParameter(`You can't delete secret ${arn} that still has replica regions [${regions.join(", ")}].`);
