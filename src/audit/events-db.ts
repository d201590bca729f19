// The audit trail in D1 (migrations/0006_audit_trail.sql): inserting delivered records (idempotent), one page of a
// LookupEvents query newest first as a keyset range of one index, and the 90-day retention purge.
import { usernameOf } from "./identity";
import type { Built } from "./record";
import type { TrailResource } from "./parameters";

/** A record with the columns it is looked up by: what the trail carries from the Worker to D1 and R2. */
export interface TrailEntry {
  accountId: string;
  region: string;
  /** Epoch milliseconds: orders events within a second. */
  eventTime: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  resources: TrailResource[];
  /** The CloudTrail record as JSON. */
  record: string;
}

export function toEntry(built: Built, eventTime: number): TrailEntry {
  const { record } = built;
  return {
    accountId: record.recipientAccountId,
    region: record.awsRegion,
    eventTime,
    eventId: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    readOnly: record.readOnly,
    username: usernameOf(record.userIdentity),
    accessKeyId: record.userIdentity.accessKeyId,
    resources: built.resources,
    record: JSON.stringify(record),
  };
}

/**
 * The statement that stores a batch of entries, given as the JSON text of an array of TrailEntry: one whatever the
 * batch's size (the rows are read from the JSON by SQLite, and each event's resource rows follow by trigger:
 * migrations/0011_audit_resources_trigger.sql), so a drain costs D1 one small batch.
 */
export function insertStatement(db: D1Database, entriesJson: string): D1PreparedStatement {
  const field = (name: string) => `json_extract(e.value, '$.${name}')`;
  return db
    .prepare(
      `INSERT OR IGNORE INTO audit_events (account_id, region, event_time, event_id, event_name, event_source, read_only, username,
         access_key_id, resources, record)
       SELECT ${field("accountId")}, ${field("region")}, ${field("eventTime")}, ${field("eventId")}, ${field("eventName")},
         ${field("eventSource")}, CASE ${field("readOnly")} WHEN 1 THEN 'true' ELSE 'false' END, ${field("username")}, ${field("accessKeyId")},
         (SELECT json_group_array(json_object('ResourceType', json_extract(r.value, '$.type'), 'ResourceName', json_extract(r.value, '$.name')))
            FROM json_each(e.value, '$.resources') AS r),
         ${field("record")}
       FROM json_each(?1) AS e`,
    )
    .bind(entriesJson);
}

export type AttributeKey = "EventId" | "EventName" | "ReadOnly" | "Username" | "ResourceType" | "ResourceName" | "EventSource" | "AccessKeyId";

/** Each event attribute's column and the index that reads it newest first (the planner, without statistics, would
 *  otherwise walk the time index and filter, reading every event of the range to find a rare match). */
const EVENT_COLUMNS: Partial<Record<AttributeKey, { column: string; index: string }>> = {
  EventId: { column: "event_id", index: "audit_events_by_id" },
  EventName: { column: "event_name", index: "audit_events_by_name" },
  ReadOnly: { column: "read_only", index: "audit_events_by_read_only" },
  Username: { column: "username", index: "audit_events_by_username" },
  EventSource: { column: "event_source", index: "audit_events_by_source" },
  AccessKeyId: { column: "access_key_id", index: "audit_events_by_access_key" },
};
const RESOURCE_COLUMNS: Partial<Record<AttributeKey, string>> = { ResourceName: "resource_name", ResourceType: "resource_type" };

export interface EventQuery {
  accountId: string;
  region: string;
  attribute?: { key: AttributeKey; value: string };
  /** Inclusive bounds, epoch milliseconds. */
  startTime: number;
  endTime: number;
}

/** Where the previous page stopped: the last event it returned. */
export interface Cursor {
  time: number;
  id: string;
}

export interface StoredEvent {
  event_time: number;
  event_id: string;
  event_name: string;
  event_source: string;
  read_only: string;
  username: string | null;
  access_key_id: string | null;
  resources: string;
  record: string;
}

/** Up to `limit` events matching `query`, newest first, after `cursor`. */
export async function lookupPage(db: D1Database, query: EventQuery, cursor: Cursor | undefined, limit: number): Promise<StoredEvent[]> {
  const params: unknown[] = [query.accountId, query.region, query.startTime, query.endTime, limit];
  const range = (t: string) => {
    let sql = `${t}.account_id = ?1 AND ${t}.region = ?2 AND ${t}.event_time >= ?3 AND ${t}.event_time <= ?4`;
    if (cursor) {
      params.push(cursor.time, cursor.id);
      sql += ` AND (${t}.event_time < ?6 OR (${t}.event_time = ?6 AND ${t}.event_id < ?7))`;
    }
    return sql;
  };
  const key = query.attribute?.key;
  const resourceColumn = key && RESOURCE_COLUMNS[key];
  let sql: string;
  if (resourceColumn) {
    const where = range("r");
    params.push(query.attribute!.value);
    // CROSS JOIN keeps the page's matches as the outer loop: each fetches its event by key.
    sql = `SELECT e.* FROM (SELECT DISTINCT r.event_time, r.event_id FROM audit_event_resources r
             WHERE ${where} AND r.${resourceColumn} = ?${params.length}
             ORDER BY r.event_time DESC, r.event_id DESC LIMIT ?5) AS m
           CROSS JOIN audit_events e INDEXED BY audit_events_by_time
             ON e.account_id = ?1 AND e.region = ?2 AND e.event_time = m.event_time AND e.event_id = m.event_id
           ORDER BY e.event_time DESC, e.event_id DESC`;
  } else {
    let where = range("e");
    const attribute = key ? EVENT_COLUMNS[key] : undefined;
    if (attribute) {
      params.push(query.attribute!.value);
      where += ` AND e.${attribute.column} = ?${params.length}`;
    }
    sql = `SELECT e.* FROM audit_events e INDEXED BY ${attribute?.index ?? "audit_events_by_time"} WHERE ${where}
           ORDER BY e.event_time DESC, e.event_id DESC LIMIT ?5`;
  }
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<StoredEvent>();
  return results;
}

/** Rows deleted per statement of the purge, and statements per run, so one run stays well inside its limits. */
const PURGE_BATCH = 2_000;
const PURGE_ROUNDS = 10;

/** Deletes events older than `cutoff` (epoch ms), oldest first; returns how many events went. */
export async function purgeBefore(db: D1Database, cutoff: number): Promise<number> {
  let purged = 0;
  for (let round = 0; round < PURGE_ROUNDS; round++) {
    const [events] = await db.batch([
      db
        .prepare(
          // Never the newest row (a late record may be old): rowids then never go back below the log export's cursor.
          `DELETE FROM audit_events WHERE event_time < ?1 AND rowid < (SELECT max(rowid) FROM audit_events) AND event_id IN
             (SELECT event_id FROM audit_events WHERE event_time < ?1 ORDER BY event_time LIMIT ?2)`,
        )
        .bind(cutoff, PURGE_BATCH),
      db
        .prepare(
          `DELETE FROM audit_event_resources WHERE event_time < ?1 AND event_id IN
             (SELECT event_id FROM audit_event_resources WHERE event_time < ?1 ORDER BY event_time LIMIT ?2)`,
        )
        .bind(cutoff, PURGE_BATCH),
    ]);
    const deleted = events!.meta.changes;
    purged += deleted;
    if (deleted < PURGE_BATCH) break;
  }
  return purged;
}
