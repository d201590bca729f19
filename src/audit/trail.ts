// The Trail sink: where the Worker hands each call's record before it answers. Records of one (account, region)
// are spread over a few AuditTrail shards so that no single object serialises every call of a busy account;
// LookupEvents drains all shards of its (account, region) before it reads D1.
import type { Env } from "../env";
import type { TrailEntry } from "./events-db";

/** Shards per (account, region). Changing it strands nothing: a drain reads every shard this many names reach. */
export const AUDIT_SHARDS = 8;

export interface Trail {
  /** Resolves once the entry is durable; rejects when the trail cannot take it. */
  record(entry: TrailEntry): Promise<void>;
}

/** Shard ids by name: deriving one costs more than the append's own work. */
const ids = new Map<string, DurableObjectId>();

export function shardStub(env: Env, accountId: string, region: string, shard: number) {
  const name = `${accountId}/${region}/${shard}`;
  let id = ids.get(name);
  if (!id) {
    if (ids.size >= 10_000) ids.clear();
    id = env.AUDIT.idFromName(name);
    ids.set(name, id);
  }
  return env.AUDIT.get(id);
}

/**
 * The trail of this deployment: each record is appended to a random shard of its (account, region) by the request
 * it records; the shards spread the appends. (Requests cannot share one append: the runtime cancels a request that
 * waits on a promise only another request resolves, as hung.)
 */
export function durableTrail(env: Env): Trail {
  return {
    record: (entry) =>
      shardStub(env, entry.accountId, entry.region, Math.floor(Math.random() * AUDIT_SHARDS)).append(`[${JSON.stringify(entry)}]`, 1),
  };
}

/** Delivers every pending record of (account, region) to D1; a shard that cannot is logged and skipped. */
export async function drainTrail(env: Env, accountId: string, region: string): Promise<void> {
  const shards = Array.from({ length: AUDIT_SHARDS }, (_, shard) => shardStub(env, accountId, region, shard).index());
  for (const result of await Promise.allSettled(shards)) {
    if (result.status === "rejected") console.error(JSON.stringify({ event: "audit_drain_failed", accountId, region, error: String(result.reason) }));
  }
}
