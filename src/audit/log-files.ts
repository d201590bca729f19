// CloudTrail log files in R2: a batch of records as gzipped JSON {"Records": [...]} under CloudTrail's S3 key
// layout, so tools that ingest CloudTrail from S3 read them through R2's S3 API.
import type { TrailEntry } from "./events-db";

const pad = (n: number) => String(n).padStart(2, "0");

/** AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz */
export function logFileKey(accountId: string, region: string, time: number, id: string): string {
  const d = new Date(time);
  const [y, m, day] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
  const stamp = `${y}${m}${day}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  return `AWSLogs/${accountId}/CloudTrail/${region}/${y}/${m}/${day}/${accountId}_CloudTrail_${region}_${stamp}_${id}.json.gz`;
}

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** What a log file holds of a record. */
export type FiledRecord = Pick<TrailEntry, "accountId" | "region" | "eventTime" | "record">;

/**
 * Writes one file per (account, region) in `entries`. `batchId` names the batch (the same batch retried gets the
 * same keys, so a retry overwrites rather than duplicates); the file id is derived from it.
 */
export async function writeLogFiles(bucket: R2Bucket, entries: readonly FiledRecord[], batchId: string): Promise<string[]> {
  const groups = new Map<string, FiledRecord[]>();
  for (const entry of entries) {
    const group = `${entry.accountId}/${entry.region}`;
    const batch = groups.get(group);
    if (batch) batch.push(entry);
    else groups.set(group, [entry]);
  }
  const keys: string[] = [];
  for (const [group, batch] of groups) {
    const first = batch[0]!;
    const id = await fileId(`${batchId}/${group}`);
    const key = logFileKey(first.accountId, first.region, first.eventTime, id);
    // Each entry's record is already JSON: splice the texts rather than parse and re-serialise them.
    const body = `{"Records":[${batch.map((e) => e.record).join(",")}]}`;
    await bucket.put(key, await gzip(body), { httpMetadata: { contentType: "application/json", contentEncoding: "gzip" } });
    keys.push(key);
  }
  return keys;
}

/** 16 characters of [0-9A-Za-z], as CloudTrail's file ids look, derived from the batch. */
async function fileId(seed: string): Promise<string> {
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed)));
  return [...digest.subarray(0, 16)].map((b) => ALPHABET[b % 62]).join("");
}
