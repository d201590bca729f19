// The object's side of the D1 index: snapshots queued in the outbox (committed with each mutation), drained to
// D1 in order, retried from the alarm with backoff. The alarm derives from rows: the deletion deadline, or the
// next drain while the outbox is not empty.
//
// Drains are coalesced: a change after a quiet spell is sent at once, but changes within COALESCE_MS of the last
// drain wait for the alarm at the window's end and go as one D1 write (each entry is a full snapshot, so only the
// newest matters). A hot secret thus costs D1 at most one write per window, however often it changes; ListSecrets
// is eventually consistent, as on AWS.
import { type IndexEntry, type IndexRow, applyIndexEntries, snapshotState } from "../index-db/secrets-index";
import type { SecretRow, Store } from "./store";
import { indexRow } from "./views";

const COALESCE_MS = 500;
const RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

/** What repair found: the row agreed, updates were still queued (now re-applied), or the row was repaired. */
export type IndexRepair = "in-sync" | "pending" | "repaired";

export class IndexOutbox {
  private draining: Promise<void> | undefined;
  private lastDrainAt = 0;
  /** When this instance last armed the alarm (undefined: unknown, or already fired). Saves re-arming per commit. */
  private armedAt: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly storage: DurableObjectStorage,
    private readonly db: () => D1Database,
  ) {}

  /** The index row of the secret as it stands: a full snapshot. */
  snapshot(s: SecretRow): IndexRow {
    return indexRow(s, this.store.stages(), this.store.tags());
  }

  /** Queues the secret's current snapshot. Call inside the mutation's transaction. */
  enqueueSnapshot(): void {
    const s = this.store.secret();
    if (s) this.store.enqueue({ op: "upsert", row: this.snapshot(s) } satisfies IndexEntry);
  }

  enqueue(entry: IndexEntry): void {
    this.store.enqueue(entry);
  }

  pending(): number {
    return this.store.outboxSize();
  }

  /** After a commit: make sure an alarm will drain the outbox (the output gate holds the response until it is
   *  stored, so an eviction cannot strand the outbox), then drain now unless a drain ran within the window. */
  afterCommit(): void {
    const now = Date.now();
    const windowEnd = this.lastDrainAt + COALESCE_MS;
    if (this.draining || now < windowEnd) {
      this.armBy(windowEnd);
      return;
    }
    this.armBy(now + RETRY_MS);
    void this.flush();
  }

  /** The alarm fired: whatever it was armed for is spent. */
  alarmFired(): void {
    this.armedAt = undefined;
  }

  /** On construction: an outbox left non-empty (an update that never reached D1) gets an alarm if it has none. */
  async recover(): Promise<void> {
    if (this.pending() > 0 && (await this.storage.getAlarm()) === null) this.armBy(Date.now());
  }

  private armBy(at: number): void {
    if (this.armedAt !== undefined && this.armedAt <= at) return;
    this.armedAt = at;
    void this.storage.setAlarm(at);
  }

  flush(): Promise<void> {
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /**
   * The cron sweeper's check of one index row (its ARN and snapshotState) against the object, the truth:
   * re-applies index updates still queued, else re-sends the current snapshot (forced past the revision guard)
   * when the row disagrees with it, or removes the row when it is not the object's current incarnation.
   */
  async repair(indexed: { arn: string; state: string }): Promise<IndexRepair> {
    if (this.pending() > 0) {
      await this.flush();
      return "pending";
    }
    const s = this.store.secret();
    const current = s?.arn === indexed.arn ? s : undefined;
    if (current && snapshotState(this.snapshot(current)) === indexed.state) return "in-sync";
    this.storage.transactionSync(() => {
      if (current) this.enqueue({ op: "upsert", row: this.snapshot(current), force: true });
      else this.enqueue({ op: "delete", arn: indexed.arn });
    });
    this.afterCommit();
    await this.flush();
    return "repaired";
  }

  private async drain(): Promise<void> {
    this.lastDrainAt = Date.now();
    for (;;) {
      const pending = this.store.outbox();
      const last = pending.at(-1);
      if (!last) break;
      try {
        await applyIndexEntries(this.db(), pending.map((p) => p.entry as IndexEntry));
        this.store.dequeueThrough(last.seq);
      } catch (error) {
        this.store.recordAttempt();
        console.warn(JSON.stringify({ event: "index_update_failed", pending: pending.length, error: String(error) }));
        break;
      }
    }
    await this.rearm();
  }

  private async rearm(): Promise<void> {
    const deletionAt = this.store.secret()?.deletionAt ?? Infinity;
    const pending = this.store.outbox()[0];
    // A failed entry backs off; one queued during the drain's last write waits for the window's end.
    const drainAt = !pending
      ? Infinity
      : pending.attempts > 0
        ? Date.now() + Math.min(RETRY_MS * 2 ** (pending.attempts - 1), MAX_RETRY_MS)
        : this.lastDrainAt + COALESCE_MS;
    const next = Math.min(deletionAt, drainAt);
    this.armedAt = next === Infinity ? undefined : next;
    if (next === Infinity) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(next);
  }
}
