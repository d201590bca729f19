// Records queued under "audit" by an earlier version, which sent them to an AuditTrail shard: delivered to D1 like
// the records now queued with the index (index-destination.ts). Kept so that an upgraded object loses none.
import type { TrailEntry } from "../audit/events-db";
import type { Env } from "../env";
import type { Destination } from "./destination";
import { d1Destination, recordEntry } from "./index-destination";

export const AUDIT = "audit";

export const auditDestination = (env: () => Env): Destination =>
  d1Destination(AUDIT, env, (entries) => (entries as TrailEntry[]).map(recordEntry));
