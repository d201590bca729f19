// The Worker's half of a mutation's record: what only the request knows (who, when, from where, its parameters
// without values), prepared before the call reaches the secret's object, which completes the record with its answer
// and commits it with the mutation (secret-object/audit-log.ts). The slot tells the audit middleware it did.
import type { Context as HonoContext } from "hono";
import type { AppEnv } from "../env";
import type { AnyOperation } from "../operations/operation";
import { callerIdentity } from "./identity";
import { SENSITIVE_MEMBERS } from "./parameters";
import { type ApiCall, SECRETS_SOURCE, isReadOnly } from "./record";

/** One call's event, shared by the audit middleware and the call's object; `recorded` once the object committed it. */
export interface AuditSlot {
  eventTime: number;
  eventId: string;
  recorded?: boolean;
}

/** A record of a call short of its outcome. `request` holds only modeled members and never a value. */
export type PreparedCall = Omit<ApiCall, "response" | "error">;

const MAX_USER_AGENT = 1024;

/** The request's User-Agent as a record keeps it (bounded). */
export const userAgentOf = (c: HonoContext<AppEnv>) => (c.req.header("user-agent") ?? "").slice(0, MAX_USER_AGENT);

/** The prepared record of a state-changing Secrets Manager call; undefined for reads. */
export async function preparedCall(c: HonoContext<AppEnv>, eventName: string, op: AnyOperation, input: unknown): Promise<PreparedCall | undefined> {
  const slot = c.get("audit");
  if (!slot || isReadOnly(eventName)) return undefined;
  const caller = c.get("caller");
  const members = "shape" in op.input ? Object.keys(op.input.shape as object) : [];
  const request = typeof input === "object" && input !== null ? input : {};
  return {
    eventSource: SECRETS_SOURCE,
    eventName,
    eventTime: slot.eventTime,
    eventId: slot.eventId,
    requestId: c.get("requestId"),
    region: caller.region,
    recipientAccountId: caller.accountId,
    identity: await callerIdentity(caller),
    sourceIp: caller.sourceIp,
    userAgent: userAgentOf(c),
    request: Object.fromEntries(Object.entries(request).filter(([key]) => members.includes(key) && !SENSITIVE_MEMBERS.has(key))),
    members,
  };
}

/** The answer of an object that committed this call's record with its mutation carries the call's eventId. */
export interface Recorded {
  recorded?: string;
}

/**
 * The secret object's stub, noting in the slot when an answer says the object committed the call's record (so the
 * middleware does not append a second one).
 */
export function noting<T extends object>(stub: T, slot: AuditSlot): T {
  return new Proxy(stub, {
    get(target, property) {
      const member: unknown = Reflect.get(target, property);
      if (typeof member !== "function") return member;
      // Called as a method of the stub: an RPC method has no Function.prototype (apply would be an RPC call).
      return async (...args: unknown[]) => {
        const answer: unknown = await (target as Record<PropertyKey, (...a: unknown[]) => unknown>)[property]!(...args);
        if ((answer as Recorded | undefined)?.recorded === slot.eventId) slot.recorded = true;
        return answer;
      };
    },
  });
}
