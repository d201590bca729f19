// GroupCommit (src/audit/group-commit.ts): concurrent records share appends, in order, bounded in flights and batch
// size; a failed append fails every record it carried and no other.
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/audit/group-commit";

/** An append that takes a few milliseconds, recording each batch it was given. */
function slowSend(batches: number[][], failWhen: (batch: number[]) => boolean = () => false) {
  let flying = 0;
  let maxFlying = 0;
  const send = async (items: number[]) => {
    flying++;
    maxFlying = Math.max(maxFlying, flying);
    await new Promise((r) => setTimeout(r, 5));
    flying--;
    batches.push(items);
    if (failWhen(items)) throw new Error("disk full");
  };
  return { send, maxFlying: () => maxFlying };
}

describe("GroupCommit", () => {
  it("makes a burst durable in a few appends, every record exactly once, at most maxFlights at a time", async () => {
    const batches: number[][] = [];
    const { send, maxFlying } = slowSend(batches);
    const commit = new GroupCommit(send, 2, 10);
    await Promise.all(Array.from({ length: 50 }, (_, i) => commit.add(i)));
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(batches.length).toBeLessThan(15);
    expect(batches.every((b) => b.length <= 10)).toBe(true);
    expect(maxFlying()).toBeLessThanOrEqual(2);
    expect(commit.idle).toBe(true);
  });

  it("rejects exactly the records of a failed append", async () => {
    const batches: number[][] = [];
    const { send } = slowSend(batches, (batch) => batch.includes(0));
    const commit = new GroupCommit(send, 1, 100);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => commit.add(i)));
    const failedBatch = batches.find((b) => b.includes(0))!;
    results.forEach((result, i) => expect(result.status, String(i)).toBe(failedBatch.includes(i) ? "rejected" : "fulfilled"));
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
  });

  it("a lone record goes at once", async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit(slowSend(batches).send, 4, 100);
    await commit.add(7);
    expect(batches).toEqual([[7]]);
  });
});
