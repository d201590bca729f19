// Who is calling and where: the region from the SigV4 credential scope, the account from the access key.
// Signature verification itself is a separate step (see README "Access keys").
import type { Caller, Env } from "../env";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn?: string;
  sessionToken?: string;
  policy?: unknown;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/;

const parsed = new Map<string, Map<string, AccessKey>>();

/** The configured access keys by id, parsed once per isolate. */
export function accessKeys(env: Pick<Env, "ACCESS_KEYS">): Map<string, AccessKey> {
  const raw = env.ACCESS_KEYS ?? "[]";
  let keys = parsed.get(raw);
  if (!keys) {
    keys = new Map((JSON.parse(raw) as AccessKey[]).map((k) => [k.accessKeyId, k]));
    parsed.set(raw, keys);
  }
  return keys;
}

export function callerOf(authorization: string | undefined, env: Env): Caller {
  const scope = authorization ? CREDENTIAL.exec(authorization) : null;
  const key = scope ? accessKeys(env).get(scope[1]!) : undefined;
  const accountId = key?.accountId ?? env.DEFAULT_ACCOUNT_ID;
  return {
    accountId,
    region: scope?.[2] ?? env.DEFAULT_REGION,
    principalArn: key?.principalArn ?? `arn:aws:iam::${accountId}:root`,
  };
}
