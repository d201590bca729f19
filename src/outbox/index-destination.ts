// The D1 index as an outbox destination: entries are full snapshots (or deletions) keyed by ARN, applied in one D1
// batch whose revision guard makes a repeated or stale entry harmless.
import type { IndexRow } from "../domain/secret-fields";
import { type IndexEntry, applyIndexEntries, snapshotState } from "../index-db/secrets-index";
import type { Destination } from "./destination";

export { snapshotState };
export type { IndexEntry };

export const INDEX = "index";

export function indexDestination(db: () => D1Database): Destination {
  return {
    name: INDEX,
    readYourWrites: true,
    deliver: (entries) => applyIndexEntries(db(), entries as IndexEntry[]),
  };
}

export const upsertEntry = (row: IndexRow, force = false): IndexEntry => (force ? { op: "upsert", row, force } : { op: "upsert", row });
export const deleteEntry = (arn: string): IndexEntry => ({ op: "delete", arn });
