// Who is calling and where: the access key that signed the request (verified in sigv4.ts) gives the account
// and principal, its credential scope the region.
import { AwsError } from "../protocol/errors";
import type { Caller, Env } from "../env";
import { verifySignature } from "./sigv4";

/** One entry of the ACCESS_KEYS configuration (README "Access keys"). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn?: string;
  sessionToken?: string;
  policy?: unknown;
}

const parsed = new Map<string, Map<string, AccessKey>>();

/** The configured access keys by id, parsed once per isolate. */
export function accessKeys(env: Pick<Env, "ACCESS_KEYS">): Map<string, AccessKey> {
  const raw = env.ACCESS_KEYS ?? "[]";
  let keys = parsed.get(raw);
  if (!keys) {
    const list = JSON.parse(raw) as AccessKey[];
    for (const k of list) {
      if (!k.accessKeyId || !k.secretAccessKey || !/^\d{12}$/.test(k.accountId)) {
        throw new Error("ACCESS_KEYS: every key needs accessKeyId, secretAccessKey and a 12-digit accountId");
      }
    }
    keys = new Map(list.map((k) => [k.accessKeyId, k]));
    parsed.set(raw, keys);
  }
  return keys;
}

/** Verifies the request's signature and returns its caller; failures are logged without key or signature. */
export async function authenticate(request: Request, body: string, env: Env, requestId: string): Promise<Caller> {
  try {
    const { key, region } = await verifySignature(request, body, accessKeys(env), Date.now());
    return {
      accountId: key.accountId,
      region,
      accessKeyId: key.accessKeyId,
      principalArn: key.principalArn ?? `arn:aws:iam::${key.accountId}:root`,
    };
  } catch (error) {
    if (error instanceof AwsError) {
      const credential = /Credential=([^/,\s]{1,128})/.exec(request.headers.get("authorization") ?? "")?.[1];
      console.warn(
        JSON.stringify({
          event: "authentication_failed",
          requestId,
          code: error.code,
          accessKeyId: credential,
          sourceIp: request.headers.get("cf-connecting-ip") ?? undefined,
        }),
      );
    }
    throw error;
  }
}
