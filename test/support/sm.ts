// sm(op, input): one Secrets Manager call through the Worker's fetch handler, as an AWS client sends it.
import { SELF } from "cloudflare:test";

export interface SmResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface SmOptions {
  region?: string;
  accessKeyId?: string;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function sm<T = any>(op: string, input: unknown = {}, options: SmOptions = {}): Promise<SmResponse<T>> {
  const region = options.region ?? "us-east-1";
  const accessKeyId = options.accessKeyId ?? "AKIDTESTLOCAL";
  const response = await SELF.fetch("http://127.0.0.1/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `secretsmanager.${op}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261123/${region}/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
      ...options.headers,
    },
    body: options.rawBody ?? JSON.stringify(input),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}

/** Asserts an AWS error response and returns its message. */
export function errorOf(response: SmResponse): { code: string; message: string } {
  return { code: String(response.body.__type), message: String(response.body.Message) };
}

/** A ClientRequestToken-shaped id. */
export const token = (): string => crypto.randomUUID();
