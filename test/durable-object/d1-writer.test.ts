// D1's writer: the deliveries of several secrets that arrive together share one D1 batch of a few statements; entries
// D1 refuses fail only their own caller; a secret's audit records go in with its index rows, once however often they
// are delivered. And the export of D1's records to the R2 log files, each record in one file across retries.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TrailEntry } from "../../src/audit/events-db";
import { logExport } from "../../src/audit/log-export";
import type { IndexRow } from "../../src/index-db/secrets-index";
import { type D1Entry, type D1Writer, d1Writer } from "../../src/outbox/d1-writer";
import { indexDestination } from "../../src/outbox/index-destination";
import { isolatedRegion, readIndexRow, uniqueName } from "../support/fixtures";

const ACCOUNT = "111122223333";

const row = (region: string, name: string, tags: { Key: string; Value: string }[] = []): IndexRow => ({
  arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-Ab12Cd`, accountId: ACCOUNT, region, name, description: `about ${name}`,
  kmsKeyId: null, type: null, createdAt: 1_000, lastChangedAt: 2_000, lastAccessedAt: null, deletedAt: null, deletionAt: null,
  tags, versionsToStages: { v1: ["AWSCURRENT"] }, revision: 1,
});

const record = (region: string, eventId: string): TrailEntry => ({
  accountId: ACCOUNT, region, eventTime: Date.now(), eventId, eventName: "PutSecretValue", eventSource: "secretsmanager.amazonaws.com",
  readOnly: false, resources: [], record: JSON.stringify({ eventID: eventId, eventName: "PutSecretValue" }),
});

/** Runs `test` in the writer of (ACCOUNT, region) with its D1 binding counting batches. */
async function inWriter<T>(region: string, test: (writer: D1Writer, batches: () => number) => Promise<T>): Promise<T> {
  return runInDurableObject(d1Writer(env, ACCOUNT, region), async (writer: D1Writer) => {
    const self = writer as unknown as { env: Cloudflare.Env };
    const real = self.env;
    let batches = 0;
    const counting = { prepare: (q: string) => real.DB.prepare(q), batch: (s: D1PreparedStatement[]) => (batches++, real.DB.batch(s)) };
    self.env = { ...real, DB: counting as unknown as D1Database };
    try {
      return await test(writer, () => batches);
    } finally {
      self.env = real;
    }
  });
}

async function eventCount(region: string, eventId: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE region = ? AND event_id = ?").bind(region, eventId).first<number>("n"))!;
}

describe("D1Writer", () => {
  it("the deliveries of several secrets that arrive together share one D1 batch, and each answers once D1 holds its rows", async () => {
    const region = isolatedRegion();
    const rows = Array.from({ length: 12 }, (_, i) => row(region, uniqueName(`writer-${i}`), [{ Key: "team", Value: `t${i}` }]));
    await inWriter(region, async (writer, batches) => {
      await Promise.all(rows.map((r) => writer.apply([{ op: "upsert", row: r }, { op: "record", entry: record(region, `ev-${r.name}`) }])));
      expect(batches()).toBe(1);
    });
    for (const r of rows) {
      expect(await readIndexRow(r.arn)).toMatchObject({ name: r.name, description: r.description, revision: 1 });
      expect(await eventCount(region, `ev-${r.name}`)).toBe(1);
    }
    const tags = await env.DB.prepare("SELECT count(*) AS n FROM secret_tags WHERE region = ?").bind(region).first<number>("n");
    expect(tags).toBe(rows.length);
  });

  it("a delivery that arrives while a batch is in D1 rides the next one (a lone writer's batch goes at once)", async () => {
    const region = isolatedRegion();
    const [a, b, c] = [row(region, uniqueName("first")), row(region, uniqueName("second")), row(region, uniqueName("third"))];
    await inWriter(region, async (writer, batches) => {
      const first = writer.apply([{ op: "upsert", row: a }]);
      // The first batch starts; the next two arrive while it is in flight.
      await Promise.resolve();
      await Promise.resolve();
      await Promise.all([first, writer.apply([{ op: "upsert", row: b }]), writer.apply([{ op: "upsert", row: c }])]);
      expect(batches()).toBe(2);
    });
    for (const r of [a, b, c]) expect(await readIndexRow(r.arn)).not.toBeNull();
  });

  it("while writers keep writing, a batch waits briefly for as many callers as the last two batches carried", async () => {
    const region = isolatedRegion();
    const rows = Array.from({ length: 12 }, (_, i) => row(region, uniqueName(`gather-${i}`)));
    const apply = (r: IndexRow) => (writer: D1Writer) => writer.apply([{ op: "upsert", row: r }]);
    await inWriter(region, async (writer, batches) => {
      // Two rounds of four writers, each round one batch: the writer now expects four callers.
      await Promise.all(rows.slice(0, 4).map((r) => apply(r)(writer)));
      await Promise.all(rows.slice(4, 8).map((r) => apply(r)(writer)));
      expect(batches()).toBe(2);
      // One writer comes first and the others a moment later: the first waits for them, so all four share a batch.
      const first = apply(rows[8]!)(writer);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await Promise.all([first, ...rows.slice(9).map((r) => apply(r)(writer))]);
      expect(batches()).toBe(3);
    });
    for (const r of rows) expect(await readIndexRow(r.arn)).not.toBeNull();
  });

  it("a batch that fills up while it waits for callers goes at once", async () => {
    const region = isolatedRegion();
    const rows = Array.from({ length: 11 }, (_, i) => row(region, uniqueName(`filled-${i}`)));
    const apply = (writer: D1Writer, r: IndexRow, bytes?: number) => writer.apply([{ op: "upsert", row: r }], bytes);
    // Callbacks already queued run; no timer can fire in between.
    const microtasks = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    await inWriter(region, async (writer, batches) => {
      // Two rounds of four: the writer now expects four callers.
      await Promise.all(rows.slice(0, 4).map((r) => apply(writer, r)));
      await Promise.all(rows.slice(4, 8).map((r) => apply(writer, r)));
      const pending = [apply(writer, rows[8]!)];
      await microtasks();
      expect(batches(), "a lone caller's batch waits for the callers it expects").toBe(2);
      // Two callers of 450 kB fill it; a third starts the next batch, and the full one goes without waiting.
      pending.push(apply(writer, rows[9]!, 450_000), apply(writer, rows[10]!, 450_000));
      await microtasks();
      expect(batches()).toBe(2);
      pending.push(apply(writer, row(region, uniqueName("filled-next")), 450_000));
      await microtasks();
      expect(batches(), "the full batch went at once").toBe(3);
      await Promise.all(pending);
      expect(batches()).toBe(4);
    });
    for (const r of rows) expect(await readIndexRow(r.arn)).not.toBeNull();
  });

  it("entries D1 refuses fail only their own caller: the others' rows are written", async () => {
    const region = isolatedRegion();
    const good = [row(region, uniqueName("good-1")), row(region, uniqueName("good-2"))];
    // secrets.name is NOT NULL: D1 refuses this row, and with it the shared batch.
    const bad = { ...row(region, uniqueName("bad")), name: null } as unknown as IndexRow;
    const outcomes = await inWriter(region, (writer) =>
      Promise.allSettled([...good, bad].map((r) => writer.apply([{ op: "upsert", row: r }]))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    for (const r of good) expect(await readIndexRow(r.arn)).not.toBeNull();
    expect(await readIndexRow(bad.arn)).toBeNull();
  });

  it("a batch carries at most about 1 MB of its callers' entries; the rest ride the next one", async () => {
    const region = isolatedRegion();
    const rows = [row(region, uniqueName("big-1")), row(region, uniqueName("big-2")), row(region, uniqueName("big-3"))];
    await inWriter(region, async (writer, batches) => {
      // Each caller declares 400 kB: two fit in a batch, the third starts the next.
      await Promise.all(rows.map((r) => writer.apply([{ op: "upsert", row: r }], 400_000)));
      expect(batches()).toBe(2);
    });
    for (const r of rows) expect(await readIndexRow(r.arn)).not.toBeNull();
  });

  it("a secret's backlog goes to the writer in calls of at most 256 kB, in order, and all of it lands", async () => {
    const region = isolatedRegion();
    const calls: number[] = [];
    const counting = {
      idFromName: (name: string) => env.D1_WRITER.idFromName(name),
      get: (id: DurableObjectId) => ({
        apply: (entries: D1Entry[], bytes: number) => {
          calls.push(bytes);
          return env.D1_WRITER.get(id).apply(entries, bytes);
        },
      }),
    } as unknown as Cloudflare.Env["D1_WRITER"];
    // 40 records of about 20 kB each (a record's request parameters may be that large): about 800 kB in all.
    const ids = Array.from({ length: 40 }, (_, i) => `backlog-${i}`);
    const backlog = ids.map((id) => ({ op: "record", entry: { ...record(region, id), record: JSON.stringify({ eventID: id, pad: "x".repeat(20_000) }) } }));
    await indexDestination(() => ({ ...env, D1_WRITER: counting })).deliver(backlog);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const bytes of calls) expect(bytes).toBeLessThanOrEqual(256_000);
    for (const id of ids) expect(await eventCount(region, id)).toBe(1);
  });

  it("a record delivered again (a lost answer, a restart) is stored once", async () => {
    const region = isolatedRegion();
    const entries: D1Entry[] = [{ op: "record", entry: record(region, "again") }];
    await inWriter(region, async (writer) => {
      await writer.apply(entries);
      await writer.apply(entries);
    });
    expect(await eventCount(region, "again")).toBe(1);
  });
});

/** The records of the region's log files, file by file. */
async function filedEventIds(region: string): Promise<string[][]> {
  const listed = await env.AUDIT_LOGS!.list({ prefix: `AWSLogs/${ACCOUNT}/CloudTrail/${region}/` });
  return Promise.all(
    listed.objects.map(async (o) => {
      const object = await env.AUDIT_LOGS!.get(o.key);
      const text = await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text();
      return (JSON.parse(text) as { Records: { eventID: string }[] }).Records.map((r) => r.eventID);
    }),
  );
}

describe("the log file export", () => {
  it("files every record D1 holds once, also when an export is repeated after its files were written", async () => {
    const region = isolatedRegion();
    const ids = Array.from({ length: 5 }, (_, i) => `export-${i}`);
    await d1Writer(env, ACCOUNT, region).apply(ids.slice(0, 3).map((id) => ({ op: "record", entry: record(region, id) })));
    const before = (await env.DB.prepare("SELECT through_seq FROM audit_export").first<number>("through_seq"))!;
    await logExport(env).flush();
    expect((await filedEventIds(region)).flat().sort()).toEqual(ids.slice(0, 3));

    // The cursor update lost (a crash after the files were written): the export writes the same files again.
    await env.DB.prepare("UPDATE audit_export SET through_seq = ?").bind(before).run();
    await d1Writer(env, ACCOUNT, region).apply(ids.slice(3).map((id) => ({ op: "record", entry: record(region, id) })));
    await logExport(env).flush();
    const files = await filedEventIds(region);
    expect(files.flat().sort()).toEqual(ids);
    expect(files).toHaveLength(1);
    // Nothing new: nothing written.
    expect(await logExport(env).flush()).toBe(0);
  });

  it("starts again from the first row when the table was emptied below its cursor", async () => {
    const region = isolatedRegion();
    await env.DB.prepare("UPDATE audit_export SET through_seq = (SELECT IFNULL(max(rowid), 0) + 1000 FROM audit_events)").run();
    await d1Writer(env, ACCOUNT, region).apply([{ op: "record", entry: record(region, "after-reset") }]);
    await logExport(env).flush();
    expect((await filedEventIds(region)).flat()).toContain("after-reset");
  });
});
