// The object's one alarm serves every duty: it stands at the earliest due time read from stored rows (the deletion
// deadline, the outbox's next try), survives eviction, and a duty that throws keeps none of the others from running.
// While D1 fails, writes are acknowledged and counted as lagging, and the listing catches up once D1 is back.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { nextAlarmAt } from "../../src/secret-object/scheduler";
import type { SecretObject } from "../../src/secret-object/secret-object";
import { breakIndexWrites, createUniqueSecret, readIndexRow, restoreIndexWrites, secretStub } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const DAY = 86_400_000;

/** What the alarm should be by the stored rows alone, beside the alarm that is set. */
async function alarmState(name: string) {
  return runInDurableObject(secretStub(name), async (_i, state) => {
    const sql = state.storage.sql;
    const deadline = (sql.exec("SELECT deletion_at FROM secret").toArray()[0]?.deletion_at as number | null | undefined) ?? undefined;
    // The index's entries (the audit trail's, delivered at once, wait for the next commit or alarm to be deleted).
    const nextTry = (sql.exec("SELECT MIN(next_at) AS at FROM outbox WHERE destination = 'index'").one().at as number | null) ?? undefined;
    const outbox = sql.exec("SELECT count(*) AS n FROM outbox WHERE destination = 'index'").one().n as number;
    return { alarm: await state.storage.getAlarm(), deadline, nextTry, outbox };
  });
}

/** Replaces one of the object's duties' run with a function that throws (the scheduler's duties are private). */
async function breakDuty(name: string, duty: string): Promise<void> {
  await runInDurableObject(secretStub(name), (instance) => {
    const scheduler = (instance as unknown as { scheduler: { duties: { name: string; run: () => Promise<void> }[] } }).scheduler;
    const target = scheduler.duties.find((d) => d.name === duty)!;
    target.run = () => Promise.reject(new Error(`injected failure of ${duty}`));
  });
}

async function passDeadline(name: string): Promise<void> {
  await runInDurableObject(secretStub(name), (_i, state) => {
    state.storage.sql.exec("UPDATE secret SET deletion_at = ?", Date.now() - 1000);
  });
}

afterEach(() => vi.restoreAllMocks());

describe("nextAlarmAt", () => {
  it("is the earliest due time of any duty, and none when nothing is due", () => {
    expect(nextAlarmAt([undefined, 30, 10, undefined])).toBe(10);
    expect(nextAlarmAt([undefined, undefined])).toBeUndefined();
    expect(nextAlarmAt([])).toBeUndefined();
  });
});

describe("each duty's alarm", () => {
  it("deletion: once the outbox is delivered the alarm stands at the deadline, also after eviction, and purges then", async () => {
    const { name, arn } = await createUniqueSecret("sched-deadline");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await runDurableObjectAlarm(secretStub(name));
    let state = await alarmState(name);
    expect(state.outbox).toBe(0);
    expect(state.alarm).toBe(state.deadline);
    expect(state.deadline! - Date.now()).toBeGreaterThan(7 * DAY - 60_000);

    await evictDurableObject(secretStub(name));
    state = await alarmState(name);
    expect(state.alarm).toBe(state.deadline);

    await passDeadline(name);
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    expect(errorOf(await sm("DescribeSecret", { SecretId: name })).code).toBe("ResourceNotFoundException");
    expect(await readIndexRow(arn)).toBeNull();
  });

  it("outbox: while D1 fails the alarm stands at the entries' next try (backing off), also after eviction", async () => {
    const { name, arn } = await createUniqueSecret("sched-outbox");
    await breakIndexWrites(name);
    expect((await sm("UpdateSecret", { SecretId: name, Description: "owed" })).status).toBe(200);
    let state = await alarmState(name);
    // UpdateSecret's index snapshot and its audit record.
    expect(state.outbox).toBe(2);
    expect(state.alarm).not.toBeNull();
    expect(state.alarm!).toBeLessThanOrEqual(state.nextTry!);

    // The alarm fires for what it was armed for, finds the destination still failing, and re-arms at the next try.
    await runDurableObjectAlarm(secretStub(name));
    state = await alarmState(name);
    expect(state.alarm).toBe(state.nextTry);
    const backedOff = state.nextTry!;
    await runDurableObjectAlarm(secretStub(name));
    state = await alarmState(name);
    expect(state.nextTry! - Date.now()).toBeGreaterThan(backedOff - Date.now());

    // A fresh instance has the real D1 again; the stored alarm brings the index up to date.
    await evictDurableObject(secretStub(name));
    expect((await alarmState(name)).alarm).toBe(state.nextTry);
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    expect((await readIndexRow(arn))?.description).toBe("owed");
    expect(await alarmState(name)).toMatchObject({ alarm: null, outbox: 0 });
  });
});

describe("one failing duty never starves another", () => {
  it("the deletion purge happens on time while the index destination fails", async () => {
    const { name, arn } = await createUniqueSecret("sched-purge-d1-down");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await breakIndexWrites(name);
    await passDeadline(name);
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);

    expect(errorOf(await sm("DescribeSecret", { SecretId: name })).code).toBe("ResourceNotFoundException");
    // The index still lists it: its removal is owed, retried by the alarm.
    expect(await readIndexRow(arn)).not.toBeNull();
    const state = await alarmState(name);
    expect(state.outbox).toBeGreaterThan(0);
    expect(state.alarm).toBe(state.nextTry);

    await restoreIndexWrites(name);
    await runDurableObjectAlarm(secretStub(name));
    expect(await readIndexRow(arn)).toBeNull();
  });

  it("a deletion duty that throws does not keep the outbox from being delivered, and is retried", async () => {
    const { name, arn } = await createUniqueSecret("sched-throwing-deletion");
    await breakIndexWrites(name);
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await restoreIndexWrites(name);
    await passDeadline(name);
    await breakDuty(name, "deletion");
    const errors = vi.spyOn(console, "error");

    for (let i = 0; i < 3 && (await alarmState(name)).outbox > 0; i++) await runDurableObjectAlarm(secretStub(name));
    expect(errors.mock.calls.some(([line]) => String(line).includes('"duty_failed"') && String(line).includes("deletion"))).toBe(true);
    // The outbox was delivered: the index holds the deletion.
    expect((await readIndexRow(arn))?.deletion_at).not.toBeNull();
    expect((await alarmState(name)).outbox).toBe(0);
    // The deletion is still owed, and the alarm is armed to retry it.
    expect((await sm("DescribeSecret", { SecretId: name })).status).toBe(200);
    expect((await alarmState(name)).alarm).not.toBeNull();

    // A fresh instance (the injected failure gone) purges at the retry.
    await evictDurableObject(secretStub(name));
    await runDurableObjectAlarm(secretStub(name));
    expect(errorOf(await sm("DescribeSecret", { SecretId: name })).code).toBe("ResourceNotFoundException");
    expect(await readIndexRow(arn)).toBeNull();
  });
});

describe("while D1 fails", () => {
  it("writes are acknowledged, counted and logged as lagging, nothing is lost, and the listing catches up", async () => {
    const { name, arn } = await createUniqueSecret("sched-d1-outage", "v1", { Tags: [{ Key: "phase", Value: "before" }] });
    await breakIndexWrites(name);
    const warnings = vi.spyOn(console, "warn");
    const versions: string[] = [];
    for (let i = 0; i < 5; i++) {
      const versionId = token();
      versions.push(versionId);
      expect((await sm("PutSecretValue", { SecretId: name, SecretString: `outage-${i}`, ClientRequestToken: versionId })).status).toBe(200);
    }
    expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "phase", Value: "during" }] })).status).toBe(200);

    const logged = warnings.mock.calls.map(([line]) => String(line));
    expect(logged.some((l) => l.includes('"outbox_delivery_failed"') && l.includes('"lagMs"'))).toBe(true);
    expect(logged.some((l) => l.includes('"outbox_lag"'))).toBe(true);
    const snapshot = await runInDurableObject(secretStub(name), (o) => (o as unknown as SecretObject).indexSnapshot());
    expect(snapshot.lagged).toBeGreaterThanOrEqual(6);
    expect(snapshot.pending).toBeGreaterThan(0);

    // The object has every write; the listing is behind.
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("outage-4");
    const listed = async () =>
      (await sm("ListSecrets", { Filters: [{ Key: "tag-value", Values: ["during"] }, { Key: "name", Values: [name] }] })).body.SecretList as { ARN: string }[];
    expect(await listed()).toEqual([]);

    // The alarm retries at the entries' next try (a fired alarm runs what it was armed for; retries back off).
    await restoreIndexWrites(name);
    for (let i = 0; i < 3 && (await alarmState(name)).outbox > 0; i++) await runDurableObjectAlarm(secretStub(name));
    expect((await listed()).map((s) => s.ARN)).toEqual([arn]);
    const row = await readIndexRow(arn);
    expect(JSON.parse(row!.versions_to_stages_json)[versions[4]!]).toEqual(["AWSCURRENT"]);
    for (const [i, v] of versions.entries()) {
      expect((await sm("GetSecretValue", { SecretId: name, VersionId: v })).body.SecretString).toBe(`outage-${i}`);
    }
  });
});
