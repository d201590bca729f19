// The cron sweeper, the safety net behind each object's alarm: pokes every secret whose deletion deadline has
// passed, and walks the D1 index a batch per run, asking each row's object to re-apply index updates still
// queued and to repair the row when it disagrees; and deletes audit events past their 90 days. Idempotent, so
// running it twice or alongside an alarm is harmless.
import { purgeBefore } from "./audit/events-db";
import { RETENTION_MS } from "./audit/lookup";
import { objectName, parseSecretId, type SecretRef } from "./domain/secret-id";
import { locationHint } from "./domain/regions";
import type { Env } from "./env";
import { dueDeletions, indexedAfter, removeIndexRow, setSweepCursor, sweepCursor } from "./index-db/secrets-index";
import type { IndexRepair } from "./secret-object/secret-object";

/** Index rows checked per run: at one run per 10 minutes, 200 rows is ~29,000 a day. */
export const REPAIR_BATCH = 200;

/** Runs both passes; returns how many due deletions it poked. */
export async function sweep(env: Env, now: number): Promise<number> {
  const [purged, repaired, expired] = await Promise.allSettled([purgeDue(env, now), sweepIndex(env), purgeBefore(env.DB, now - RETENTION_MS)]);
  if (repaired.status === "rejected") console.error(JSON.stringify({ event: "index_sweep_failed", error: String(repaired.reason) }));
  if (expired.status === "rejected") console.error(JSON.stringify({ event: "audit_purge_failed", error: String(expired.reason) }));
  if (purged.status === "rejected") throw purged.reason;
  return purged.value;
}

async function purgeDue(env: Env, now: number): Promise<number> {
  const due = await dueDeletions(env.DB, now);
  await Promise.all(due.map((ref) => stubOf(env, ref).sweep()));
  return due.length;
}

export interface SweepReport {
  checked: number;
  outcomes: Record<IndexRepair | "removed" | "failed", number>;
  /** The last ARN checked; '' when this run reached the end of the index and the next starts over. */
  cursor: string;
}

/** Checks the next `limit` index rows (by ARN, continuing where the last run stopped) against their objects. */
export async function sweepIndex(env: Env, limit = REPAIR_BATCH): Promise<SweepReport> {
  const rows = await indexedAfter(env.DB, await sweepCursor(env.DB), limit);
  const outcomes: SweepReport["outcomes"] = { "in-sync": 0, pending: 0, repaired: 0, removed: 0, failed: 0 };
  const settled = await Promise.allSettled(
    rows.map(async (row): Promise<keyof SweepReport["outcomes"]> => {
      // The ARN names the object that owns the row, whatever the row's other columns say.
      const ref = parseSecretId(row.arn, { accountId: "", region: "" });
      if (ref.suffix === undefined || !ref.accountId) {
        await removeIndexRow(env.DB, row.arn);
        return "removed";
      }
      return stubOf(env, ref).repairIndex(row);
    }),
  );
  for (const [i, result] of settled.entries()) {
    if (result.status === "fulfilled") outcomes[result.value]++;
    else {
      outcomes.failed++;
      console.warn(JSON.stringify({ event: "index_repair_failed", arn: rows[i]!.arn, error: String(result.reason) }));
    }
  }
  const cursor = rows.length < limit ? "" : rows.at(-1)!.arn;
  await setSweepCursor(env.DB, cursor);
  return { checked: rows.length, outcomes, cursor };
}

function stubOf(env: Env, ref: SecretRef) {
  return env.SECRETS.get(env.SECRETS.idFromName(objectName(ref)), { locationHint: locationHint(ref.region) });
}
