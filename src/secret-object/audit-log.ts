// The object's side of the audit trail: the record of a caller's state change and the service events of version
// deletion, queued in the outbox inside the mutation's own transaction, with its index snapshot for D1
// (outbox/index-destination.ts delivers them), so no acknowledged change is ever without its record.
import type { TrailEntry } from "../audit/events-db";
import { type VersionDeletionEvent, callEntry, recordsInObject, versionEntries } from "../audit/object-records";
import type { PreparedCall, Recorded } from "../audit/prepared-call";
import type { Result } from "../domain/result";
import { INDEX, recordEntry } from "../outbox/index-destination";
import type { Outbox } from "./outbox";
import type { SecretRow, Store } from "./store";

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Queues the record of a successful call and marks its answer (the Worker then appends none). A null answer is
   * a call that changed state but is answered with an error (an unfinished rotation's reattempt): the Worker records it.
   * Call inside the mutation's transaction.
   */
  called<T>(call: PreparedCall | undefined, result: Result<T>): Result<T> & Recorded {
    if (!call || !result.ok || result.value === null || typeof result.value !== "object" || !recordsInObject(call)) return result;
    if (!this.store.written) return result;
    this.outbox.enqueue(INDEX, recordEntry(callEntry(call, result.value)));
    return { ...result, recorded: call.eventId };
  }

  /** One service event per version (e.g. EndSecretVersionDelete of each version a purge removes). Inside a transaction. */
  versions(eventName: VersionDeletionEvent, s: SecretRow, versionIds: readonly string[]): void {
    for (const entry of versionEntries(eventName, s, versionIds)) this.outbox.enqueue(INDEX, recordEntry(entry));
  }

  /** A service event of the object's own (a rotation step). Inside a transaction. */
  service(entry: TrailEntry): void {
    this.outbox.enqueue(INDEX, recordEntry(entry));
  }
}
