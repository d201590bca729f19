// Where an object's outbox entries go. Each destination (D1: the index and the audit trail; each replica region)
// has its own entries, attempts and next try in the object's outbox, so a failing destination never holds up
// another. Adding one is this interface implemented once and listed in SecretObject's destinations.

export interface Destination {
  /** Stored with each entry; never renamed once entries may be queued under it. */
  readonly name: string;
  /**
   * Whether a mutation's answer waits (up to the bound in secret-object/outbox.ts) until its entries are delivered:
   * read-your-writes for the index. Others are delivered right after the answer.
   */
  readonly readYourWrites: boolean;
  /** How long a mutation's answer waits for that delivery (default READ_YOUR_WRITES_WAIT_MS in secret-object/outbox.ts). */
  readonly waitMs?: number;
  /** Delivers entries in order, all or none; throws when the destination fails (the outbox retries with backoff). */
  deliver(entries: readonly unknown[]): Promise<void>;
}

/**
 * Destinations known only at run time, all named `<prefix><key>` (one per replica region: `replica:eu-west-1`). Each
 * is still a destination of its own in the outbox (own entries, attempts, next try); the family only makes them.
 */
export interface DestinationFamily {
  readonly prefix: string;
  make(name: string): Destination;
}
