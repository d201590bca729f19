// The cron sweeper's repair pass: it walks the D1 index in batches and asks each row's object (the truth) to
// re-apply index updates still queued and to repair a row that disagrees with it, so no index update is lost even
// when D1 failed and the object's alarm was lost, and a secret purged meanwhile leaves the index.
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { applyIndexEntries, indexedAfter } from "../../src/index-db/secrets-index";
import worker from "../../src/index";
import { sweepIndex } from "../../src/scheduled";
import { breakIndexWrites, createUniqueSecret, readIndexRow, restoreIndexWrites, secretStub, sleep, uniqueName, waitUntilIndexed } from "../support/fixtures";
import type { SecretObject } from "../../src/secret-object/secret-object";
import { sm, token } from "../support/sm";

const derivedCount = async (table: "secret_tags" | "secret_words", arn: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE arn = ?`).bind(arn).first<number>("n"))!;

async function objectState(name: string) {
  return runInDurableObject(secretStub(name), async (instance, state) => ({
    revision: state.storage.sql.exec("SELECT revision FROM secret").toArray()[0]?.revision as number | undefined,
    pending: (await (instance as unknown as SecretObject).indexSnapshot()).pending,
  }));
}

// Repair tests start from an index row that agrees with its object.
async function createIndexed(prefix: string, fields: Record<string, unknown> = {}) {
  const secret = await createUniqueSecret(prefix, "v1", fields);
  await waitUntilIndexed(secret.name);
  return secret;
}

/** One pass over the whole index (this file's D1 holds far fewer rows than the batch). */
async function sweepAll() {
  const report = await sweepIndex(env as never, 10_000);
  expect(report.cursor).toBe("");
  return report;
}

const listNames = async (filter: { Key: string; Values: string[] }) =>
  ((await sm("ListSecrets", { Filters: [filter] })).body.SecretList as { Name: string }[]).map((e) => e.Name);

beforeEach(async () => {
  await env.DB.prepare("UPDATE index_sweep SET after_arn = ''").run();
});

describe("rows that disagree with their object", () => {
  it("a row whose columns, tags and words were changed in D1 is restored from the object", async () => {
    const { name, arn } = await createIndexed("repair-columns", { Description: "primary database", Tags: [{ Key: "team", Value: "payments" }] });
    const before = (await readIndexRow(arn))!;
    await env.DB.batch([
      env.DB.prepare("UPDATE secrets SET description = 'tampered', tags_json = '[]' WHERE arn = ?").bind(arn),
      env.DB.prepare("DELETE FROM secret_tags WHERE arn = ?").bind(arn),
      env.DB.prepare("DELETE FROM secret_words WHERE arn = ?").bind(arn),
    ]);
    expect(await listNames({ Key: "description", Values: ["primary"] })).not.toContain(name);

    const report = await sweepAll();
    expect(report.outcomes.repaired).toBeGreaterThanOrEqual(1);
    expect(await readIndexRow(arn)).toEqual(before);
    expect(await derivedCount("secret_tags", arn)).toBe(1);
    expect(await listNames({ Key: "description", Values: ["primary"] })).toContain(name);
    expect(await listNames({ Key: "tag-value", Values: ["payments"] })).toContain(name);
  });

  it("a row ahead of its object (a higher revision, as after restoring the object) is replaced by the object's snapshot", async () => {
    const { name, arn } = await createIndexed("repair-ahead", { Description: "truth" });
    await env.DB.prepare("UPDATE secrets SET revision = revision + 10, description = 'from the future' WHERE arn = ?").bind(arn).run();
    await sweepAll();
    const row = (await readIndexRow(arn))!;
    expect(row.description).toBe("truth");
    expect(row.revision).toBe((await objectState(name)).revision);

    // The revision guard works again from there: the next change reaches the index.
    await sm("UpdateSecret", { SecretId: name, Description: "next" });
    await waitUntilIndexed(name);
    expect((await readIndexRow(arn))!.description).toBe("next");
  });

  it("a row of an earlier incarnation of the name is removed; the current one stays", async () => {
    const { name, arn } = await createIndexed("repair-incarnation");
    const stale = arn.replace(/-[A-Za-z0-9]{6}$/, "-OldOne");
    const current = (await readIndexRow(arn))!;
    await applyIndexEntries(env.DB, [
      {
        op: "upsert",
        row: {
          arn: stale, accountId: "111122223333", region: "us-east-1", name, description: "gone", kmsKeyId: null, type: null,
          createdAt: 1, lastChangedAt: 1, lastAccessedAt: null, deletedAt: null, deletionAt: null,
          tags: [{ Key: "old", Value: "yes" }], versionsToStages: {}, revision: 7,
        },
      },
    ]);
    const report = await sweepAll();
    expect(report.outcomes.repaired).toBeGreaterThanOrEqual(1);
    expect(await readIndexRow(stale)).toBeNull();
    expect(await derivedCount("secret_tags", stale)).toBe(0);
    expect(await derivedCount("secret_words", stale)).toBe(0);
    expect(await readIndexRow(arn)).toEqual(current);
  });

  it("a row whose object holds no secret is removed, and a row whose ARN names no secret at all too", async () => {
    const ghost = `arn:aws:secretsmanager:us-east-1:111122223333:secret:${uniqueName("repair-ghost")}-Gh0st1`;
    const garbage = `not-an-arn-${crypto.randomUUID()}`;
    for (const arn of [ghost, garbage]) {
      await env.DB.prepare(
        "INSERT INTO secrets (arn, account_id, region, name, created_at, last_changed_at, revision) VALUES (?, '111122223333', 'us-east-1', 'ghost', 1, 1, 1)",
      ).bind(arn).run();
    }
    const report = await sweepAll();
    expect(report.outcomes.removed).toBeGreaterThanOrEqual(1);
    expect(await readIndexRow(ghost)).toBeNull();
    expect(await readIndexRow(garbage)).toBeNull();
  });

  it("rows indexed before secret_words existed (words_version 0) are re-indexed, so description and all filters find them", async () => {
    const { name, arn } = await createIndexed("repair-words", { Description: "legacy row" });
    await env.DB.batch([
      env.DB.prepare("UPDATE secrets SET words_version = 0 WHERE arn = ?").bind(arn),
      env.DB.prepare("DELETE FROM secret_words WHERE arn = ?").bind(arn),
    ]);
    expect(await listNames({ Key: "all", Values: ["legacy"] })).not.toContain(name);
    await sweepAll();
    expect((await readIndexRow(arn))!.words_version).toBe(1);
    expect(await listNames({ Key: "all", Values: ["legacy"] })).toContain(name);
  });

  it("the object answers in-sync for a row that agrees with it, and leaves it alone", async () => {
    const { name, arn } = await createIndexed("repair-in-sync", { Tags: [{ Key: "a", Value: "b" }] });
    const [row] = (await indexedAfter(env.DB, "", 10_000)).filter((r) => r.arn === arn);
    expect(await secretStub(name).repairIndex(row!)).toBe("in-sync");
    expect((await objectState(name)).pending).toBe(0);
  });

  it("indexSnapshot is the row the object would write, with its queued updates", async () => {
    const { name, arn } = await createIndexed("repair-snapshot", { Description: "d", Tags: [{ Key: "k", Value: "v" }] });
    const snapshot = await secretStub(name).indexSnapshot();
    expect(snapshot.pending).toBe(0);
    expect(snapshot.row).toMatchObject({ arn, name, description: "d", tags: [{ Key: "k", Value: "v" }], tagsSet: true, revision: (await objectState(name)).revision });
    expect(await secretStub(uniqueName("repair-nothing")).indexSnapshot()).toEqual({ row: null, pending: 0, lagged: 0 });
  });
});

describe("index updates queued while D1 failed", () => {
  async function failedOnce(name: string) {
    for (let i = 0; i < 200; i++) {
      const attempts = await runInDurableObject(secretStub(name), (_i, state) => state.storage.sql.exec("SELECT MIN(attempts) AS a FROM outbox WHERE destination = 'index'").one().a as number | null);
      if (attempts !== null && attempts > 0) return;
      await sleep(10);
    }
    throw new Error("the outbox never failed");
  }

  it("are re-applied when the sweep reaches the row, and nothing is lost", async () => {
    const { name, arn } = await createIndexed("repair-pending");
    await breakIndexWrites(name);
    const v2 = token();
    await sm("PutSecretValue", { SecretId: name, SecretString: "during outage", ClientRequestToken: v2 });
    await sm("UpdateSecret", { SecretId: name, Description: "changed during outage" });
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "outage", Value: "yes" }] });
    await failedOnce(name);
    await restoreIndexWrites(name, { loseAlarm: true });
    expect((await objectState(name)).pending).toBeGreaterThanOrEqual(3);

    const report = await sweepAll();
    expect(report.outcomes.pending).toBeGreaterThanOrEqual(1);
    expect((await objectState(name)).pending).toBe(0);
    const row = (await readIndexRow(arn))!;
    expect(row).toMatchObject({ description: "changed during outage", revision: (await objectState(name)).revision });
    expect(JSON.parse(row.tags_json)).toEqual([{ Key: "outage", Value: "yes" }]);
    expect(await listNames({ Key: "tag-key", Values: ["outage"] })).toContain(name);
  });

  it("a secret purged after its recovery window while D1 was failing leaves the index once the sweep runs", async () => {
    const { name, arn } = await createIndexed("repair-purged");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await waitUntilIndexed(name);
    expect((await readIndexRow(arn))!.deletion_at).toBeTypeOf("number");

    await breakIndexWrites(name);
    await runInDurableObject(secretStub(name), (_i, state) => {
      state.storage.sql.exec("UPDATE secret SET deletion_at = ?", Date.now() - 1000);
    });
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    expect((await sm("DescribeSecret", { SecretId: name })).body.__type).toBe("ResourceNotFoundException");
    expect(await readIndexRow(arn)).not.toBeNull();
    await restoreIndexWrites(name, { loseAlarm: true });

    await sweepAll();
    expect(await readIndexRow(arn)).toBeNull();
    expect(await derivedCount("secret_words", arn)).toBe(0);
    expect((await objectState(name)).pending).toBe(0);
  });
});

describe("the sweep's walk", () => {
  it("checks the index in batches by ARN and starts over after the last row", async () => {
    await createIndexed("repair-walk-a");
    await createIndexed("repair-walk-b");
    const total = (await env.DB.prepare("SELECT count(*) AS n FROM secrets").first<number>("n"))!;
    const cursors: string[] = [];
    let checked = 0;
    for (let run = 0; run < total + 2; run++) {
      const report = await sweepIndex(env as never, 2);
      expect(report.checked).toBeLessThanOrEqual(2);
      checked += report.checked;
      cursors.push(report.cursor);
      if (report.cursor === "") break;
    }
    expect(cursors.at(-1)).toBe("");
    expect(checked).toBe(total);
    const walked = cursors.slice(0, -1);
    expect(walked).toEqual([...walked].sort());
    expect((await sweepIndex(env as never, 2)).checked).toBe(Math.min(2, total));
  });

  it("the Worker's scheduled handler runs the repair pass", async () => {
    const { arn } = await createIndexed("repair-cron", { Description: "scheduled truth" });
    await env.DB.prepare("UPDATE secrets SET description = 'wrong' WHERE arn = ?").bind(arn).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect((await readIndexRow(arn))!.description).toBe("scheduled truth");
  });
});
