// The audit trail as an outbox destination: the records a secret's object commits with its mutations (its callers'
// calls and its own service events) go to one AuditTrail shard of the secret's (account, region), always the same
// for the object, whose append is idempotent per eventID, so a repeated delivery records nothing twice.
import type { TrailEntry } from "../audit/events-db";
import { AUDIT_SHARDS, shardStub } from "../audit/trail";
import type { Env } from "../env";
import type { Destination } from "./destination";

export const AUDIT = "audit";

/** `objectId`: the secret object's id (hex), which picks its shard. */
export function auditDestination(env: () => Env, objectId: string): Destination {
  const shard = Number.parseInt(objectId.slice(-8), 16) % AUDIT_SHARDS;
  return {
    name: AUDIT,
    // A write is answered once its record is in the trail, as every other call is. A trail that fails answers at
    // once (the record stays in the object, retried); the bound only caps a trail that hangs.
    readYourWrites: true,
    waitMs: 10_000,
    async deliver(entries) {
      const records = entries as TrailEntry[];
      const first = records[0];
      if (first) await shardStub(env(), first.accountId, first.region, shard).appendOnce(records);
    },
  };
}
