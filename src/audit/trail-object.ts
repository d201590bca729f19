// The audit trail's Durable Object: one of a few shards per (account, region). Appending a batch of records to its
// SQLite is the durable commit (the RPC answers once the write is durable, so the calls it records may be
// answered). Its alarm delivers them: to D1 within about a second (LookupEvents), and, when the AUDIT_LOGS bucket
// is bound, to an R2 log file once a minute or every LOG_FILE_RECORDS records, after which they are deleted.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { insertStatements, type TrailEntry } from "./events-db";
import { writeLogFiles } from "./log-files";

/** How long records gather before they are indexed in D1 (LookupEvents indexes at once what it needs). */
export const INDEX_DELAY_MS = 1_000;
/**
 * How long an append waits for others to share its commit. Each commit (and each timer) costs the runtime's one thread
 * more than the records do, so gathering longer than one timer turn pays until the wait starts to bound the caller's
 * throughput: 2 ms measured best (bench/results/audit-cost.md).
 */
const GATHER_MS = 2;
/** Records per D1 delivery. */
const INDEX_RECORDS = 500;
/** How long indexed records wait to be gathered into one log file, and the most one file holds. */
export const LOG_FILE_INTERVAL_MS = 60_000;
const LOG_FILE_RECORDS = 1_000;
const RETRY_MAX_MS = 60_000;
/** How long appendOnce remembers an eventID: far longer than an object's outbox takes to re-deliver an entry. */
export const SEEN_EVENTS_MS = 7 * 86_400_000;

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
    // seq: append order, never reused (AUTOINCREMENT), so it names a log file stably across retries.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS batches (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      entries TEXT NOT NULL,            -- JSON array of TrailEntry
      count INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    )`);
    // How far D1 holds the batches (those at or below wait for their log file): one small row rewritten per delivery,
    // rather than a flag on every batch. Starting at 0 re-indexes what an older layout left; D1 ignores repeats.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS delivered (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL)`);
    this.sql.exec(`INSERT OR IGNORE INTO delivered VALUES (1, 0)`);
    this.sql.exec(`DROP INDEX IF EXISTS batches_by_state`);
    // The eventIDs appendOnce took (secret objects' outbox deliveries, which may repeat).
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID`);
    this.sql.exec(`CREATE INDEX IF NOT EXISTS seen_events_by_age ON seen_events (at)`);
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

  /**
   * Appends the entries whose eventID this shard has not taken before, in one commit with their eventIDs: a secret
   * object's delivery repeated after a lost answer or a restart adds nothing. Durable when this returns.
   */
  async appendOnce(entries: readonly TrailEntry[]): Promise<void> {
    const now = Date.now();
    const fresh = entries.filter(
      (e) => this.sql.exec(`INSERT OR IGNORE INTO seen_events (event_id, at) VALUES (?, ?)`, e.eventId, now).rowsWritten > 0,
    );
    this.sql.exec(`DELETE FROM seen_events WHERE at < ?`, now - SEEN_EVENTS_MS);
    if (fresh.length === 0) return;
    // Its own row, written before any await (so with the eventIDs, atomically), not one gathering with append()'s.
    await this.insertBatch(JSON.stringify(fresh), fresh.length, now);
  }

  /** Delivers every record to D1 (LookupEvents calls this first, so a caller finds what it just did). */
  index(): Promise<void> {
    return this.serially(() => this.indexAll());
  }

  /** Delivers everything: to D1, and to R2 log files now rather than at the next file's time. */
  flush(): Promise<void> {
    return this.serially(async () => {
      await this.indexAll();
      await this.writeFiles(true);
    });
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    try {
      await this.serially(async () => {
        await this.indexAll();
        await this.writeFiles(false);
      });
      this.failures = 0;
    } catch (error) {
      this.failures++;
      console.error(JSON.stringify({ event: "audit_delivery_failed", failures: this.failures, error: String(error) }));
    }
    const oldest = this.sql.exec(`SELECT created_at FROM batches ORDER BY seq LIMIT 1`).toArray()[0]?.created_at as number | undefined;
    if (oldest === undefined) return;
    const unindexed = this.sql.exec(`SELECT 1 FROM batches WHERE seq > ? LIMIT 1`, this.indexedThrough()).toArray().length > 0;
    const retry = Date.now() + Math.min(RETRY_MAX_MS, INDEX_DELAY_MS * 2 ** this.failures);
    await this.arm(this.failures > 0 || unindexed ? retry : oldest + LOG_FILE_INTERVAL_MS);
  }

  /** Records not yet deleted (waiting for D1 or for their log file): the operator's view of lag. */
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
    for (;;) {
      const rows = this.take(`seq > ?`, this.indexedThrough(), INDEX_RECORDS);
      if (rows.length === 0) return;
      // The stored texts are JSON arrays: joined without parsing them.
      await this.env.DB.batch(insertStatements(this.env.DB, `[${rows.map((r) => r.entries.slice(1, -1)).join(",")}]`));
      const last = rows.at(-1)!.seq;
      this.sql.exec(`UPDATE delivered SET indexed_through = ?`, last);
      if (!this.env.AUDIT_LOGS) this.sql.exec(`DELETE FROM batches WHERE seq <= ?`, last);
    }
  }

  /** Writes the indexed records to log files once the oldest has waited its interval (or `now`), then deletes them. */
  private async writeFiles(now: boolean): Promise<void> {
    if (!this.env.AUDIT_LOGS) return;
    for (;;) {
      const through = this.indexedThrough();
      const waiting = this.sql.exec(`SELECT min(created_at) AS oldest, IFNULL(sum(count), 0) AS n FROM batches WHERE seq <= ?`, through).one();
      if (waiting.oldest === null) return;
      if (!now && (waiting.n as number) < LOG_FILE_RECORDS && (waiting.oldest as number) + LOG_FILE_INTERVAL_MS > Date.now()) return;
      const rows = this.take(`seq <= ?`, through, LOG_FILE_RECORDS);
      const entries = rows.flatMap((r) => JSON.parse(r.entries) as TrailEntry[]);
      // Named by the first batch's sequence number, so a retried file overwrites itself rather than doubling.
      await writeLogFiles(this.env.AUDIT_LOGS, entries, `${this.ctx.id.toString()}/${rows[0]!.seq}`);
      this.sql.exec(`DELETE FROM batches WHERE seq <= ?`, rows.at(-1)!.seq);
    }
  }

  /** Batches matching `where` (with its bound `seq`) in append order, up to about `records` records (at least one). */
  private take(where: string, seq: number, records: number): BatchRow[] {
    const rows: BatchRow[] = [];
    let total = 0;
    for (const row of this.sql.exec<BatchRow>(`SELECT seq, entries, count, created_at FROM batches WHERE ${where} ORDER BY seq`, seq)) {
      if (rows.length > 0 && total + row.count > records) break;
      rows.push(row);
      total += row.count;
    }
    return rows;
  }
}
