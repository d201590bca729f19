// The domain errors a secret's state transitions return, with AWS's codes and (where recorded) messages.
import type { DomainError } from "../protocol/errors";

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
