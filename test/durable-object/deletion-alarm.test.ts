// Scheduled deletion: DeleteSecret arms the object's alarm at the deadline, the alarm purges the secret (object
// and index), RestoreSecret cancels, and the cron sweeper purges a due secret whose alarm was lost.
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { sweep } from "../../src/scheduled";
import { createUniqueSecret, readIndexRow, secretStub, sleep, waitForIndexRow } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const DAY = 86_400_000;

const NOT_FOUND = { code: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." };

/** The object's alarm and deletion deadline, read together. */
async function alarmAndDeadline(name: string): Promise<{ alarm: number | null; deadline: number | null }> {
  return runInDurableObject(secretStub(name), async (_instance, state) => {
    const row = state.storage.sql.exec("SELECT deletion_at FROM secret").toArray()[0];
    return { alarm: await state.storage.getAlarm(), deadline: (row?.deletion_at as number | null | undefined) ?? null };
  });
}

/**
 * The alarm once the outbox's early retry alarm (armed by each commit, never moved later) has fired: it then stands
 * at what remains due, the deadline or nothing.
 */
async function settled(name: string, until: (s: { alarm: number | null; deadline: number | null }) => boolean) {
  let state = await alarmAndDeadline(name);
  for (let i = 0; i < 5 && !until(state); i++) {
    await runDurableObjectAlarm(secretStub(name));
    state = await alarmAndDeadline(name);
  }
  return state;
}

/** Moves the deletion deadline into the past in the object (and, when asked, in the index), as time passing would. */
async function passDeadline(name: string, arn: string, { index = false } = {}): Promise<number> {
  const past = Date.now() - 1000;
  await runInDurableObject(secretStub(name), (_instance, state) => {
    state.storage.sql.exec("UPDATE secret SET deletion_at = ?", past);
  });
  if (index) await env.DB.prepare("UPDATE secrets SET deletion_at = ? WHERE arn = ?").bind(past, arn).run();
  return past;
}

describe("DeleteSecret with a recovery window", () => {
  it("sets the object's alarm at the deletion deadline", async () => {
    const { name, arn } = await createUniqueSecret("delete-alarm");
    const deleted = await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    expect(deleted.status).toBe(200);

    const { alarm, deadline } = await settled(name, (s) => s.alarm === s.deadline);
    expect(deadline).toBe(Math.round(deleted.body.DeletionDate * 1000));
    expect(deadline! - Date.now()).toBeGreaterThan(7 * DAY - 60_000);
    expect(deadline! - Date.now()).toBeLessThanOrEqual(7 * DAY);
    expect(alarm).toBe(deadline);
    expect((await waitForIndexRow(arn, (r) => r?.deletion_at === deadline))?.deletion_at).toBe(deadline);
  });

  it("the default recovery window is 30 days", async () => {
    const { name } = await createUniqueSecret("delete-default");
    const deleted = await sm("DeleteSecret", { SecretId: name });
    const { alarm, deadline } = await settled(name, (s) => s.alarm === s.deadline);
    expect(deadline! - Date.now()).toBeGreaterThan(30 * DAY - 60_000);
    expect(alarm).toBe(Math.round(deleted.body.DeletionDate * 1000));
  });

  it("the alarm at the deadline purges the secret: DescribeSecret → ResourceNotFoundException, index row gone", async () => {
    const { name, arn } = await createUniqueSecret("delete-purge");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await settled(name, (s) => s.alarm === s.deadline);
    await waitForIndexRow(arn, (r) => r?.deletion_at != null);

    await passDeadline(name, arn);
    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);

    expect(errorOf(await sm("DescribeSecret", { SecretId: name }))).toEqual(NOT_FOUND);
    expect(errorOf(await sm("GetSecretValue", { SecretId: name }))).toEqual(NOT_FOUND);
    expect(await readIndexRow(arn)).toBeNull();
    expect(await runInDurableObject(secretStub(name), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM versions").one().n)).toBe(0);
    expect((await alarmAndDeadline(name)).alarm).toBeNull();
  });

  it("after the purge CreateSecret of the same name works and gets a new ARN suffix", async () => {
    const { name, arn } = await createUniqueSecret("delete-recreate");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await settled(name, (s) => s.alarm === s.deadline);
    await passDeadline(name, arn);
    await runDurableObjectAlarm(secretStub(name));

    const recreated = await sm("CreateSecret", { Name: name, SecretString: "second-life", ClientRequestToken: token() });
    expect(recreated.status).toBe(200);
    expect(recreated.body.ARN).not.toBe(arn);
    expect(recreated.body.ARN.slice(0, -6)).toBe(arn.slice(0, -6));
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("second-life");
    // The old ARN names the purged incarnation, not the new one.
    expect(errorOf(await sm("DescribeSecret", { SecretId: arn }))).toEqual(NOT_FOUND);
  });

  it("an alarm that fires before the deadline does not purge and re-arms at the deadline", async () => {
    const { name } = await createUniqueSecret("delete-early");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const before = await settled(name, (s) => s.alarm === s.deadline);

    expect(await runDurableObjectAlarm(secretStub(name))).toBe(true);
    const described = await sm("DescribeSecret", { SecretId: name });
    expect(described.status).toBe(200);
    expect(described.body.DeletedDate).toBeTypeOf("number");
    expect(await alarmAndDeadline(name)).toEqual(before);
  });
});

describe("RestoreSecret", () => {
  it("before the deadline cancels the deletion: the alarm is no longer at the deadline and the value is readable", async () => {
    const { name, arn } = await createUniqueSecret("restore", "restored-value");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const { deadline } = await settled(name, (s) => s.alarm === s.deadline);

    const restored = await sm("RestoreSecret", { SecretId: name });
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ ARN: arn, Name: name });

    const after = await settled(name, (s) => s.alarm === null);
    expect(after.deadline).toBeNull();
    expect(after.alarm).not.toBe(deadline);
    expect(after.alarm).toBeNull();
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("restored-value");
    expect((await sm("DescribeSecret", { SecretId: name })).body.DeletedDate).toBeUndefined();
    expect((await waitForIndexRow(arn, (r) => r?.deletion_at === null))?.deleted_at).toBeNull();
  });

  it("a stale alarm after RestoreSecret does not purge the secret", async () => {
    const { name } = await createUniqueSecret("restore-stale", "still-here");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await settled(name, (s) => s.alarm === s.deadline);
    await sm("RestoreSecret", { SecretId: name });
    await runInDurableObject(secretStub(name), (_i, state) => state.storage.setAlarm(Date.now() - 1000));

    await runDurableObjectAlarm(secretStub(name));
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("still-here");
  });
});

describe("the cron sweeper", () => {
  /** A secret scheduled for deletion whose deadline has passed and whose alarm was lost. */
  async function dueWithoutAlarm(prefix: string) {
    const secret = await createUniqueSecret(prefix);
    await sm("DeleteSecret", { SecretId: secret.name, RecoveryWindowInDays: 7 });
    await settled(secret.name, (s) => s.alarm === s.deadline);
    await waitForIndexRow(secret.arn, (r) => r?.deletion_at != null);
    await passDeadline(secret.name, secret.arn, { index: true });
    await runInDurableObject(secretStub(secret.name), (_i, state) => state.storage.deleteAlarm());
    expect((await alarmAndDeadline(secret.name)).alarm).toBeNull();
    return secret;
  }

  it("sweep() finds a due secret through D1 and purges it although its alarm was deleted", async () => {
    const { name, arn } = await dueWithoutAlarm("sweep-direct");
    // D1 is shared by the tests of this file: other due secrets may be swept along.
    expect(await sweep(env as never, Date.now())).toBeGreaterThanOrEqual(1);
    expect(errorOf(await sm("DescribeSecret", { SecretId: name }))).toEqual(NOT_FOUND);
    expect(await readIndexRow(arn)).toBeNull();
    expect((await sm("CreateSecret", { Name: name, SecretString: "again", ClientRequestToken: token() })).status).toBe(200);
  });

  it("the Worker's scheduled handler runs the sweep", async () => {
    const { name, arn } = await dueWithoutAlarm("sweep-cron");
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect(errorOf(await sm("DescribeSecret", { SecretId: name }))).toEqual(NOT_FOUND);
    expect(await readIndexRow(arn)).toBeNull();
  });

  it("leaves a secret whose deadline has not passed alone", async () => {
    const { name, arn } = await createUniqueSecret("sweep-not-due");
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    await waitForIndexRow(arn, (r) => r?.deletion_at != null);
    await sweep(env as never, Date.now());
    const described = await sm("DescribeSecret", { SecretId: name });
    expect(described.status).toBe(200);
    expect(described.body.DeletedDate).toBeTypeOf("number");
  });

  it("a late sweep of an already-purged object is harmless, also after the name was reused", async () => {
    const { name, arn } = await dueWithoutAlarm("sweep-twice");
    await sweep(env as never, Date.now());
    await secretStub(name).sweep();
    expect(await readIndexRow(arn)).toBeNull();
    expect(errorOf(await sm("DescribeSecret", { SecretId: name }))).toEqual(NOT_FOUND);

    await sm("CreateSecret", { Name: name, SecretString: "reborn", ClientRequestToken: token() });
    await secretStub(name).sweep();
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("reborn");
  });
});
