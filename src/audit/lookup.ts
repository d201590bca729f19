// LookupEvents over the trail: CloudTrail's input rules and error codes, one page newest first, and an opaque
// NextToken bound to the caller's account, region and query (src/crypto/page-token.ts).
import { keyRing } from "../crypto/keys";
import { openPageToken, sealPageToken } from "../crypto/page-token";
import type { Env } from "../env";
import { AwsError } from "../protocol/errors";
import { type AttributeKey, type Cursor, type EventQuery, lookupPage, type StoredEvent } from "./events-db";

/** CloudTrail keeps 90 days of events for LookupEvents; the cron purge deletes older ones. */
export const RETENTION_MS = 90 * 86_400_000;
export const DEFAULT_MAX_RESULTS = 50;

const ATTRIBUTE_KEYS: readonly AttributeKey[] = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

export interface LookupInput {
  LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
  StartTime?: number;
  EndTime?: number;
  EventCategory?: string;
  MaxResults?: number;
  NextToken?: string;
}

export interface LookupScope {
  accountId: string;
  region: string;
  now: number;
}

const invalid = (code: "InvalidLookupAttributesException" | "InvalidTimeRangeException" | "InvalidMaxResultsException" | "InvalidEventCategoryException", message: string) =>
  new AwsError(code, message);

/** The query of a request, after CloudTrail's checks (each answered with CloudTrail's error code). */
export function queryOf(scope: LookupScope, input: LookupInput): EventQuery {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) throw invalid("InvalidLookupAttributesException", "You can specify only one lookup attribute.");
  const attribute = attributes[0];
  if (attribute && !ATTRIBUTE_KEYS.includes(attribute.AttributeKey as AttributeKey)) {
    throw invalid("InvalidLookupAttributesException", `The attribute key must be one of: ${ATTRIBUTE_KEYS.join(", ")}.`);
  }
  if (attribute && (attribute.AttributeValue.length < 1 || attribute.AttributeValue.length > 2000)) {
    throw invalid("InvalidLookupAttributesException", "The attribute value must be between 1 and 2000 characters long.");
  }
  if (input.EventCategory !== undefined && input.EventCategory !== "insight") {
    throw invalid("InvalidEventCategoryException", "The event category must be insight.");
  }
  if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 1 || input.MaxResults > 50)) {
    throw invalid("InvalidMaxResultsException", "MaxResults must be an integer between 1 and 50.");
  }
  const startTime = input.StartTime === undefined ? scope.now - RETENTION_MS : Math.ceil(input.StartTime * 1000);
  const endTime = input.EndTime === undefined ? scope.now : Math.floor(input.EndTime * 1000);
  if (input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime) {
    throw invalid("InvalidTimeRangeException", "The start time must be earlier than the end time.");
  }
  return {
    accountId: scope.accountId,
    region: scope.region,
    attribute: attribute && { key: attribute.AttributeKey as AttributeKey, value: attribute.AttributeValue },
    startTime,
    endTime,
  };
}

/**
 * What a NextToken is bound to: the account, region and the query as given (absent times stay absent, so the next
 * page's call, made later, still matches), but not MaxResults.
 */
const bindingOf = (scope: LookupScope, input: LookupInput) =>
  JSON.stringify(["LookupEvents", scope.accountId, scope.region, input.LookupAttributes ?? null, input.StartTime ?? null, input.EndTime ?? null, input.EventCategory ?? null]);

export interface LookupPage {
  events: StoredEvent[];
  nextToken?: string;
}

/** One page of the caller's events, newest first. */
export async function lookupEvents(env: Env, scope: LookupScope, input: LookupInput): Promise<LookupPage> {
  const query = queryOf(scope, input);
  const limit = input.MaxResults ?? DEFAULT_MAX_RESULTS;
  const ring = keyRing(env.KMS_KEYS);
  const binding = bindingOf(scope, input);
  let cursor: Cursor | undefined;
  if (input.NextToken !== undefined) {
    cursor = cursorOf(await openPageToken(ring, binding, input.NextToken));
    if (!cursor) throw new AwsError("InvalidNextTokenException", "Invalid NextToken. Pass the NextToken of the previous call with the same parameters.");
  }
  // Insight events are not recorded here: that category has none.
  if (input.EventCategory === "insight") return { events: [] };
  const rows = await lookupPage(env.DB, query, cursor, limit + 1);
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  const more = rows.length > limit && last !== undefined;
  return { events, nextToken: more ? await sealPageToken(ring, binding, { t: last.event_time, i: last.event_id }) : undefined };
}

function cursorOf(position: unknown): Cursor | undefined {
  if (typeof position !== "object" || position === null) return undefined;
  const { t, i } = position as { t?: unknown; i?: unknown };
  return typeof t === "number" && typeof i === "string" ? { time: t, id: i } : undefined;
}
