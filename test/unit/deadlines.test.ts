// The read-your-writes bound's deadlines (src/secret-object/deadlines.ts): each passes at its time unless cancelled,
// and waits that end first cost no timer of their own.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Deadlines } from "../../src/secret-object/deadlines";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Whether `promise` settled within `ms`. */
const settles = (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);

afterEach(() => vi.restoreAllMocks());

describe("Deadlines", () => {
  it("a deadline passes once its time is up; a cancelled one never passes", async () => {
    const deadlines = new Deadlines();
    const kept = deadlines.after(20);
    const cancelled = deadlines.after(20);
    cancelled.cancel();
    expect(await settles(kept.passed, 1_000)).toBe(true);
    expect(await settles(cancelled.passed, 100)).toBe(false);
  });

  it("waits that end before their deadline share one timer, and are dropped when it fires", async () => {
    const deadlines = new Deadlines();
    const timers = vi.spyOn(globalThis, "setTimeout");
    // Side by side, as concurrent writes wait: ended ones stay until the timer fires.
    const waits = Array.from({ length: 50 }, () => deadlines.after(30));
    const last = deadlines.after(30);
    for (const wait of waits) wait.cancel();
    expect(timers).toHaveBeenCalledTimes(1);
    expect(deadlines.held).toBe(51);
    await last.passed;
    expect(deadlines.held).toBe(0);
    // One after another, as sequential writes wait: each new wait drops the ended ones ahead of it.
    for (let i = 0; i < 50; i++) deadlines.after(30).cancel();
    expect(deadlines.held).toBe(1);
    expect(timers).toHaveBeenCalledTimes(2);
  });

  it("a sooner deadline moves the timer earlier, and the later one still passes", async () => {
    const deadlines = new Deadlines();
    const late = deadlines.after(5_000);
    const soon = deadlines.after(20);
    expect(await settles(soon.passed, 1_000)).toBe(true);
    expect(await settles(late.passed, 50)).toBe(false);
    expect(deadlines.held).toBe(1);
    late.cancel();
  });
});
