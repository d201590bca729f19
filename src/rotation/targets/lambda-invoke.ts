// Calls a rotation function over the Lambda Invoke API: the event is POSTed as JSON; a 2xx answer without
// X-Amz-Function-Error is success, that header or any other status is the step's failure, recorded by its status,
// function error and errorType only (never the payload). Optionally SigV4-signed for service `lambda`. One bounded
// call per step.
import { Sha256WebCrypto } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { stepFailed, type RotationEvent, type StepOutcome } from "../event";
import type { UrlTarget } from "./config";

export const DEFAULT_TIMEOUT_SECONDS = 60;

export interface InvokeOptions {
  fetch: (request: Request) => Promise<Response>;
  credentials?: UrlTarget["credentials"];
  timeoutSeconds?: number;
}

export async function invokeLambda(url: string, event: RotationEvent, options: InvokeOptions): Promise<StepOutcome> {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const body = JSON.stringify(event);
  let headers: Record<string, string> = { "content-type": "application/json" };
  if (options.credentials) headers = await sign(url, body, headers, options.credentials);
  let response: Response;
  try {
    response = await options.fetch(new Request(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutSeconds * 1000) }));
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return stepFailed(timedOut ? `The function did not answer within ${timeoutSeconds} seconds.` : `The function could not be reached: ${String((error as Error).message ?? error)}`);
  }
  let payload: string;
  try {
    payload = await response.text();
  } catch {
    return stepFailed(`The function's answer was cut off after ${timeoutSeconds} seconds.`);
  }
  const functionError = response.headers.get("x-amz-function-error");
  if (functionError === null && response.status >= 200 && response.status <= 299) return { ok: true };
  return stepFailed(failureSummary(response, functionError, payload));
}

/** A name as a function or the Lambda service gives it (errorType, X-Amz-Function-Error, x-amzn-ErrorType). */
const NAME = /^[A-Za-z_$][A-Za-z0-9_.$:-]{0,127}$/;
const named = (value: unknown): string | undefined => (typeof value === "string" && NAME.test(value) ? value : undefined);

/**
 * What a failed invocation is recorded (and logged) as: its status, X-Amz-Function-Error, the Lambda service's error
 * code and the payload's errorType. Never the payload: a function's errorMessage or stack trace may quote the secret.
 */
export function failureSummary(response: Response, functionError: string | null, payload: string): string {
  let errorType: string | undefined;
  try {
    errorType = named((JSON.parse(payload) as { errorType?: unknown } | null)?.errorType);
  } catch {
    // Not JSON: nothing more to say about it.
  }
  const parts = [
    functionError === null ? `HTTP ${response.status}` : `FunctionError ${named(functionError) ?? "(unnamed)"}`,
    named(response.headers.get("x-amzn-errortype")?.split(":")[0]),
    errorType && `errorType ${errorType}`,
  ];
  return `The function failed: ${parts.filter(Boolean).join(", ")}.`;
}

async function sign(url: string, body: string, headers: Record<string, string>, credentials: NonNullable<UrlTarget["credentials"]>) {
  const target = new URL(url);
  // lambda.<region>.amazonaws.com names its region; a configured region wins.
  const region = credentials.region ?? /^lambda\.([a-z0-9-]+)\./.exec(target.hostname)?.[1] ?? "us-east-1";
  const signer = new SignatureV4({ service: "lambda", region, credentials, sha256: Sha256WebCrypto });
  const signed = await signer.sign({
    method: "POST",
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { ...headers, host: target.host },
    body,
  });
  const { host: _host, ...rest } = signed.headers;
  return rest;
}
