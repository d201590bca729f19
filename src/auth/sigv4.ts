// AWS Signature Version 4 verification (Authorization header form). The signature is recomputed with
// @smithy/signature-v4 over exactly the headers the client signed, then compared in constant time.
import { Sha256WebCrypto } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsError } from "../protocol/errors";
import { signingService } from "../protocol/targets";
import type { AccessKey } from "./caller";

export const SERVICE = "secretsmanager";
const MAX_SKEW_MS = 15 * 60_000;
/** A header name as HTTP defines it (RFC 9110 token), lower-case as SigV4 lists it. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** What a verified request proves: which key signed it, and the region of its credential scope. */
export interface Verified {
  key: AccessKey;
  region: string;
}

interface AuthorizationHeader {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Verifies the request's signature over `body`, the bytes as sent (never their decoded text). */
export async function verifySignature(
  request: Request,
  body: Uint8Array,
  keys: ReadonlyMap<string, AccessKey>,
  now: number,
): Promise<Verified> {
  const authorization = request.headers.get("authorization");
  if (!authorization) throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token");
  const auth = parseAuthorization(authorization);

  const service = signingService(request.headers.get("x-amz-target"));
  if (auth.service !== service) {
    throw new AwsError("InvalidSignatureException", `Credential should be scoped to correct service: '${service}'.`);
  }
  const amzDate = request.headers.get("x-amz-date");
  if (!amzDate || !auth.signedHeaders.includes("x-amz-date") || !auth.signedHeaders.includes("host")) {
    throw new AwsError("IncompleteSignatureException", "The request must sign the 'host' and 'X-Amz-Date' headers.");
  }
  // The operation is named by this header: unsigned, a captured request could be replayed as another operation.
  if (request.headers.has("x-amz-target") && !auth.signedHeaders.includes("x-amz-target")) {
    throw new AwsError("IncompleteSignatureException", "The request must sign the 'X-Amz-Target' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  checkWindow(amzDate, signedAt, now);
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new AwsError(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }

  const key = keys.get(auth.accessKeyId);
  const token = request.headers.get("x-amz-security-token") ?? undefined;
  // Both absent, or both present and equal: compared in constant time, like the signature.
  const tokenMatches =
    token === undefined || key?.sessionToken === undefined ? token === key?.sessionToken : timingSafeEqual(token, key.sessionToken);
  if (!key || !tokenMatches) {
    throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.");
  }

  // The signer hashes the body itself unless this header is present, so it is hashed here only to check the header.
  // Any other value, UNSIGNED-PAYLOAD included, would leave the body outside the signature.
  const declaredHash = request.headers.get("x-amz-content-sha256");
  if (declaredHash !== null && declaredHash !== (await sha256Hex(body))) {
    throw new AwsError("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const expected = await computeSignature(request, body, auth, key, signedAt);
  if (expected === undefined || !timingSafeEqual(expected, auth.signature)) {
    throw new AwsError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { key, region: auth.region };
}

function parseAuthorization(header: string): AuthorizationHeader {
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== "AWS4-HMAC-SHA256") {
    throw new AwsError("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${String(algorithm).slice(0, 32)}'.`);
  }
  const params = new Map<string, string>();
  for (const part of rest.join(" ").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !params.get(name));
  if (missing.length > 0) {
    throw new AwsError("IncompleteSignatureException", missing.map((name) => `Authorization header requires '${name}' parameter.`).join(" "));
  }
  const scope = params.get("Credential")!.split("/");
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !/^\d{8}$/.test(date!) || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region!) || terminator !== "aws4_request") {
    throw new AwsError(
      "IncompleteSignatureException",
      "Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/secretsmanager/aws4_request.",
    );
  }
  const signedHeaders = params.get("SignedHeaders")!.toLowerCase().split(";");
  if (!signedHeaders.every((name) => HEADER_NAME.test(name))) {
    throw new AwsError("IncompleteSignatureException", "SignedHeaders must be a ';'-separated list of lower-case header names.");
  }
  return {
    accessKeyId,
    date: date!,
    region: region!,
    service: service!,
    signedHeaders,
    signature: params.get("Signature")!,
  };
}

function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
  if (Number.isNaN(ms)) throw new AwsError("IncompleteSignatureException", `Date must be in ISO-8601 'basic format'. Got '${amzDate.slice(0, 32)}'.`);
  return ms;
}

/** AWS accepts a signature for 15 minutes either side of its own clock. */
function checkWindow(amzDate: string, signedAt: number, now: number): void {
  if (signedAt < now - MAX_SKEW_MS) {
    throw new AwsError(
      "InvalidSignatureException",
      `Signature expired: ${amzDate} is now earlier than ${basicFormat(now - MAX_SKEW_MS)} (${basicFormat(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + MAX_SKEW_MS) {
    throw new AwsError(
      "InvalidSignatureException",
      `Signature not yet current: ${amzDate} is still later than ${basicFormat(now + MAX_SKEW_MS)} (${basicFormat(now)} + 15 min.)`,
    );
  }
}

const basicFormat = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");

async function computeSignature(request: Request, body: Uint8Array, auth: AuthorizationHeader, key: AccessKey, signedAt: number) {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = name === "host" ? (request.headers.get("host") ?? url.host) : request.headers.get(name);
    // A header the client signed is part of what it signed: without it the request is not the one signed.
    if (value === null) return undefined;
    headers[name] = value;
  }
  const signed = await signerFor(key, auth.region, auth.service).sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(auth.signedHeaders) },
  );
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? "";
}

// One signer per key and region, so its cache of derived signing keys (one per day) is reused across requests.
const signers = new Map<string, SignatureV4>();

function signerFor(key: AccessKey, region: string, service: string): SignatureV4 {
  const id = `${key.accessKeyId}\n${key.secretAccessKey}\n${region}\n${service}`;
  let signer = signers.get(id);
  if (!signer) {
    if (signers.size >= 1000) signers.clear();
    signer = new SignatureV4({
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken },
      region,
      service,
      sha256: Sha256WebCrypto,
      applyChecksum: false,
    });
    signers.set(id, signer);
  }
  return signer;
}

async function sha256Hex(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", body);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function timingSafeEqual(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  // Compare equal-length buffers so the comparison time does not reveal where they differ.
  if (left.length !== right.length) return crypto.subtle.timingSafeEqual(left, left) && false;
  return crypto.subtle.timingSafeEqual(left, right);
}
