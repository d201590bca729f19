// X-Amz-Target → operation; reads and parses the JSON body, validates it with the operation's schema, runs it.
// The request as parsed and the operation's answer are kept on the context for the audit trail.
import type { Context as HonoContext } from "hono";
import { cloudTrailOperations } from "../audit/operations";
import { preparedCall } from "../audit/prepared-call";
import type { AppEnv } from "../env";
import { operations } from "../operations";
import type { AnyOperation } from "../operations/operation";
import { AwsError } from "./errors";
import { BadJson, normaliseBody } from "./json";
import { CLOUDTRAIL_PREFIXES, SECRETS_MANAGER_PREFIX } from "./targets";
import { toAwsError } from "./validation";

export const MAX_BODY_BYTES = 1 << 20;

/** Each target namespace: its prefix, the service that records its events, and its operations. */
const NAMESPACES: { prefix: string; eventSource: string; operations: Record<string, AnyOperation> }[] = [
  { prefix: SECRETS_MANAGER_PREFIX, eventSource: "secretsmanager.amazonaws.com", operations },
  ...CLOUDTRAIL_PREFIXES.map((prefix) => ({ prefix, eventSource: "cloudtrail.amazonaws.com", operations: cloudTrailOperations })),
];

export interface ResolvedTarget {
  eventSource: string;
  /** The operation's name, or what the target named (at most 128 characters) when no operation has it. */
  name: string;
  op?: AnyOperation;
}

export function resolveTarget(target: string): ResolvedTarget {
  for (const ns of NAMESPACES) {
    if (!target.startsWith(ns.prefix)) continue;
    const name = target.slice(ns.prefix.length);
    return { eventSource: ns.eventSource, name: name.slice(0, 128), op: Object.hasOwn(ns.operations, name) ? ns.operations[name] : undefined };
  }
  return { eventSource: NAMESPACES[0]!.eventSource, name: target.slice(0, 128) };
}

export async function dispatch(c: HonoContext<AppEnv>): Promise<object> {
  const target = c.req.header("x-amz-target") ?? "";
  const { op, name } = resolveTarget(target);
  if (!op) throw new AwsError("UnknownOperationException", `The operation ${JSON.stringify(target.slice(0, 128))} is not supported.`);

  const input = parseBody(c.get("body"));
  c.set("input", input);
  const parsed = op.input.safeParse(input);
  if (!parsed.success) throw toAwsError(parsed.error, input);
  const call = await preparedCall(c, name, op, input);
  const audit = call && { call, slot: c.get("audit") };
  const output = await op.handler({ env: c.env, caller: c.get("caller"), requestId: c.get("requestId"), now: Date.now(), audit }, parsed.data as never);
  c.set("output", output);
  return output;
}

/**
 * The request body as the bytes sent (the signature covers those), refused past MAX_BODY_BYTES. An oversize body is
 * still read (and discarded) up to DRAIN_LIMIT_BYTES, so the client, still sending, gets the 400 instead of a reset
 * connection.
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  try {
    // With a declared length within the limit, the runtime's framing already bounds the body in bytes.
    if (declared <= MAX_BODY_BYTES) return new Uint8Array(await request.arrayBuffer());
    return await readBounded(request);
  } catch (error) {
    if (error instanceof AwsError) throw error;
    // The connection ended before the declared body did.
    throw new AwsError("SerializationException", "The request body could not be read completely.");
  }
}

const DRAIN_LIMIT_BYTES = 32 << 20;

async function readBounded(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    else if (size > DRAIN_LIMIT_BYTES) break;
  }
  if (size > MAX_BODY_BYTES) throw tooLarge();
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** A verified body as text: UTF-8 (a leading byte-order mark is dropped); any other bytes are refused. */
export function bodyText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AwsError("SerializationException", "The request body is not valid UTF-8.");
  }
}

function parseBody(body: string): unknown {
  if (body.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AwsError("SerializationException", "The request body is not valid JSON.");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new AwsError("SerializationException", "The request body must be a JSON object.");
  }
  try {
    return normaliseBody(json);
  } catch (error) {
    if (error instanceof BadJson) throw new AwsError("SerializationException", error.message);
    throw error;
  }
}

const tooLarge = () => new AwsError("ValidationException", `The request body exceeds the maximum size of ${MAX_BODY_BYTES} bytes.`);
