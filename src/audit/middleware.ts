// The Worker's audit hook: once a call has been answered (success or failure, authentication failures included),
// its CloudTrail record goes to the Trail, and the answer leaves only after the trail holds the record durably.
// If the trail cannot take it, the call fails closed with InternalServiceError and the failure is logged.
import type { MiddlewareHandler } from "hono";
import { accessKeys } from "../auth/caller";
import type { AppEnv, Env } from "../env";
import { resolveTarget } from "../protocol/dispatch";
import { AwsError } from "../protocol/errors";
import { toEntry } from "./events-db";
import { callerIdentity, unverifiedIdentity } from "./identity";
import { apiCallRecord, type UserIdentity } from "./record";
import { type AuditSlot, userAgentOf } from "./prepared-call";
import { durableTrail, type Trail } from "./trail";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function auditTrail(trailOf: (env: Env) => Trail = durableTrail): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slot: AuditSlot = { eventTime: Date.now(), eventId: crypto.randomUUID() };
    c.set("audit", slot);
    await next();
    // A change committed with its record in the secret's object (src/secret-object/audit-log.ts): already on the trail.
    if (slot.recorded) return;
    const { eventTime } = slot;
    const who = await whoCalled(c.req.raw, c.env, c.get("caller"));
    // A request that names no configured key belongs to no account, so no trail can hold it (as on AWS); the
    // authentication step has logged it.
    if (!who) return;
    const { eventSource, name, op } = resolveTarget(c.req.header("x-amz-target") ?? "");
    const error = c.error && (c.error instanceof AwsError ? c.error : new AwsError("InternalServiceError", "An error occurred on the server side."));
    const built = apiCallRecord({
      eventSource,
      eventName: name,
      eventTime,
      eventId: slot.eventId,
      requestId: c.get("requestId") ?? crypto.randomUUID(),
      region: who.region,
      recipientAccountId: who.accountId,
      identity: who.identity,
      sourceIp: c.req.header("cf-connecting-ip") ?? "127.0.0.1",
      userAgent: userAgentOf(c),
      request: c.get("input"),
      members: op && "shape" in op.input ? Object.keys(op.input.shape as object) : [],
      response: error ? undefined : c.get("output"),
      error: error && { code: error.code, message: error.message },
    });
    try {
      await trailOf(c.env).record(toEntry(built, eventTime));
    } catch (failure) {
      console.error(
        JSON.stringify({ event: "audit_record_failed", requestId: c.get("requestId"), eventName: name, accountId: who.accountId, error: String(failure) }),
      );
      throw new AwsError("InternalServiceError", "An error occurred on the server side.");
    }
  };
}

interface Who {
  accountId: string;
  region: string;
  identity: UserIdentity;
}

/** The verified caller, or for a request that failed before or during authentication, the key it claimed. */
async function whoCalled(request: Request, env: Env, caller: AppEnv["Variables"]["caller"] | undefined): Promise<Who | undefined> {
  if (caller) return { accountId: caller.accountId, region: caller.region, identity: await callerIdentity(caller) };
  const scope = /Credential=([^/,\s]{1,128})\/\d{8}\/([^/,\s]{1,64})\//.exec(request.headers.get("authorization") ?? "");
  if (!scope || !REGION.test(scope[2]!)) return undefined;
  let key;
  try {
    key = accessKeys(env).get(scope[1]!);
  } catch {
    return undefined;
  }
  return key && { accountId: key.accountId, region: scope[2]!, identity: unverifiedIdentity(key.accountId, key.accessKeyId) };
}
