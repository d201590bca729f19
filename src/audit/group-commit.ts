// Group commit within one isolate: records that arrive while earlier ones are being made durable wait and go
// together in the next append, so a burst of calls costs one durable write per round trip rather than one per call.
//
// Each append is sent from the context of a request that is waiting for it (the "leader", whose own record is in
// the queue), never from a request that has already answered: Workers cancel I/O of a finished request.

interface Slot<T> {
  item: T;
  done: boolean;
  error?: unknown;
}

export class GroupCommit<T> {
  private readonly queue: Slot<T>[] = [];
  private flights = 0;
  /** Resolved when a flight lands; created by a waiting request, so it is alive when resolved. */
  private landed?: { promise: Promise<void>; resolve: () => void };

  constructor(
    private readonly send: (items: T[]) => Promise<void>,
    private readonly maxFlights: number,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once `item` is durable; rejects with the error of the append that carried it. */
  async add(item: T): Promise<void> {
    const slot: Slot<T> = { item, done: false };
    this.queue.push(slot);
    while (!slot.done) {
      // Its slot may already be on its way in another request's flight: then it only waits for a landing.
      if (this.flights < this.maxFlights && this.queue.length > 0) await this.fly();
      else await this.nextLanding();
    }
    if (slot.error !== undefined) throw slot.error;
  }

  /** Whether nothing waits or flies (the owner may forget this instance). */
  get idle(): boolean {
    return this.queue.length === 0 && this.flights === 0;
  }

  private async fly(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.flights++;
    try {
      await this.send(batch.map((slot) => slot.item));
      for (const slot of batch) slot.done = true;
    } catch (error) {
      for (const slot of batch) Object.assign(slot, { done: true, error: error ?? new Error("append failed") });
    } finally {
      this.flights--;
      const landed = this.landed;
      this.landed = undefined;
      landed?.resolve();
    }
  }

  private nextLanding(): Promise<void> {
    if (!this.landed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.landed = { promise, resolve };
    }
    return this.landed.promise;
  }
}
