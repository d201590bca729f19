// One structured log line per API request (what Workers Logs and Logpush collect; `npm run dev` prints it
// readably) and its request counter: operation, status, AWS error code, latency, account, region, secret ARN.
// Never a value: the ARN is taken from the operation's answer (as dispatch kept it) only by its "ARN" member, the
// request's SecretId only on errors.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { metrics } from "./metrics";

const PARSE_LIMIT = 64 << 10;

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const operation = /^secretsmanager\.([A-Za-z]{1,64})$/.exec(c.req.header("x-amz-target") ?? "")?.[1] ?? "unknown";
  const errorCode = c.res.headers.get("x-amzn-ErrorType") ?? undefined;
  const latencyMs = Date.now() - started;
  const caller = c.get("caller");
  metrics(c.env).request(operation, errorCode, latencyMs);
  if (c.env.REQUEST_LOG === "off") return;
  console.log(
    JSON.stringify({
      event: "request",
      operation,
      status: c.res.status,
      errorCode: errorCode ?? null,
      latencyMs,
      account: caller?.accountId ?? null,
      region: caller?.region ?? null,
      arn: secretOf(c) ?? null,
      requestId: c.res.headers.get("x-amzn-RequestId"),
    }),
  );
};

/**
 * The secret's ARN from the operation's answer (kept by dispatch, so the response is not read again), or on an error
 * the SecretId the caller named (a name or an ARN).
 */
function secretOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string | undefined {
  try {
    if (c.res.status === 200) {
      const arn = (c.get("output") as { ARN?: unknown } | undefined)?.ARN;
      return typeof arn === "string" ? arn : undefined;
    }
    const body = c.get("body");
    if (body === undefined || body.length > PARSE_LIMIT) return undefined;
    const id = (JSON.parse(body) as { SecretId?: unknown }).SecretId;
    return typeof id === "string" ? id.slice(0, 2048) : undefined;
  } catch {
    return undefined;
  }
}
