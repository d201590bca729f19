// The audit trail's Durable Object: one of a few shards per (account, region). Appending a record to its SQLite
// is the durable commit (the RPC answers once the write is durable, so the call it records may be answered);
// its alarm drains the pending records in batches to D1 (LookupEvents) and, when bound, to R2 log files.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { insertStatements, type TrailEntry } from "./events-db";
import { writeLogFiles } from "./log-files";

/** How long records gather before a drain: one D1 batch and one log file per shard per second at most. */
export const DRAIN_DELAY_MS = 1_000;
/** Records per drained batch (one D1 batch, one log file). */
export const DRAIN_BATCH = 200;
const RETRY_MAX_MS = 60_000;

interface PendingRow extends Record<string, SqlStorageValue> {
  seq: number;
  entry: string;
}

export class AuditTrail extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Whether an alarm is set; read from storage once per object start. */
  private armed: boolean | undefined;
  /** Drains run one after another, so two never deliver overlapping batches. */
  private draining: Promise<unknown> = Promise.resolve();
  private failures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)`);
  }

  /** Appends records; durable when this returns. */
  async append(entries: TrailEntry[]): Promise<void> {
    for (const entry of entries) this.sql.exec(`INSERT INTO pending (entry) VALUES (?)`, JSON.stringify(entry));
    this.armed ??= (await this.ctx.storage.getAlarm()) !== null;
    if (!this.armed) {
      await this.ctx.storage.setAlarm(Date.now() + DRAIN_DELAY_MS);
      this.armed = true;
    }
  }

  /** Delivers every pending record (LookupEvents calls this first, so a caller finds what it just did). */
  drain(): Promise<number> {
    const run = this.draining.then(() => this.deliverAll());
    this.draining = run.catch(() => undefined);
    return run;
  }

  override async alarm(): Promise<void> {
    this.armed = false;
    try {
      await this.drain();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      console.error(JSON.stringify({ event: "audit_drain_failed", failures: this.failures, error: String(error) }));
    }
    const left = this.sql.exec(`SELECT count(*) AS n FROM pending`).one().n as number;
    if (left > 0) {
      // Backoff while D1 or R2 fail: 2 s, 4 s, … up to a minute; records wait safely here meanwhile.
      await this.ctx.storage.setAlarm(Date.now() + Math.min(RETRY_MAX_MS, DRAIN_DELAY_MS * 2 ** Math.max(0, this.failures)));
      this.armed = true;
    }
  }

  /** How many records wait for delivery (tests, and the operator's view of lag). */
  async pendingCount(): Promise<number> {
    return this.sql.exec(`SELECT count(*) AS n FROM pending`).one().n as number;
  }

  private async deliverAll(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const rows = this.sql.exec<PendingRow>(`SELECT seq, entry FROM pending ORDER BY seq LIMIT ?`, DRAIN_BATCH).toArray();
      if (rows.length === 0) return delivered;
      const entries = rows.map((row) => JSON.parse(row.entry) as TrailEntry);
      await this.env.DB.batch(insertStatements(this.env.DB, entries));
      // The batch is named by its first record's sequence number, so a retried batch overwrites its own file.
      if (this.env.AUDIT_LOGS) await writeLogFiles(this.env.AUDIT_LOGS, entries, `${this.ctx.id.toString()}/${rows[0]!.seq}`);
      this.sql.exec(`DELETE FROM pending WHERE seq <= ?`, rows.at(-1)!.seq);
      delivered += rows.length;
    }
  }
}
