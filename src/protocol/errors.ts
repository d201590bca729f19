// The wire form of the domain's errors (domain/errors.ts): an Error with the HTTP status AWS answers, rendered
// only by app.onError.
import type { DomainError, ErrorCode } from "../domain/errors";

export { type DomainError, type ErrorCode, MARKED_FOR_DELETION, SECRET_NOT_FOUND, markedForDeletion, notFound } from "../domain/errors";

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
