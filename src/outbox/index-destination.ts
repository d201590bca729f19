// D1 as an outbox destination, named "index" for the index it first carried: the secret's index snapshots (or
// deletions, keyed by ARN) and the records of its audit trail, handed to the (account, region)'s D1Writer, which
// writes them with other secrets' in one D1 batch. The index's revision guard and the trail's unique eventID make a
// repeated or stale entry harmless.
import type { TrailEntry } from "../audit/events-db";
import type { IndexRow } from "../domain/secret-fields";
import type { Env } from "../env";
import { type IndexEntry, snapshotState } from "../index-db/secrets-index";
import { type D1Entry, type D1Writer, d1Writer } from "./d1-writer";
import type { Destination } from "./destination";

export { snapshotState };
export type { IndexEntry };

export const INDEX = "index";

/** arn:aws:secretsmanager:<region>:<account>:secret:<name>, or a record's own fields. */
function placeOf(entry: D1Entry): { accountId: string; region: string } {
  if (entry.op === "record") return entry.entry;
  const [, , , region, accountId] = (entry.op === "upsert" ? entry.row.arn : entry.arn).split(":");
  return { accountId: accountId!, region: region! };
}

/**
 * The most one call to the writer carries (as JSON): D1 refuses a bound value over 2,000,000 bytes, and the writer puts
 * the deliveries of many secrets in one batch (d1-writer.ts). A backlog (after a D1 outage) goes in several calls.
 */
const MAX_DELIVERY_BYTES = 256_000;

/** The entries of one object all belong to its (account, region). */
export function d1Destination(name: string, env: () => Env, toEntries: (entries: readonly unknown[]) => D1Entry[]): Destination {
  // The writer's stub, kept while the bindings and the place stay the same: making one hashes its name each time.
  let kept: { env: Env; place: string; writer: DurableObjectStub<D1Writer> } | undefined;
  const writerFor = (entry: D1Entry) => {
    const { accountId, region } = placeOf(entry);
    const current = env();
    const place = `${accountId}/${region}`;
    if (kept?.env !== current || kept.place !== place) kept = { env: current, place, writer: d1Writer(current, accountId, region) };
    return kept.writer;
  };
  return {
    name,
    readYourWrites: true,
    async deliver(stored) {
      const entries = toEntries(stored);
      const first = entries[0];
      if (!first) return;
      const writer = writerFor(first);
      // In order, one call after another: a later snapshot never lands before an earlier one's call has.
      for (const part of parts(entries)) await writer.apply(part.entries, part.bytes);
    },
  };
}

/** Entries in runs of at most MAX_DELIVERY_BYTES (a larger entry alone). */
function parts(entries: readonly D1Entry[]): { entries: D1Entry[]; bytes: number }[] {
  const runs: { entries: D1Entry[]; bytes: number }[] = [];
  let run: { entries: D1Entry[]; bytes: number } | undefined;
  for (const entry of entries) {
    const bytes = JSON.stringify(entry).length;
    if (!run || run.bytes + bytes > MAX_DELIVERY_BYTES) runs.push((run = { entries: [], bytes: 0 }));
    run.entries.push(entry);
    run.bytes += bytes;
  }
  return runs;
}

export const indexDestination = (env: () => Env): Destination => d1Destination(INDEX, env, (entries) => entries as D1Entry[]);

export const upsertEntry = (row: IndexRow, force = false): IndexEntry => (force ? { op: "upsert", row, force } : { op: "upsert", row });
export const deleteEntry = (arn: string): IndexEntry => ({ op: "delete", arn });
export const recordEntry = (entry: TrailEntry): D1Entry => ({ op: "record", entry });
