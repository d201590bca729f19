// D1 as an outbox destination, named "index" for the index it first carried: the secret's index snapshots (or
// deletions, keyed by ARN) and the records of its audit trail, handed to the (account, region)'s D1Writer, which
// writes them with other secrets' in one D1 batch. The index's revision guard and the trail's unique eventID make a
// repeated or stale entry harmless.
import type { TrailEntry } from "../audit/events-db";
import type { IndexRow } from "../domain/secret-fields";
import type { Env } from "../env";
import { type IndexEntry, snapshotState } from "../index-db/secrets-index";
import { type D1Entry, d1Writer } from "./d1-writer";
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

/** The entries of one object all belong to its (account, region). */
export function d1Destination(name: string, env: () => Env, toEntries: (entries: readonly unknown[]) => D1Entry[]): Destination {
  return {
    name,
    readYourWrites: true,
    async deliver(stored) {
      const entries = toEntries(stored);
      const first = entries[0];
      if (!first) return;
      const { accountId, region } = placeOf(first);
      await d1Writer(env(), accountId, region).apply(entries);
    },
  };
}

export const indexDestination = (env: () => Env): Destination => d1Destination(INDEX, env, (entries) => entries as D1Entry[]);

export const upsertEntry = (row: IndexRow, force = false): IndexEntry => (force ? { op: "upsert", row, force } : { op: "upsert", row });
export const deleteEntry = (arn: string): IndexEntry => ({ op: "delete", arn });
export const recordEntry = (entry: TrailEntry): D1Entry => ({ op: "record", entry });
