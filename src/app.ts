// The Worker's HTTP edge: request id, caller, POST / → dispatch, and the one place errors become AWS responses.
import { type Context, Hono } from "hono";
import { auditTrail } from "./audit/middleware";
import { authenticate } from "./auth/caller";
import type { AppEnv } from "./env";
import { keyRingGuard } from "./key-ring/write-guard";
import { health } from "./observability/health";
import { requestLog } from "./observability/request-log";
import { bodyText, dispatch, readBody } from "./protocol/dispatch";
import { AwsError } from "./protocol/errors";
import { jsonResponse } from "./protocol/json";

export const app = new Hono<AppEnv>();

app.post("/", requestLog);
// Every call, answered or refused, is on the audit trail before its answer leaves (src/audit/middleware.ts).
app.post("/", auditTrail());

// Every request is authenticated before anything else looks at it, so an unauthenticated caller learns
// nothing (not even whether an operation or a secret exists).
app.post("/", async (c, next) => {
  c.set("requestId", crypto.randomUUID());
  const body = await readBody(c.req.raw);
  c.set("caller", await authenticate(c.req.raw, body, c.env, c.get("requestId")));
  c.set("body", bodyText(body));
  await next();
});

app.post("/", keyRingGuard);
app.post("/", async (c) => jsonResponse(await dispatch(c), 200, { "x-amzn-RequestId": c.get("requestId") }));

app.get("/health", health);
// On Cloudflare the edge answers /console/ from the static assets before the Worker runs; only misses get here.
const consoleFiles = (c: Context<AppEnv>) => (c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : c.notFound());
app.get("/console", consoleFiles);
app.get("/console/*", consoleFiles);

// Ceilings for `npm run bench` (bench/load.mjs), answered only when BENCH_NOOP is "1" (`npm start` with BENCH_NOOP=1;
// never set in wrangler.toml): the runtime's own cost of a request, without and with SigV4 verification. No storage.
const benchNoop = (authenticated: boolean) => async (c: Context<AppEnv>) => {
  if (c.env.BENCH_NOOP !== "1") return c.notFound();
  const requestId = crypto.randomUUID();
  const body = await readBody(c.req.raw);
  if (authenticated) await authenticate(c.req.raw, body, c.env, requestId);
  return jsonResponse({}, 200, { "x-amzn-RequestId": requestId });
};
app.post("/__bench/noop", benchNoop(false));
app.post("/__bench/noop-auth", benchNoop(true));

app.notFound((c) =>
  renderError(new AwsError("UnknownOperationException", "Requests are POST / with an X-Amz-Target header."), c.get("requestId") ?? crypto.randomUUID()),
);

app.onError((error, c) => {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  if (error instanceof AwsError) return renderError(error, requestId);
  // Anything that is not an AwsError is a bug: log it (never a request body) and answer a generic 500.
  console.error(JSON.stringify({ event: "internal_error", requestId, error: error instanceof Error ? error.stack : String(error) }));
  return renderError(new AwsError("InternalServiceError", "An error occurred on the server side."), requestId);
});

function renderError(error: AwsError, requestId: string): Response {
  return jsonResponse({ __type: error.code, Message: error.message }, error.status, {
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": error.code,
  });
}
