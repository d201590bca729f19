// AWS JSON 1.1 wire helpers: content type, epoch-second timestamps, and bodies without empty fields.

export const AMZ_JSON = "application/x-amz-json-1.1";

/** Epoch milliseconds → AWS timestamp (epoch seconds with a millisecond fraction). */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** JSON.stringify drops undefined members, so absent fields are omitted rather than sent as null. */
export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": AMZ_JSON, ...headers } });
}

const MAX_DEPTH = 32;

/**
 * JSON null means "absent" in AWS's JSON protocol: removes it everywhere before validation.
 * Throws TooDeep for a body nested deeper than any Secrets Manager request can be.
 */
export function withoutNulls(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== null) out[key] = withoutNulls(member, depth + 1);
  return out;
}

export class TooDeep extends Error {}
