// The console's API clients: the stock AWS SDK for JavaScript v3, pointed at this page's own origin (the API is
// POST / on the same Worker, so no CORS) and signing every call with SigV4 from the signed-in key.
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { currentSession } from "./session";

function settings(region?: string) {
  const session = currentSession();
  if (!session) throw Object.assign(new Error("Sign in first."), { name: "NotSignedIn" });
  const { accessKeyId, secretAccessKey, sessionToken } = session;
  return {
    region: region ?? session.region,
    endpoint: location.origin,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) },
  };
}

/** A Secrets Manager client for the signed-in key, in its region or (for a replica) another one. */
export const secretsManager = (region?: string): SecretsManagerClient => new SecretsManagerClient(settings(region));

/** A CloudTrail client for the audit trail (LookupEvents), served at the same endpoint. */
export const cloudTrail = (): CloudTrailClient => new CloudTrailClient(settings());

/** AWS's error code and message from whatever a call threw (an SDK service error, a network failure, a bug). */
export function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { Code?: string }).Code ?? error.name;
    const network = error instanceof TypeError && !(error as { $metadata?: unknown }).$metadata;
    return network ? { code: "NetworkError", message: `The server could not be reached (${error.message}).` } : { code, message: error.message };
  }
  return { code: "Error", message: String(error) };
}
