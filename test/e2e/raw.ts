// Raw HTTP against the local server, below any SDK: requests SigV4-signed with @smithy/signature-v4 (the signer the
// AWS SDKs use) by the local test/test key, or deliberately unsigned, malformed or oversized; and, for what fetch
// refuses to send (CR/LF in headers, duplicate framing headers), bytes written straight to a socket.
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { connect } from "node:net";
import { CREDENTIALS, REGION } from "./client";
import { OPERATIONS } from "./hostile/model";

export const AMZ_JSON = "application/x-amz-json-1.1";
const TIMEOUT_MS = 30_000;

export interface RawOptions {
  /** The whole X-Amz-Target (default `secretsmanager.<op>`); null sends none. */
  target?: string | null;
  /** The body as sent and signed (default JSON.stringify(input)). */
  body?: string | Uint8Array;
  /** Default application/x-amz-json-1.1; null sends none. */
  contentType?: string | null;
  /** Extra headers, signed with the request. */
  headers?: Record<string, string>;
  unsigned?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  method?: string;
  path?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

/** One request with fetch; a hang past 30 s fails the test rather than stalling it. */
export async function rawCall(endpoint: string, op: string, input: unknown = {}, options: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(options.path ?? "/", endpoint);
  const body = options.body ?? JSON.stringify(input);
  const headers: Record<string, string> = { host: url.host };
  if (options.contentType !== null) headers["content-type"] = options.contentType ?? AMZ_JSON;
  if (options.target !== null) headers["x-amz-target"] = options.target ?? `secretsmanager.${op}`;
  Object.assign(headers, options.headers);
  const method = options.method ?? "POST";
  if (!options.unsigned) Object.assign(headers, await signHeaders(url, method, headers, body, options));
  delete headers.host; // fetch sends the same Host itself
  const response = await fetch(url, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

async function signHeaders(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array, options: RawOptions) {
  const signer = new SignatureV4({
    credentials: options.credentials ?? CREDENTIALS,
    region: options.region ?? REGION,
    service: "secretsmanager",
    sha256: Sha256,
    // As the AWS SDK does for this service: the payload hash is signed, not sent as x-amz-content-sha256.
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers,
    body,
  });
  return signed.headers;
}

/** The headers of a signed request, for building raw socket requests by hand; `contentType: null` sends none. */
export async function signedHeaders(endpoint: string, op: string, body: string, { contentType = AMZ_JSON }: { contentType?: string | null } = {}) {
  const url = new URL("/", endpoint);
  const headers: Record<string, string> = { host: url.host, "x-amz-target": `secretsmanager.${op}` };
  if (contentType !== null) headers["content-type"] = contentType;
  return { ...headers, ...(await signHeaders(url, "POST", headers, body, {})) };
}

export interface SocketResponse {
  /** The status line's code, or undefined when the server closed without answering. */
  status?: number;
  head: string;
  body: string;
}

/** Writes `request` to a fresh connection and reads one HTTP/1.1 response (the connection is closed after it). */
export function socketRequest(
  endpoint: string,
  request: string | Buffer,
  { timeoutMs = 15_000, endAfterWrite = false }: { timeoutMs?: number; endAfterWrite?: boolean } = {},
): Promise<SocketResponse> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString("latin1").slice(0, 300)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) finish();
    });
    socket.on("end", finish);
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? finish() : (clearTimeout(timer), reject(error))));
    socket.write(request);
    if (endAfterWrite) socket.end();
  });
}

/** A socket answer in the form rawCall returns, for the same assertions. */
export function asRawResponse(answer: SocketResponse): RawResponse {
  const headers = new Headers();
  for (const line of answer.head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: answer.status ?? 0, headers, text: answer.body, json: parseJson(answer.body) };
}

function complete(data: Buffer): boolean {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = data.subarray(0, end).toString("latin1");
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  if (length !== undefined) return data.length >= end + 4 + Number(length);
  return /\r\ntransfer-encoding:\s*chunked/i.test(head) ? data.includes("\r\n0\r\n\r\n", end) : false;
}

function parseResponse(data: Buffer): SocketResponse {
  const end = data.indexOf("\r\n\r\n");
  const head = (end < 0 ? data : data.subarray(0, end)).toString("latin1");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
  return { status: status === undefined ? undefined : Number(status), head, body: end < 0 ? "" : data.subarray(end + 4).toString("utf8") };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The operations the server registers: any model operation that does not answer UnknownOperationException. */
export async function registeredOperations(endpoint: string): Promise<Set<string>> {
  const answers = await Promise.all(
    Object.keys(OPERATIONS).map(async (op) => [op, await rawCall(endpoint, op, {})] as const),
  );
  return new Set(answers.filter(([, r]) => (r.json as { __type?: string } | undefined)?.__type !== "UnknownOperationException").map(([op]) => op));
}
