// AWS JSON 1.1 wire helpers: content type, epoch-second timestamps, and bodies without empty fields.

export const AMZ_JSON = "application/x-amz-json-1.1";

/** Epoch milliseconds → AWS timestamp (epoch seconds with a millisecond fraction). */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** JSON.stringify drops undefined members, so absent fields are omitted rather than sent as null. */
export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": AMZ_JSON, ...headers } });
}

const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Readies a parsed body for validation: JSON null means "absent" in AWS's JSON protocol, so nulls are removed.
 * Throws BadJson for text that is not valid Unicode (a lone surrogate would be silently altered in storage)
 * and for nesting deeper than any Secrets Manager request can have.
 */
export function normaliseBody(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new BadJson("The request contains a string that is not valid Unicode.");
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) throw new BadJson("The request body is nested too deeply.");
  if (Array.isArray(value)) return value.map((v) => normaliseBody(v, depth + 1));
  // fromEntries defines own properties, so a member named "__proto__" stays an (unknown) member.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => {
        if (LONE_SURROGATE.test(key)) throw new BadJson("The request contains a string that is not valid Unicode.");
        return [key, normaliseBody(member, depth + 1)];
      }),
  );
}

export class BadJson extends Error {}
