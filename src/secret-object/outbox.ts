// The object's outbox: entries committed with each mutation, one row per destination (outbox/destination.ts), each
// delivered in order with its own attempts and next try. Deliveries are group commits: a mutation that commits while
// a delivery to the same destination is in flight rides the next one, so a hot secret costs a destination one
// write per round trip, not one per request. Delivered entries are deleted by the next commit (or the alarm) rather
// than by a storage write of their own: re-delivering one after a restart is harmless (the index's revision guard, the
// trail's unique eventID).
import type { DeliveryOutcome, Metrics } from "../observability/metrics";
import type { Destination, DestinationFamily } from "../outbox/destination";
import { INDEX } from "../outbox/index-destination";
import { Deadlines } from "./deadlines";
import type { Duty } from "./scheduler";
import type { Store } from "./store";

/** How long a mutation's answer waits for its read-your-writes deliveries (the D1 index) before it is answered anyway. */
export const READ_YOUR_WRITES_WAIT_MS = 2_000;
/** The alarm's first retry of an entry not delivered inline, and the backoff after failures (doubling, capped). */
export const RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

/** A mutation waiting for its read-your-writes delivery to one destination. */
interface Wait {
  name: string;
  delivery: Promise<void>;
  /** The seq of this mutation's last entry for the destination: reached once delivery got that far. */
  upTo: number;
  waitMs: number;
}

export class Outbox {
  /** Per destination: the last seq known delivered but not yet deleted. */
  private readonly delivered = new Map<string, number>();
  /** Per destination: the highest seq queued and the highest delivered by this instance (never cleared). */
  private readonly queued = new Map<string, number>();
  /** Family destinations queued since the last settle(): delivered at once; older ones wait for their next try. */
  private readonly fresh = new Set<string>();
  private readonly reached = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly riding = new Map<string, Promise<void>>();
  private readonly destinations: ReadonlyMap<string, Destination>;
  /** Destinations of the families, made on first use. */
  private readonly made = new Map<string, Destination>();
  /** Mutations answered before their read-your-writes deliveries completed (D1 failing or slow). */
  lagged = 0;
  /** The bounds of the read-your-writes waits. */
  private readonly deadlines = new Deadlines();

  constructor(
    private readonly store: Store,
    destinations: readonly Destination[],
    /** Called after a delivery failure moved a next try (the scheduler re-arms). */
    private readonly rescheduled: () => void,
    /** Destinations named at run time (replica regions): each one delivered on its own, never behind another. */
    private readonly families: readonly DestinationFamily[],
    /** Where each delivery is counted (read at use: the binding may change on a live object). */
    private readonly metrics: () => Metrics,
  ) {
    this.destinations = new Map(destinations.map((d) => [d.name, d]));
  }

  private destination(name: string): Destination | undefined {
    const fixed = this.destinations.get(name) ?? this.made.get(name);
    if (fixed) return fixed;
    const family = this.families.find((f) => name.startsWith(f.prefix));
    if (!family) return undefined;
    const made = family.make(name);
    this.made.set(name, made);
    return made;
  }

  /** Queues an entry for a destination. Call inside the mutation's transaction. */
  enqueue(destination: string, entry: unknown): void {
    const now = Date.now();
    this.queued.set(destination, this.store.enqueue(destination, entry, now, now + RETRY_MS));
    if (!this.destinations.has(destination)) this.fresh.add(destination);
  }

  /** Deletes entries already delivered. Call inside a transaction (it rides that commit). */
  compact(): void {
    for (const [name, seq] of this.delivered) this.store.dequeueThrough(name, seq);
    this.delivered.clear();
  }

  /** Entries not yet delivered, per destination. */
  pending(name: string): number {
    return this.store.outboxHead(name, this.delivered.get(name) ?? 0)?.count ?? 0;
  }

  /** One duty per destination: due at its entries' earliest next try; delivers them. */
  duties(): Duty[] {
    const fixed = [...this.destinations.keys()].map((name) => ({
      name: `outbox:${name}`,
      dueAt: () => this.store.outboxHead(name, 0)?.nextAt,
      run: async () => {
        await this.deliver(name);
        this.compact();
      },
    }));
    // One duty per family; its destinations are delivered side by side, each only when its own next try is due.
    const families = this.families.map((f) => ({
      name: `outbox:${f.prefix}*`,
      dueAt: () => this.store.outboxNames(f.prefix).reduce<number | undefined>((min, d) => (min === undefined || d.nextAt < min ? d.nextAt : min), undefined),
      run: async () => {
        // The duty runs when its earliest destination is due (an alarm may fire a little early: that one counts).
        const names = this.store.outboxNames(f.prefix);
        const now = Math.max(Date.now(), Math.min(...names.map((d) => d.nextAt)));
        const due = names.filter((d) => d.nextAt <= now);
        await Promise.all(due.map((d) => this.deliver(d.name)));
        this.compact();
      },
    }));
    return [...fixed, ...families];
  }

  /**
   * After a commit: delivers to every destination, waiting (at most their waitMs) for those that promise
   * read-your-writes. A write answered before its index entry landed is logged and counted; the alarm retries it.
   */
  async settle(): Promise<void> {
    const waits: Wait[] = [];
    for (const d of this.destinations.values()) {
      const upTo = this.queued.get(d.name) ?? 0;
      const delivery = this.deliver(d.name);
      if (d.readYourWrites) waits.push({ name: d.name, delivery, upTo, waitMs: d.waitMs ?? READ_YOUR_WRITES_WAIT_MS });
    }
    // Family destinations just queued: delivered now, not waited for (the alarm retries failures, with backoff).
    for (const name of this.fresh) void this.deliver(name);
    this.fresh.clear();
    await this.within(waits, Date.now());
  }

  /** Delivers what is queued for a destination; a call while a delivery is in flight rides the next one. */
  deliver(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) {
      const started = this.drain(name).finally(() => this.running.delete(name));
      this.running.set(name, started);
      return started;
    }
    let next = this.riding.get(name);
    if (!next) {
      next = running.then(() => {
        this.riding.delete(name);
        return this.deliver(name);
      });
      this.riding.set(name, next);
    }
    return next;
  }

  /** Delivers entries that need no storing (nothing to retry from here: the caller repeats on failure). */
  sendDirect(name: string, entries: readonly unknown[]): Promise<void> {
    return this.destination(name)!.deliver(entries);
  }

  /**
   * Waits for each delivery up to its destination's waitMs (from `started`), then logs and counts those that lag.
   * One deadline serves every wait that ends within the shortest bound, the usual case (deadlines.ts).
   */
  private async within(waits: readonly Wait[], started: number): Promise<void> {
    if (waits.length === 0) return;
    const bound = Math.min(...waits.map((w) => w.waitMs));
    const deadline = this.deadlines.after(started + bound - Date.now());
    await Promise.race([Promise.all(waits.map((w) => w.delivery)), deadline.passed]);
    deadline.cancel();
    const late = waits.filter((w) => (this.reached.get(w.name) ?? 0) < w.upTo);
    for (const w of late) if (w.waitMs <= bound) this.lag(w);
    await this.within(late.filter((w) => w.waitMs > bound), started);
  }

  /** Logs and counts a mutation answered before its entries up to `upTo` reached the destination. */
  private lag({ name, upTo }: Wait): void {
    const head = this.store.outboxHead(name, this.delivered.get(name) ?? 0, upTo);
    if (!head) return;
    this.lagged++;
    console.warn(JSON.stringify({ event: "outbox_lag", destination: name, pending: head.count, lagMs: Date.now() - head.createdAt, lagged: this.lagged }));
  }

  private async drain(name: string): Promise<void> {
    const destination = this.destination(name);
    if (!destination) return;
    const pending = this.store.outbox(name, this.delivered.get(name) ?? 0);
    const last = pending.at(-1);
    if (!last) return;
    try {
      await destination.deliver(pending.map((p) => p.entry));
      this.delivered.set(name, Math.max(last.seq, this.delivered.get(name) ?? 0));
      this.reached.set(name, Math.max(last.seq, this.reached.get(name) ?? 0));
      this.count(name, pending.length, pending[0]!.createdAt, "delivered");
    } catch (error) {
      const attempts = pending[0]!.attempts + 1;
      const now = Date.now();
      this.store.recordAttempt(name, now + Math.min(RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS));
      console.warn(JSON.stringify({
        event: "outbox_delivery_failed", destination: name, pending: pending.length, attempts,
        lagMs: now - pending[0]!.createdAt, error: String(error),
      }));
      this.count(name, pending.length, pending[0]!.createdAt, "failed");
      this.rescheduled();
    }
  }

  /** A delivery's counters: the entries it carried and, for the index, how long its oldest entry waited. */
  private count(name: string, entries: number, oldest: number, outcome: DeliveryOutcome): void {
    const m = this.metrics();
    m.outboxDepth(name, entries, outcome);
    if (name === INDEX) m.indexLag(Date.now() - oldest, outcome);
  }
}
