// Every AWS error code this service answers with, typed once. Rendered on the wire only by app.onError.

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


export class AwsError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    // AWS JSON services answer every client error with 400, authentication failures included.
    this.status = code === "InternalServiceError" ? 500 : 400;
  }

  static from(error: DomainError): AwsError {
    return new AwsError(error.code, error.message);
  }
}

export const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";
export const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

export const notFound = (): DomainError => ({ code: "ResourceNotFoundException", message: SECRET_NOT_FOUND });
export const markedForDeletion = (): DomainError => ({ code: "InvalidRequestException", message: MARKED_FOR_DELETION });
