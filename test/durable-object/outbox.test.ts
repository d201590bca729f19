// The D1 index is written through each object's outbox: every mutation reaches the `secrets` and `secret_tags`
// rows with a growing revision, a D1 outage loses nothing (the alarm retries), and stale entries never win.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type IndexRow, applyIndexEntries } from "../../src/index-db/secrets-index";
import { READ_YOUR_WRITES_WAIT_MS } from "../../src/secret-object/outbox";
import type { SecretObject } from "../../src/secret-object/secret-object";
import { type SecretsTableRow, breakIndexWrites, countIndexWrites, createUniqueSecret, readIndexRow, restoreIndexWrites, secretStub, sleep, slowIndexWrites, uniqueName, waitForIndexRow } from "../support/fixtures";
import { sm, token } from "../support/sm";

async function indexTags(arn: string): Promise<Record<string, string>> {
  const { results } = await env.DB.prepare("SELECT key, value FROM secret_tags WHERE arn = ? ORDER BY key").bind(arn).all<{ key: string; value: string }>();
  return Object.fromEntries(results.map((r) => [r.key, r.value]));
}

/** The words indexed for a secret, as "field:attr:word", sorted. */
async function indexWords(arn: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT field, attr, word FROM secret_words WHERE arn = ? ORDER BY field, attr, word").bind(arn).all<{ field: string; attr: number; word: string }>();
  return results.map((r) => `${r.field}:${r.attr}:${r.word}`);
}

/** Waits for the index to move past `revision` and returns the new row. */
async function nextRevision(arn: string, revision: number): Promise<SecretsTableRow> {
  const row = await waitForIndexRow(arn, (r) => r !== null && r.revision > revision);
  expect(row?.revision, "the index row did not advance").toBeGreaterThan(revision);
  return row!;
}

/** The object's own account of its index: its snapshot, undelivered entries and lagged answers. */
async function snapshotOf(name: string) {
  return runInDurableObject(secretStub(name), (instance) => (instance as unknown as SecretObject).indexSnapshot());
}

/** Fires the object's alarm (each firing runs what it was armed for; retries back off) until its outbox is empty. */
async function alarmsUntilDelivered(name: string) {
  let state = await objectState(name);
  for (let i = 0; i < 8 && state.outbox.length > 0; i++) {
    expect(state.alarm, "an outbox with entries and no alarm").not.toBeNull();
    await runDurableObjectAlarm(secretStub(name));
    state = await objectState(name);
  }
  return state;
}

/** The object's revision, its outbox's index entries and its alarm. */
async function objectState(name: string) {
  return runInDurableObject(secretStub(name), async (_instance, state) => ({
    revision: state.storage.sql.exec("SELECT revision FROM secret").toArray()[0]?.revision as number | undefined,
    outbox: state.storage.sql.exec("SELECT seq, attempts FROM outbox WHERE destination = 'index' ORDER BY seq").toArray() as { seq: number; attempts: number }[],
    alarm: await state.storage.getAlarm(),
  }));
}

describe("every mutation reaches the index", () => {
  it("CreateSecret writes name, description, tags, versions-to-stages and a revision; secret_tags holds the tags", async () => {
    const { name, arn, versionId } = await createUniqueSecret("outbox-create", "v1", {
      Description: "payments db",
      Tags: [{ Key: "team", Value: "payments" }, { Key: "env", Value: "prod" }],
    });
    const row = await waitForIndexRow(arn, (r) => r !== null);
    expect(row).toMatchObject({ name, description: "payments db", deleted_at: null, deletion_at: null });
    expect(JSON.parse(row!.tags_json)).toEqual([{ Key: "team", Value: "payments" }, { Key: "env", Value: "prod" }]);
    expect(JSON.parse(row!.versions_to_stages_json)).toEqual({ [versionId]: ["AWSCURRENT"] });
    expect(row!.revision).toBeGreaterThanOrEqual(1);
    expect(await indexTags(arn)).toEqual({ env: "prod", team: "payments" });
  });

  it("CreateSecret without a value writes the index row", async () => {
    const name = uniqueName("outbox-empty");
    const created = await sm("CreateSecret", { Name: name, Description: "no value yet", Tags: [{ Key: "k", Value: "v" }] });
    expect(created.status).toBe(200);
    const row = await waitForIndexRow(created.body.ARN, (r) => r !== null);
    expect(row).toMatchObject({ name, description: "no value yet", versions_to_stages_json: "{}" });
    expect(await indexTags(created.body.ARN)).toEqual({ k: "v" });
  });

  it("each later mutation advances the revision and updates the row", async () => {
    const { name, arn, versionId: v1 } = await createUniqueSecret("outbox-walk");
    let row = (await waitForIndexRow(arn, (r) => r !== null))!;

    const v2 = token();
    await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: v2 });
    row = await nextRevision(arn, row.revision);
    expect(JSON.parse(row.versions_to_stages_json)).toEqual({ [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT"] });

    await sm("UpdateSecret", { SecretId: name, Description: "described" });
    row = await nextRevision(arn, row.revision);
    expect(row.description).toBe("described");

    await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "BLUE", MoveToVersionId: v1 });
    row = await nextRevision(arn, row.revision);
    expect(JSON.parse(row.versions_to_stages_json)).toEqual({ [v1]: ["AWSPREVIOUS", "BLUE"], [v2]: ["AWSCURRENT"] });

    await sm("TagResource", { SecretId: name, Tags: [{ Key: "owner", Value: "alice" }] });
    row = await nextRevision(arn, row.revision);
    expect(JSON.parse(row.tags_json)).toEqual([{ Key: "owner", Value: "alice" }]);
    expect(await indexTags(arn)).toEqual({ owner: "alice" });

    await sm("UntagResource", { SecretId: name, TagKeys: ["owner"] });
    row = await nextRevision(arn, row.revision);
    expect(JSON.parse(row.tags_json)).toEqual([]);
    expect(await indexTags(arn)).toEqual({});

    await sm("GetSecretValue", { SecretId: name });
    row = await nextRevision(arn, row.revision);
    expect(row.last_accessed_at).toBe(Math.floor(Date.now() / 86_400_000) * 86_400_000);

    const deleted = await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    row = await nextRevision(arn, row.revision);
    expect(row.deletion_at).toBe(Math.round(deleted.body.DeletionDate * 1000));
    expect(row.deleted_at).toBeTypeOf("number");

    await sm("RestoreSecret", { SecretId: name });
    row = await nextRevision(arn, row.revision);
    expect(row).toMatchObject({ deleted_at: null, deletion_at: null });

    expect(row.revision).toBe((await objectState(name)).revision);
  });

  it("a forced DeleteSecret removes the row and its tags", async () => {
    const { name, arn } = await createUniqueSecret("outbox-force", "v1", { Tags: [{ Key: "k", Value: "v" }] });
    await waitForIndexRow(arn, (r) => r !== null);
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    expect(await waitForIndexRow(arn, (r) => r === null)).toBeNull();
    expect(await indexTags(arn)).toEqual({});
  });

  it("nothing is pending once answered, and the delivered entries are gone after the next alarm", async () => {
    const { name } = await createUniqueSecret("outbox-drained");
    expect((await snapshotOf(name)).pending).toBe(0);
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    expect((await objectState(name)).outbox).toEqual([]);
  });
});

describe("read-your-writes and group commit", () => {
  it("each mutation is in the index when it is answered: the row holds the object's revision at once", async () => {
    const { name, arn } = await createUniqueSecret("outbox-ryw");
    for (let i = 0; i < 5; i++) {
      expect((await sm("PutSecretValue", { SecretId: name, SecretString: `v${i}`, ClientRequestToken: token() })).status).toBe(200);
      expect((await readIndexRow(arn))?.revision).toBe((await objectState(name)).revision);
      expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "round", Value: String(i) }] })).status).toBe(200);
      expect(await indexTags(arn)).toEqual({ round: String(i) });
    }
  });

  it("concurrent writes to one secret share D1 writes (a commit during a delivery rides the next), ending at the newest state", async () => {
    const { name, arn } = await createUniqueSecret("outbox-group");
    const writes = await countIndexWrites(name);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sm("PutSecretValue", { SecretId: name, SecretString: `v${i}`, ClientRequestToken: token() })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const { revision } = await objectState(name);
    expect((await readIndexRow(arn))?.revision).toBe(revision);
    expect(await writes()).toBeLessThan(20);
  });

  it("an object constructed with a non-empty outbox and no alarm arms one, so the index catches up", async () => {
    const { name, arn } = await createUniqueSecret("outbox-lost-alarm");
    const before = (await waitForIndexRow(arn, (r) => r !== null))!;
    await breakIndexWrites(name);
    await sm("UpdateSecret", { SecretId: name, Description: "owed to the index" });
    await restoreIndexWrites(name, { loseAlarm: true });
    expect((await objectState(name)).alarm).toBeNull();

    await evictDurableObject(secretStub(name));
    await sm("DescribeSecret", { SecretId: name });
    expect((await objectState(name)).alarm).not.toBeNull();
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    // The audit trail's entries (delivered before the eviction, so due again first) may take the first alarm.
    await alarmsUntilDelivered(name);
    const row = await readIndexRow(arn);
    expect(row?.revision).toBeGreaterThan(before.revision);
    expect(row?.description).toBe("owed to the index");
  });
});

describe("when D1 fails", () => {
  async function mutateWhileBroken(name: string) {
    const v2 = token();
    const put = await sm("PutSecretValue", { SecretId: name, SecretString: "during-outage", ClientRequestToken: v2 });
    const update = await sm("UpdateSecret", { SecretId: name, Description: "changed during outage" });
    const tag = await sm("TagResource", { SecretId: name, Tags: [{ Key: "outage", Value: "yes" }] });
    return { v2, statuses: [put.status, update.status, tag.status] };
  }

  /** Waits until every queued entry has failed at least once. */
  async function failedOnce(name: string) {
    let state = await objectState(name);
    for (let i = 0; i < 100 && !(state.outbox.length > 0 && state.outbox.every((e) => e.attempts > 0)); i++) {
      await sleep(20);
      state = await objectState(name);
    }
    return state;
  }

  it("mutations still succeed; the outbox keeps the entries and the alarm is armed for a retry", async () => {
    const { name, arn } = await createUniqueSecret("outbox-outage");
    const before = (await waitForIndexRow(arn, (r) => r !== null))!;
    await breakIndexWrites(name);

    const { statuses } = await mutateWhileBroken(name);
    expect(statuses).toEqual([200, 200, 200]);

    const state = await failedOnce(name);
    expect(state.outbox.length).toBeGreaterThanOrEqual(3);
    expect(state.outbox.every((e) => e.attempts > 0)).toBe(true);
    expect(state.alarm).not.toBeNull();
    expect(state.alarm! - Date.now()).toBeLessThanOrEqual(300_000);
    expect((await readIndexRow(arn))?.revision).toBe(before.revision);
  });

  it("once D1 is back, the alarm brings the index up to the latest state and empties the outbox", async () => {
    const { name, arn, versionId: v1 } = await createUniqueSecret("outbox-recover");
    await waitForIndexRow(arn, (r) => r !== null);
    await breakIndexWrites(name);
    const { v2 } = await mutateWhileBroken(name);
    await failedOnce(name);

    await restoreIndexWrites(name);
    const state = await alarmsUntilDelivered(name);
    expect(state.outbox).toEqual([]);
    const row = await readIndexRow(arn);
    expect(row).toMatchObject({ description: "changed during outage", revision: state.revision });
    expect(JSON.parse(row!.versions_to_stages_json)).toEqual({ [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT"] });
    expect(JSON.parse(row!.tags_json)).toEqual([{ Key: "outage", Value: "yes" }]);
    expect(await indexTags(arn)).toEqual({ outage: "yes" });
  });

  it("an object evicted during the outage catches up from its stored outbox on the next alarm", async () => {
    const { name, arn } = await createUniqueSecret("outbox-evicted");
    await waitForIndexRow(arn, (r) => r !== null);
    await breakIndexWrites(name);
    await mutateWhileBroken(name);
    await failedOnce(name);

    // A fresh instance gets the real bindings again; only the stored outbox remembers what is owed.
    await evictDurableObject(secretStub(name));
    expect((await alarmsUntilDelivered(name)).outbox).toEqual([]);
    expect((await readIndexRow(arn))?.description).toBe("changed during outage");
  });
});

describe("when D1 is slow", () => {
  it("a write is answered at the bound, before its delivery lands; it is logged and counted as lagging, and lands after", async () => {
    const { name, arn } = await createUniqueSecret("outbox-slow");
    await waitForIndexRow(arn, (r) => r !== null);
    await slowIndexWrites(name, READ_YOUR_WRITES_WAIT_MS + 1_000);
    const warnings = vi.spyOn(console, "warn");
    const lagged = (await snapshotOf(name)).lagged;

    expect((await sm("UpdateSecret", { SecretId: name, Description: "changed while slow" })).status).toBe(200);
    // Answered before the delivery: the listing is behind, and says so.
    expect((await readIndexRow(arn))?.description).not.toBe("changed while slow");
    expect((await snapshotOf(name)).lagged).toBe(lagged + 1);
    expect(warnings.mock.calls.some(([line]) => String(line).includes('"outbox_lag"'))).toBe(true);

    expect((await waitForIndexRow(arn, (r) => r?.description === "changed while slow"))?.description).toBe("changed while slow");
    await restoreIndexWrites(name);
  });
});

describe("applyIndexEntries", () => {
  // D1 is shared by the tests of a file, so each test indexes its own ARN.
  let arn = "";
  beforeEach(() => {
    arn = `arn:aws:secretsmanager:us-east-1:111122223333:secret:${uniqueName("stale-check")}-Ab12Cd`;
  });
  const row = (revision: number, description: string, tags: { Key: string; Value: string }[]): IndexRow => ({
    arn, accountId: "111122223333", region: "us-east-1", name: "stale-check", description, kmsKeyId: null, type: null,
    createdAt: 1_000, lastChangedAt: 1_000 + revision, lastAccessedAt: null, deletedAt: null, deletionAt: null,
    tags, versionsToStages: { [`v${revision}`]: ["AWSCURRENT"] }, revision,
  });

  it("an entry with a lower revision applied after a newer one does not overwrite the row or its tags", async () => {
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(5, "newer", [{ Key: "gen", Value: "5" }]) }]);
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(3, "stale", [{ Key: "gen", Value: "3" }, { Key: "old", Value: "x" }]) }]);

    const stored = await readIndexRow(arn);
    expect(stored).toMatchObject({ revision: 5, description: "newer" });
    expect(JSON.parse(stored!.versions_to_stages_json)).toEqual({ v5: ["AWSCURRENT"] });
    expect(await indexTags(arn)).toEqual({ gen: "5" });
  });

  it("re-applying the same entry is harmless, and a newer one wins", async () => {
    const entry = { op: "upsert", row: row(2, "two", [{ Key: "gen", Value: "2" }]) } as const;
    await applyIndexEntries(env.DB, [entry]);
    await applyIndexEntries(env.DB, [entry]);
    expect(await readIndexRow(arn)).toMatchObject({ revision: 2, description: "two" });
    expect(await indexTags(arn)).toEqual({ gen: "2" });

    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(7, "seven", []) }]);
    expect(await readIndexRow(arn)).toMatchObject({ revision: 7, description: "seven" });
    expect(await indexTags(arn)).toEqual({});
  });

  it("a delete entry removes the row and its tags", async () => {
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(1, "one", [{ Key: "k", Value: "v" }]) }]);
    await applyIndexEntries(env.DB, [{ op: "delete", arn }]);
    expect(await readIndexRow(arn)).toBeNull();
    expect(await indexTags(arn)).toEqual({});
    expect(await indexWords(arn)).toEqual([]);
  });

  it("each snapshot rewrites the words the description and all filters search; a stale one leaves them", async () => {
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(4, "Primary Database", [{ Key: "Team", Value: "payments" }]) }]);
    expect(await indexWords(arn)).toEqual([
      "description:0:database", "description:0:primary", "name:0:check", "name:0:stale", "tag-key:0:team", "tag-value:0:payments",
    ]);
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(2, "old words", []) }]);
    expect(await indexWords(arn)).toContain("description:0:primary");
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(5, "new", []) }]);
    expect(await indexWords(arn)).toEqual(["description:0:new", "name:0:check", "name:0:stale"]);
  });

  it("a forced entry (the sweeper's repair) replaces a row with a higher revision, and a later snapshot keeps the force", async () => {
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(9, "ahead", [{ Key: "gen", Value: "9" }]) }]);
    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(2, "truth", [{ Key: "gen", Value: "2" }]), force: true }]);
    expect(await readIndexRow(arn)).toMatchObject({ revision: 2, description: "truth" });
    expect(await indexTags(arn)).toEqual({ gen: "2" });

    await applyIndexEntries(env.DB, [{ op: "upsert", row: row(9, "ahead", []) }]);
    await applyIndexEntries(env.DB, [
      { op: "upsert", row: row(2, "forced", []), force: true },
      { op: "upsert", row: row(3, "after the force", []) },
    ]);
    expect(await readIndexRow(arn)).toMatchObject({ revision: 3, description: "after the force" });
  });

  it("a forced entry rewrites derived rows it finds wrong, although its row's columns already agree", async () => {
    const entry = { op: "upsert", row: row(6, "Payments ledger", [{ Key: "team", Value: "core" }]) } as const;
    await applyIndexEntries(env.DB, [entry]);
    // Derived rows lost behind the row's back (a writer that wrote the row without them).
    await env.DB.batch([env.DB.prepare("DELETE FROM secret_tags WHERE arn = ?").bind(arn), env.DB.prepare("DELETE FROM secret_words WHERE arn = ?").bind(arn)]);
    await applyIndexEntries(env.DB, [{ ...entry, force: true }]);
    expect(await indexTags(arn)).toEqual({ team: "core" });
    expect(await indexWords(arn)).toEqual([
      "description:0:ledger", "description:0:payments", "name:0:check", "name:0:stale", "tag-key:0:team", "tag-value:0:core",
    ]);
  });

  it("entries of several secrets in one call each write their own row, tags and words", async () => {
    const other = `${arn.slice(0, -7)}-other-Zz9Zz9`;
    await applyIndexEntries(env.DB, [
      { op: "upsert", row: row(1, "first secret", [{ Key: "a", Value: "1" }]) },
      { op: "upsert", row: { ...row(1, "second secret", [{ Key: "b", Value: "2" }]), arn: other } },
    ]);
    expect(await indexTags(arn)).toEqual({ a: "1" });
    expect(await indexTags(other)).toEqual({ b: "2" });
    expect(await indexWords(arn)).toContain("description:0:first");
    expect(await indexWords(other)).toContain("description:0:second");
    expect(await indexWords(other)).not.toContain("description:0:first");
  });
});
