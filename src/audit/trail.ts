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
 * The shard this isolate appends to: one, so that its concurrent calls arrive together and share the shard's commits
 * (AuditTrail.append); isolates, each choosing at random, spread the appends over the shards.
 */
let isolateShard: number | undefined;

/**
 * The trail of this deployment: each record is appended by the request it records, to this isolate's shard of its
 * (account, region). (Requests cannot share one append: the runtime cancels a request that waits on a promise only
 * another request resolves, as hung.)
 */
export function durableTrail(env: Env): Trail {
  return {
    record: (entry) => {
      // Chosen at the first call: the global scope may not generate random values.
      isolateShard ??= Math.floor(Math.random() * AUDIT_SHARDS);
      return shardStub(env, entry.accountId, entry.region, isolateShard).append(`[${JSON.stringify(entry)}]`, 1);
    },
  };
}

/** Delivers every pending record of (account, region) to D1; a shard that cannot is logged and skipped. */
export async function drainTrail(env: Env, accountId: string, region: string): Promise<void> {
  const shards = Array.from({ length: AUDIT_SHARDS }, (_, shard) => shardStub(env, accountId, region, shard).index());
  for (const result of await Promise.allSettled(shards)) {
    if (result.status === "rejected") console.error(JSON.stringify({ event: "audit_drain_failed", accountId, region, error: String(result.reason) }));
  }
}
