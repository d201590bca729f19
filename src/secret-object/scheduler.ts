// The object's one alarm, shared by every timed duty (the deletion deadline, each outbox destination's next try;
// rotation due times and step retries, replica deliveries next). The time it should fire is a pure function of
// stored rows: the earliest due time any duty reads from them. alarm() runs every duty that is due, each on its own:
// one that throws is logged and retried with backoff, and never keeps the others from running.

/** A timed duty: when it is next due (read from stored rows; undefined = nothing to do), and what it does then. */
export interface Duty {
  readonly name: string;
  dueAt(): number | undefined;
  run(): Promise<void>;
}

const FAILED_RETRY_MS = 5_000;
const MAX_FAILED_RETRY_MS = 300_000;

/** When the alarm should fire: the earliest of the duties' due times (undefined: none is pending). */
export function nextAlarmAt(dueTimes: readonly (number | undefined)[]): number | undefined {
  let next: number | undefined;
  for (const at of dueTimes) if (at !== undefined && (next === undefined || at < next)) next = at;
  return next;
}

export class Scheduler {
  /** The alarm this instance knows is set (undefined: none, or unknown). It is never later than nextAlarmAt. */
  private armedAt: number | undefined;
  /** Consecutive failures per duty, for its backoff (in memory: after a restart a failed duty is retried at once). */
  private readonly failures = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly duties: readonly Duty[],
  ) {}

  /** On start: an alarm lost or never set for work already stored is set (alarms survive eviction and restart). */
  async start(): Promise<void> {
    const current = await this.storage.getAlarm();
    this.armedAt = current ?? undefined;
    this.rearm();
  }

  /**
   * After a commit: the alarm is moved earlier when a duty became due sooner. It is never moved later here: an alarm
   * that fires early finds nothing due and re-arms, which costs less than a storage write on every commit.
   */
  rearm(): void {
    const wanted = this.wanted();
    if (wanted === undefined || (this.armedAt !== undefined && this.armedAt <= wanted)) return;
    this.armedAt = wanted;
    void this.storage.setAlarm(wanted);
  }

  /** Runs every due duty, each isolated from the others' failures, then arms the alarm for what remains. */
  async runDue(fired: boolean): Promise<void> {
    // An alarm runs what it was armed for, also when it fires early (the runtime's retry, a test's forced run).
    const now = Math.max(Date.now(), fired ? (this.armedAt ?? 0) : 0);
    if (fired) this.armedAt = undefined;
    for (const duty of this.duties) {
      const at = this.dueAt(duty);
      if (at === undefined || at > now) continue;
      try {
        await duty.run();
        this.failures.delete(duty.name);
      } catch (error) {
        const failures = (this.failures.get(duty.name)?.count ?? 0) + 1;
        this.failures.set(duty.name, { count: failures, at: Date.now() });
        console.error(JSON.stringify({ event: "duty_failed", duty: duty.name, failures, error: String(error) }));
      }
    }
    // Off the hot path the alarm is set exactly: at what remains due, or none.
    const wanted = this.wanted();
    if (wanted === this.armedAt) return;
    this.armedAt = wanted;
    if (wanted === undefined) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(wanted);
  }

  private wanted(): number | undefined {
    return nextAlarmAt(this.duties.map((d) => this.dueAt(d)));
  }

  /** A duty's due time, held back after failures so a throwing duty cannot spin the alarm. */
  private dueAt(duty: Duty): number | undefined {
    const at = duty.dueAt();
    const failed = this.failures.get(duty.name);
    if (at === undefined || !failed) return at;
    return Math.max(at, failed.at + Math.min(FAILED_RETRY_MS * 2 ** (failed.count - 1), MAX_FAILED_RETRY_MS));
  }
}
