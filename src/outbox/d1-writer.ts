// D1's writer: one Durable Object per (account, region), a group commit across that region's secrets. Each secret's
// outbox hands it the entries of its D1 destination (index.ts: index snapshots and the records of the secret's audit
// trail) rather than writing D1 itself. Entries that arrive while a D1 batch is in flight ride the next one, and a
// batch's few statements carry all its rows, so D1 takes one small batch per round trip however many secrets are
// written at once. It keeps nothing: a caller's entries stay in its outbox until apply() answers, and are sent again
// if it fails (the index's revision guard and the trail's unique eventID make a repeat harmless).
import { DurableObject } from "cloudflare:workers";
import { type TrailEntry, insertStatement } from "../audit/events-db";
import { kickLogExport } from "../audit/log-export";
import type { Env } from "../env";
import { type IndexEntry, indexStatements } from "../index-db/secrets-index";

/** A record of the secret's audit trail, delivered with its index snapshot. */
export interface RecordEntry {
  op: "record";
  entry: TrailEntry;
}

export type D1Entry = IndexEntry | RecordEntry;

/** Applies entries to D1 in one batch (one transaction); throws when D1 fails. */
export async function applyD1Entries(db: D1Database, entries: readonly D1Entry[]): Promise<void> {
  const records = entries.flatMap((e) => (e.op === "record" ? [e.entry] : []));
  const index = entries.filter((e): e is IndexEntry => e.op !== "record");
  const statements = [...indexStatements(db, index), ...(records.length > 0 ? [insertStatement(db, JSON.stringify(records))] : [])];
  if (statements.length > 0) await db.batch(statements);
}

/** Callers per batch, and the JSON they bring together (each at most 256 kB: index-destination.ts): D1 refuses a bound
 *  value over 2,000,000 bytes. */
const MAX_CALLERS = 50;
const MAX_BATCH_BYTES = 1_000_000;
/** The longest a batch waits for the callers it expects before it goes with those it has. */
const GATHER_MS = 2;

interface Caller {
  entries: readonly D1Entry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Batch {
  callers: Caller[];
  bytes: number;
}

export class D1Writer extends DurableObject<Env> {
  /** The batch now in D1, or the last one (never rejects). */
  private inFlight: Promise<void> = Promise.resolve();
  /** The callers that will share the next batch. */
  private riding: Batch | undefined;
  /** How many callers the last two batches carried. */
  private sizes: [number, number] = [1, 1];
  /** The batch waiting for the callers it expects, and what lets it go. */
  private gathering: { batch: Batch; go: () => void } | undefined;

  /**
   * Writes a secret's entries (`bytes`: about their size as JSON) to D1 in the next batch; resolves once D1 holds
   * them, rejects if it refused them.
   */
  apply(entries: readonly D1Entry[], bytes = JSON.stringify(entries).length): Promise<void> {
    const full = this.riding && (this.riding.callers.length >= MAX_CALLERS || this.riding.bytes + bytes > MAX_BATCH_BYTES);
    // A full batch waits for no one.
    if (full && this.gathering && this.gathering.batch === this.riding) this.gathering.go();
    if (!this.riding || full) {
      const batch: Batch = (this.riding = { callers: [], bytes: 0 });
      const send = () => {
        if (this.riding === batch) this.riding = undefined;
        this.sizes = [this.sizes[1], batch.callers.length];
        // Never rejects, so the next batch runs; a caller not yet answered gets the error (a settled one ignores it).
        return this.write(batch.callers).catch((error: unknown) => {
          for (const c of batch.callers) c.reject(error);
        });
      };
      this.inFlight = this.inFlight.then(() => this.gather(batch)?.then(send) ?? send());
    }
    const riding = this.riding;
    riding.bytes += bytes;
    const answered = new Promise<void>((resolve, reject) => riding.callers.push({ entries, resolve, reject }));
    if (this.gathering?.batch === riding && riding.callers.length >= this.expected()) this.gathering.go();
    return answered;
  }

  /**
   * A D1 batch costs about the same whatever it carries, so a batch that would go with fewer callers than the last two
   * batches carried on average waits for them, at most GATHER_MS. Writers that keep writing then settle into two
   * alternating batches, one in D1 while the other gathers, instead of many small ones. A lone writer never waits:
   * its batches carried one.
   */
  private gather(batch: Batch): Promise<void> | undefined {
    // A batch that is full (another is filling) goes at once.
    if (batch !== this.riding || batch.callers.length >= this.expected()) return undefined;
    return new Promise((resolve) => {
      const go = () => {
        if (this.gathering?.batch === batch) this.gathering = undefined;
        resolve();
      };
      this.gathering = { batch, go };
      // Not setTimeout: with nodejs_compat that builds a Node Timeout object, and its set and clear cost about 75 µs
      // per write here (bench/results/put-on-disk.md). A wait that outlives its batch's going does nothing.
      void scheduler.wait(GATHER_MS).then(go);
    });
  }

  private expected(): number {
    return Math.ceil((this.sizes[0] + this.sizes[1]) / 2);
  }

  /** Each caller learns its own outcome. */
  private async write(batch: readonly Caller[]): Promise<void> {
    try {
      await applyD1Entries(this.env.DB, batch.flatMap((c) => c.entries));
      for (const c of batch) c.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // Each caller's entries alone, so that entries D1 refuses fail only their own caller. (While D1 is down this
      // costs it one more call per caller; each caller's outbox then backs off.)
      await Promise.all(batch.map((c) => applyD1Entries(this.env.DB, c.entries).then(c.resolve, c.reject)));
    }
    if (batch.some((c) => c.entries.some((e) => e.op === "record"))) await kickLogExport(this.env);
  }
}

/** The writer of (account, region). */
export function d1Writer(env: Env, accountId: string, region: string): DurableObjectStub<D1Writer> {
  return env.D1_WRITER.get(env.D1_WRITER.idFromName(`${accountId}/${region}`));
}
