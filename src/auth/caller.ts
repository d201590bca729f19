// Who is calling and where: the access key that signed the request (verified in sigv4.ts) gives the account,
// principal and identity policy, its credential scope the region, the connection the source address.
import { type PolicyDocument, parsePolicy, roleArnOf } from "../authz";
import { AwsError } from "../protocol/errors";
import type { Caller, Env } from "../env";
import { verifySignature } from "./sigv4";

/** One entry of the ACCESS_KEYS configuration (README "Access keys"). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn?: string;
  /** For a role-session principalArn, the role's IAM ARN with its path (`arn:aws:iam::<account>:role/<path>/<name>`). */
  roleArn?: string;
  sessionToken?: string;
  /** An IAM identity policy (object or JSON text); absent = full access to the key's own account. */
  policy?: unknown;
  /** aws:PrincipalTag/<key> values of the key's principal. */
  principalTags?: Record<string, string>;
  /** `policy`, parsed once when the configuration loads. */
  identityPolicy?: PolicyDocument;
}

const parsed = new Map<string, Map<string, AccessKey>>();

/** The configured access keys by id, parsed once per isolate. A bad entry makes the whole configuration invalid. */
export function accessKeys(env: Pick<Env, "ACCESS_KEYS">): Map<string, AccessKey> {
  const raw = env.ACCESS_KEYS ?? "[]";
  let keys = parsed.get(raw);
  if (!keys) {
    let config: AccessKey[];
    try {
      config = JSON.parse(raw) as AccessKey[];
    } catch {
      // Not the parser's message: it quotes the text around the error, which may be secret key material.
      throw new Error("ACCESS_KEYS is not valid JSON");
    }
    const list = config.map(configuredKey);
    keys = new Map(list.map((k) => [k.accessKeyId, k]));
    parsed.set(raw, keys);
  }
  return keys;
}

/**
 * Checks one entry and parses its policy. Throws a plain Error (the Worker answers InternalServiceError and logs
 * it), never accepting a key whose policy it cannot enforce exactly.
 */
function configuredKey(k: AccessKey): AccessKey {
  if (!k.accessKeyId || !k.secretAccessKey || !/^\d{12}$/.test(k.accountId)) {
    throw new Error("ACCESS_KEYS: every key needs accessKeyId, secretAccessKey and a 12-digit accountId");
  }
  const tags = k.principalTags;
  if (tags !== undefined && (typeof tags !== "object" || tags === null || Array.isArray(tags) || !Object.values(tags).every((v) => typeof v === "string"))) {
    throw new Error(`ACCESS_KEYS: principalTags of key ${k.accessKeyId} must be an object of string values`);
  }
  if (k.roleArn !== undefined) {
    // The session ARN names the role without its path: the configured role, its path left out, must be that role,
    // in the key's account.
    const sessionRole = k.principalArn && roleArnOf({ arn: k.principalArn, accountId: k.accountId });
    const withoutPath = k.roleArn.replace(/:role\/(?:[^/]+\/)*/, ":role/");
    if (!sessionRole || withoutPath !== sessionRole || !sessionRole.includes(`:iam::${k.accountId}:role/`)) {
      throw new Error(`ACCESS_KEYS: roleArn of key ${k.accessKeyId} must be the IAM role of its assumed-role principalArn, in its account`);
    }
  }
  if (k.policy === undefined) return k;
  const policy = parsePolicy(k.policy, "identity");
  if (!policy.ok) {
    throw new Error(`ACCESS_KEYS: the policy of key ${k.accessKeyId} is not a valid identity policy: ${policy.problems.map((p) => p.detail).join(" ")}`);
  }
  return { ...k, identityPolicy: policy.policy };
}

/** Verifies the request's signature and returns its caller; failures are logged without key or signature. */
export async function authenticate(request: Request, body: Uint8Array, env: Env, requestId: string): Promise<Caller> {
  try {
    const { key, region } = await verifySignature(request, body, accessKeys(env), Date.now());
    return {
      accountId: key.accountId,
      region,
      accessKeyId: key.accessKeyId,
      principalArn: key.principalArn ?? `arn:aws:iam::${key.accountId}:root`,
      roleArn: key.roleArn,
      identityPolicy: key.identityPolicy,
      principalTags: key.principalTags,
      // Cloudflare sets cf-connecting-ip on every request it routes; only the local server has none.
      sourceIp: request.headers.get("cf-connecting-ip") ?? "127.0.0.1",
      secureTransport: new URL(request.url).protocol === "https:",
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
