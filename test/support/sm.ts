// sm(op, input): one Secrets Manager call through the Worker's fetch handler, SigV4-signed as an AWS client
// signs it (with @smithy/signature-v4, the signer the AWS SDK uses), by one of the test access keys.
import { Sha256WebCrypto } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { SELF } from "cloudflare:test";
import { TEST_ACCESS_KEYS } from "./test-keys";

export interface SmResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface SmOptions {
  region?: string;
  /** One of TEST_ACCESS_KEYS (default AKIDTESTLOCAL, account 111122223333). */
  accessKeyId?: string;
  /** Send this body instead of JSON.stringify(input); it is what gets signed. */
  rawBody?: string;
  /** Extra headers, signed with the request. */
  headers?: Record<string, string>;
  /** Signing time (default now). */
  signingDate?: Date;
  /** Sign with this secret instead of the key's own. */
  secretAccessKey?: string;
  /** Send no Authorization header at all. */
  unsigned?: boolean;
  /** The credential scope's service (default secretsmanager; cloudtrail for LookupEvents). */
  service?: string;
  /** Change the request after signing (tamper tests). */
  afterSigning?: (request: { headers: Record<string, string>; body: string }) => void;
}

export async function sm<T = any>(op: string, input: unknown = {}, options: SmOptions = {}): Promise<SmResponse<T>> {
  const request = await signedRequest(op, input, options);
  const response = await SELF.fetch("http://127.0.0.1/", { method: "POST", headers: request.headers, body: request.body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

/** The headers and body sm() would send, signed per `options`. */
export async function signedRequest(op: string, input: unknown, options: SmOptions = {}) {
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `secretsmanager.${op}`,
    ...options.headers,
  };
  return sign(headers, options.rawBody ?? JSON.stringify(input), options);
}

/** Signs exactly these headers and body, as a client would before sending them to http://127.0.0.1/. */
export async function sign(extraHeaders: Record<string, string>, body: string, options: SmOptions = {}) {
  const headers: Record<string, string> = { host: "127.0.0.1", ...extraHeaders };
  if (!options.unsigned) {
    const key = TEST_ACCESS_KEYS.find((k) => k.accessKeyId === (options.accessKeyId ?? "AKIDTESTLOCAL"));
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: options.accessKeyId ?? "AKIDTESTLOCAL",
        secretAccessKey: options.secretAccessKey ?? key?.secretAccessKey ?? "unknown-key",
        sessionToken: key?.sessionToken,
      },
      region: options.region ?? "us-east-1",
      service: options.service ?? "secretsmanager",
      sha256: Sha256WebCrypto,
      // Like the AWS SDK for this service: the payload hash is signed but not sent as x-amz-content-sha256.
      applyChecksum: false,
    });
    const signed = await signer.sign(
      { method: "POST", protocol: "http:", hostname: "127.0.0.1", path: "/", query: {}, headers, body },
      { signingDate: options.signingDate ?? new Date() },
    );
    Object.assign(headers, signed.headers);
  }
  const request = { headers, body };
  options.afterSigning?.(request);
  return request;
}

/** Asserts an AWS error response and returns its message. */
export function errorOf(response: SmResponse): { code: string; message: string } {
  return { code: String(response.body.__type), message: String(response.body.Message) };
}

/** A ClientRequestToken-shaped id. */
export const token = (): string => crypto.randomUUID();
