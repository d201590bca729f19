// Time bounds for many short waits on one timer. A mutation's answer waits for its read-your-writes delivery at most
// a bound (outbox.ts), and nearly always the delivery wins by far; but a timer set and cleared per mutation cost about
// 50 µs of it (with nodejs_compat, setTimeout builds a Node Timeout object). Here a wait that ends first is only
// marked: no timer is touched for it, and the one timer, armed for the earliest live deadline, drops the marked ones
// when it fires, about once per bound.

interface Wait {
  at: number;
  expire: () => void;
  done: boolean;
}

export interface Deadline {
  /** Resolves once the deadline passes; never, after cancel(). */
  readonly passed: Promise<void>;
  cancel(): void;
}

export class Deadlines {
  /** Live and cancelled waits, by deadline (all bounds are alike in practice, so new ones go at the end). */
  private readonly waits: Wait[] = [];
  private timer: { at: number; handle: ReturnType<typeof setTimeout> } | undefined;

  /** A deadline `ms` from now. */
  after(ms: number): Deadline {
    let wait!: Wait;
    const passed = new Promise<void>((resolve) => (wait = { at: Date.now() + ms, expire: resolve, done: false }));
    let i = this.waits.length;
    while (i > 0 && this.waits[i - 1]!.at > wait.at) i--;
    this.waits.splice(i, 0, wait);
    this.arm();
    return { passed, cancel: () => void (wait.done = true) };
  }

  /** How many waits are held, cancelled ones included until the timer drops them (for tests). */
  get held(): number {
    return this.waits.length;
  }

  /** Keeps the timer set for the earliest live deadline: never later, and moved only when a new one comes sooner. */
  private arm(): void {
    while (this.waits[0]?.done) this.waits.shift();
    const first = this.waits[0];
    if (!first || (this.timer && this.timer.at <= first.at)) return;
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = { at: first.at, handle: setTimeout(() => this.fire(), first.at - Date.now()) };
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.waits[0] && (this.waits[0].done || this.waits[0].at <= now)) {
      const wait = this.waits.shift()!;
      if (!wait.done) wait.expire();
    }
    this.arm();
  }
}
