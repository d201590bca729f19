// The audit trail's Durable Object: one of a few shards per (account, region), which holds the records of the calls
// that change no secret (a secret's own records go to D1 with its index snapshot: outbox/d1-writer.ts). Appending a
// batch of records to its SQLite is the durable commit (the RPC answers once the write is durable, so the calls it
// records may be answered). Its alarm delivers them to D1 within about a second (LookupEvents), then deletes them;
// the log files are exported from D1 (log-export.ts).
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { type TrailEntry, insertStatement } from "./events-db";
import { kickLogExport } from "./log-export";
import { writeLogFiles } from "./log-files";

/** How long records gather before they are indexed in D1 (LookupEvents indexes at once what it needs). */
export const INDEX_DELAY_MS = 1_000;
/**
 * How long an append waits for others to share its commit. Each commit (and each timer) costs the runtime's one thread
 * more than the records do, so gathering longer than one timer turn pays until the wait starts to bound the caller's
 * throughput: 2 ms measured best (bench/results/audit-cost.md).
 */
const GATHER_MS = 2;
/** Records per D1 delivery, and per log file of the batches an earlier version left (fileEarlierBatches). */
const INDEX_RECORDS = 500;
const EARLIER_FILE_RECORDS = 1_000;
const RETRY_MAX_MS = 60_000;

interface BatchRow extends Record<string, SqlStorageValue> {
  seq: number;
  entries: string;
  count: number;
  created_at: number;
}

interface Gathering {
  parts: string[];
  count: number;
  committed: Promise<void>;
}

export class AuditTrail extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** When the alarm is set for (ms), once known; read from storage once per object start. */
  private alarmAt: number | null | undefined;
  /** Deliveries run one after another, so two never deliver overlapping batches. */
  private delivering: Promise<unknown> = Promise.resolve();
  private failures = 0;
  /** The appends waiting for the next commit. */
  private gathering: Gathering | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // seq: append order, never reused (AUTOINCREMENT).
    this.sql.exec(`CREATE TABLE IF NOT EXISTS batches (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      entries TEXT NOT NULL,            -- JSON array of TrailEntry
      count INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    )`);
    // How far D1 held the batches when an earlier version, which kept them for its own log files, last ran: those are
    // filed and deleted (fileEarlierBatches). Starting at 0 re-indexes what an older layout left; D1 ignores repeats.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS delivered (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL)`);
    this.sql.exec(`INSERT OR IGNORE INTO delivered VALUES (1, 0)`);
    this.sql.exec(`DROP INDEX IF EXISTS batches_by_state`);
    // Left by an earlier version, whose appendOnce took secret objects' deliveries here.
    this.sql.exec(`DROP TABLE IF EXISTS seen_events`);
  }

  /**
   * Appends records (`entries`: the JSON text of a TrailEntry array); durable when this returns. Appends that arrive
   * while one is gathering share its row and its commit: each durable write costs more than many records do.
   */
  append(entries: string, count: number): Promise<void> {
    if (!this.gathering) {
      const batch: Gathering = { parts: [], count: 0, committed: scheduler.wait(GATHER_MS).then(() => this.commit(batch)) };
      this.gathering = batch;
    }
    this.gathering.parts.push(entries.slice(1, -1));
    this.gathering.count += count;
    return this.gathering.committed;
  }

  private async commit(batch: Gathering): Promise<void> {
    this.gathering = undefined;
    await this.insertBatch(`[${batch.parts.join(",")}]`, batch.count, Date.now());
  }

  /** Stores one batch row (synchronously, before any await) and arms the alarm that indexes it. */
  private async insertBatch(entries: string, count: number, now: number): Promise<void> {
    this.sql.exec(`INSERT INTO batches (entries, count, created_at) VALUES (?, ?, ?)`, entries, count, now);
    this.alarmAt ??= await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > now + INDEX_DELAY_MS) await this.arm(now + INDEX_DELAY_MS);
  }

  /** Delivers every record to D1 (LookupEvents calls this first, so a caller finds what it just did). */
  index(): Promise<void> {
    return this.serially(() => this.indexAll());
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    try {
      await this.serially(() => this.indexAll());
      this.failures = 0;
    } catch (error) {
      this.failures++;
      console.error(JSON.stringify({ event: "audit_delivery_failed", failures: this.failures, error: String(error) }));
    }
    if (this.sql.exec(`SELECT 1 FROM batches LIMIT 1`).toArray().length === 0) return;
    await this.arm(Date.now() + Math.min(RETRY_MAX_MS, INDEX_DELAY_MS * 2 ** this.failures));
  }

  /** Records not yet delivered to D1: the operator's view of lag. */
  async pendingCount(): Promise<number> {
    return this.sql.exec(`SELECT IFNULL(sum(count), 0) AS n FROM batches`).one().n as number;
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.delivering.then(work);
    this.delivering = run.catch(() => undefined);
    return run;
  }

  private async arm(at: number): Promise<void> {
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }

  private indexedThrough(): number {
    return this.sql.exec(`SELECT indexed_through FROM delivered`).one().indexed_through as number;
  }

  private async indexAll(): Promise<void> {
    await this.fileEarlierBatches();
    for (;;) {
      const rows = this.take(INDEX_RECORDS);
      if (rows.length === 0) return;
      // The stored texts are JSON arrays: joined without parsing them.
      await insertStatement(this.env.DB, `[${rows.map((r) => r.entries.slice(1, -1)).join(",")}]`).run();
      this.sql.exec(`DELETE FROM batches WHERE seq <= ?`, rows.at(-1)!.seq);
      await kickLogExport(this.env);
    }
  }

  /**
   * Batches an earlier version indexed in D1 and kept for its own log files (D1's export starts after what D1 held
   * then: migrations/0009_audit_export.sql): filed as that version named them, then deleted.
   */
  private async fileEarlierBatches(): Promise<void> {
    const through = this.indexedThrough();
    for (;;) {
      const rows = this.take(EARLIER_FILE_RECORDS, through);
      if (rows.length === 0) return;
      const bucket = this.env.AUDIT_LOGS;
      if (bucket) await writeLogFiles(bucket, rows.flatMap((r) => JSON.parse(r.entries) as TrailEntry[]), `${this.ctx.id.toString()}/${rows[0]!.seq}`);
      this.sql.exec(`DELETE FROM batches WHERE seq <= ?`, rows.at(-1)!.seq);
    }
  }

  /** The oldest batches up to seq `through`, up to about `records` records (at least one). */
  private take(records: number, through = Number.MAX_SAFE_INTEGER): BatchRow[] {
    const rows: BatchRow[] = [];
    let total = 0;
    for (const row of this.sql.exec<BatchRow>(`SELECT seq, entries, count, created_at FROM batches WHERE seq <= ? ORDER BY seq`, through)) {
      if (rows.length > 0 && total + row.count > records) break;
      rows.push(row);
      total += row.count;
    }
    return rows;
  }
}
