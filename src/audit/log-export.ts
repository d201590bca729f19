// The audit trail's log files: D1 holds every record once (its unique eventID drops a repeated delivery), and one
// Durable Object of the deployment exports them to R2 (log-files.ts) in the order D1 took them (rowid), from a cursor
// kept in D1 (migrations/0009_audit_export.sql). One object, so two exports never write the same records; a retried
// page has the same first row and so the same file names, and overwrites rather than doubles its files.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { writeLogFiles } from "./log-files";

/**
 * How often the export runs while records arrive. Each run writes pages of up to LOG_FILE_RECORDS records in D1's
 * order, one file per (account, region) of a page: a busy deployment's account gets several files a minute.
 */
export const LOG_EXPORT_INTERVAL_MS = 60_000;
const LOG_FILE_RECORDS = 1_000;
/** Runs without a record before the export stops arming itself; a writer's next record kicks it again. */
const IDLE_RUNS = 10;
const RETRY_MAX_MS = 600_000;

interface ExportRow extends Record<string, unknown> {
  seq: number;
  account_id: string;
  region: string;
  event_time: number;
  record: string;
}

export class AuditExport extends DurableObject<Env> {
  private idleRuns = 0;
  private failures = 0;
  /** Exports run one after another. */
  private running: Promise<unknown> = Promise.resolve();

  /** Arms the export (unless it is armed): the writers of records call this at most once a minute each. */
  async kick(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + LOG_EXPORT_INTERVAL_MS);
  }

  /** Exports every record D1 holds now; returns how many. */
  flush(): Promise<number> {
    const run = this.running.then(() => this.exportAll());
    this.running = run.catch(() => undefined);
    return run;
  }

  override async alarm(): Promise<void> {
    try {
      this.idleRuns = (await this.flush()) > 0 ? 0 : this.idleRuns + 1;
      this.failures = 0;
    } catch (error) {
      this.failures++;
      console.error(JSON.stringify({ event: "audit_export_failed", failures: this.failures, error: String(error) }));
    }
    if (this.failures > 0) await this.ctx.storage.setAlarm(Date.now() + Math.min(RETRY_MAX_MS, LOG_EXPORT_INTERVAL_MS * 2 ** (this.failures - 1)));
    else if (this.idleRuns < IDLE_RUNS) await this.ctx.storage.setAlarm(Date.now() + LOG_EXPORT_INTERVAL_MS);
  }

  private async exportAll(): Promise<number> {
    const bucket = this.env.AUDIT_LOGS;
    if (!bucket) return 0;
    const db = this.env.DB;
    let exported = 0;
    for (;;) {
      const rows = await nextRecords(db, LOG_FILE_RECORDS);
      const last = rows.at(-1);
      if (!last) return exported;
      const records = rows.map((r) => ({ accountId: r.account_id, region: r.region, eventTime: r.event_time, record: r.record }));
      await writeLogFiles(bucket, records, `export/${rows[0]!.seq}`);
      await db.prepare(`UPDATE audit_export SET through_seq = ?`).bind(last.seq).run();
      exported += rows.length;
      if (rows.length < LOG_FILE_RECORDS) return exported;
    }
  }
}

/**
 * The next records past the cursor, in the order D1 took them. rowids only grow while the newest row stands (the
 * retention purge keeps it); should the table be emptied by other means, they start again below the cursor, which
 * then starts again too.
 */
async function nextRecords(db: D1Database, limit: number): Promise<ExportRow[]> {
  const { results } = await db
    .prepare(
      `SELECT e.rowid AS seq, e.account_id, e.region, e.event_time, e.record FROM audit_events e, audit_export x
       WHERE e.rowid > (CASE WHEN x.through_seq > (SELECT IFNULL(max(rowid), 0) FROM audit_events) THEN 0 ELSE x.through_seq END)
       ORDER BY e.rowid LIMIT ?`,
    )
    .bind(limit)
    .all<ExportRow>();
  return results;
}

/** When this isolate last kicked the export. */
let kickedAt = 0;

/** Arms the export after records went to D1, at most once a minute per isolate (the export re-arms itself meanwhile). */
export async function kickLogExport(env: Env): Promise<void> {
  const now = Date.now();
  if (!env.AUDIT_LOGS || now - kickedAt < LOG_EXPORT_INTERVAL_MS) return;
  kickedAt = now;
  try {
    await logExport(env).kick();
  } catch (error) {
    kickedAt = 0;
    console.warn(JSON.stringify({ event: "audit_export_kick_failed", error: String(error) }));
  }
}

export function logExport(env: Env): DurableObjectStub<AuditExport> {
  return env.AUDIT_EXPORT.get(env.AUDIT_EXPORT.idFromName("log-export"));
}
