// What the e2e files share: an SDK client whose only change from a stock one is the endpoint,
// unique secret names, and a helper that captures the error an SDK call rejects with.
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export const REGION = "us-east-1";
export const ACCOUNT = "111122223333";
/** The local key pair `npm start` configures (README "Access keys"), in account 111122223333. */
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export const client = (endpoint: string): SecretsManagerClient =>
  new SecretsManagerClient({ endpoint, region: REGION, credentials: CREDENTIALS });

export const uniqueName = (prefix: string): string => `e2e/${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** The full ARN a secret named `name` gets: only the 6-character suffix is random. */
export const arnPattern = (name: string): RegExp =>
  new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}-[A-Za-z0-9]{6}$`);

export interface SdkError extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string };
  $fault?: string;
}

/** Awaits a call that must fail and returns the SDK's error. */
export async function failure(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
