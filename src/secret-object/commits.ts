// The one path of every state change: the change and its caller's audit record in one SQLite transaction, queued
// for the replicas, then the alarm re-armed and the answer held until the outbox has delivered it (bounded: outbox.ts).
import type { Auth } from "../authz/secret";
import type { Result } from "../domain/result";
import type { AuditLog } from "./audit-log";
import type { Outbox } from "./outbox";
import { isReplica } from "./replica";
import type { Replication } from "./replication";
import type { Scheduler } from "./scheduler";
import type { Store } from "./store";

/** What a mutation returns when it must be prepared again (Commits.commit). */
export const STALE = Symbol("stale");

export class Commits {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: Store,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditLog,
    private readonly replication: Replication,
    private readonly scheduler: () => Scheduler,
  ) {}

  /**
   * Runs a mutation in one transaction, with the record of the call that asked for it (`auth`); on success, re-arms
   * the alarm and answers once the index holds the change (bounded). A mutation returns STALE, having written nothing,
   * when the state it was prepared against changed during its awaits.
   */
  async commit<T>(mutation: () => Result<T>, auth?: Auth): Promise<Result<T>>;
  async commit<T>(mutation: () => Result<T> | typeof STALE, auth?: Auth): Promise<Result<T> | typeof STALE>;
  async commit<T>(mutation: () => Result<T> | typeof STALE, auth?: Auth): Promise<Result<T> | typeof STALE> {
    const result = this.storage.transactionSync(() => {
      const m = mutation();
      // A caller's successful change commits with its record (audit-log.ts).
      const r = m === STALE ? m : this.auditLog.called(auth?.audit, m);
      if (r !== STALE && r.ok) this.replicateChange();
      // Delivered outbox entries are deleted by the next commit that writes anyway: no storage write of their own.
      if (r !== STALE && r.ok && this.store.written) this.outbox.compact();
      return r;
    });
    if (result !== STALE && result.ok) await this.settle();
    return result;
  }

  /** A change made outside any caller's request (a rotation step), in one transaction, queued for the replicas. */
  transaction(change: () => void): void {
    this.storage.transactionSync(() => {
      change();
      this.replicateChange();
    });
  }

  /** Every change of a primary is queued for its replicas (replication.ts). Call inside the change's transaction. */
  replicateChange(): void {
    const s = this.store.written ? this.store.secret() : undefined;
    if (s && !isReplica(s)) this.replication.changed(s);
  }

  /** Re-arms the alarm, then waits (bounded) for the outbox to deliver what the change queued. */
  async settle(): Promise<void> {
    this.scheduler().rearm();
    await this.outbox.settle();
  }
}
