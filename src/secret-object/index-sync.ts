// The object's side of the D1 index: the snapshot of the secret as the index holds it, queued in the outbox with
// each mutation (secret-object/outbox.ts delivers it), and the cron sweeper's repair of one index row.
import { type IndexRow, indexRowOf } from "../domain/secret-fields";
import { labelsByVersion } from "../domain/stages";
import { INDEX, deleteEntry, snapshotState, upsertEntry } from "../outbox/index-destination";
import type { Outbox } from "./outbox";
import type { SecretRow, Store } from "./store";

/** What repair found: the row agreed, updates were still queued (now re-applied), or the row was repaired. */
export type IndexRepair = "in-sync" | "pending" | "repaired";

export class IndexSync {
  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
    private readonly storage: DurableObjectStorage,
    /** Called after a commit outside the object's mutations (a LastAccessedDate, a repair): re-arm and deliver. */
    readonly afterCommit: () => Promise<void>,
  ) {}

  /** The index row of the secret as it stands: a full snapshot. */
  snapshot(s: SecretRow): IndexRow {
    return indexRowOf(s, this.store.tags(), Object.fromEntries(labelsByVersion(this.store.stages())));
  }

  /** Queues the secret's current snapshot. Call inside the mutation's transaction. */
  enqueueSnapshot(): void {
    const s = this.store.secret();
    if (s) this.outbox.enqueue(INDEX, upsertEntry(this.snapshot(s)));
  }

  /** Queues the removal of an incarnation's row. Call inside the mutation's transaction. */
  enqueueDelete(arn: string): void {
    this.outbox.enqueue(INDEX, deleteEntry(arn));
  }

  pending(): number {
    return this.outbox.pending(INDEX);
  }

  /**
   * The cron sweeper's check of one index row (its ARN and snapshotState) against the object, the truth:
   * re-applies index updates still queued, else re-sends the current snapshot (forced past the revision guard)
   * when the row disagrees with it, or removes the row when it is not the object's current incarnation.
   */
  async repair(indexed: { arn: string; state: string }): Promise<IndexRepair> {
    if (this.pending() > 0) {
      await this.outbox.deliver(INDEX);
      return "pending";
    }
    const s = this.store.secret();
    const current = s?.arn === indexed.arn ? s : undefined;
    if (current && snapshotState(this.snapshot(current)) === indexed.state) return "in-sync";
    // A row naming an object that never held a secret: removed directly, so that storage stays empty.
    if (!this.store.written) {
      await this.outbox.sendDirect(INDEX, [deleteEntry(indexed.arn)]);
      return "repaired";
    }
    this.storage.transactionSync(() => {
      if (current) this.outbox.enqueue(INDEX, upsertEntry(this.snapshot(current), true));
      else this.enqueueDelete(indexed.arn);
    });
    await this.afterCommit();
    return "repaired";
  }
}
