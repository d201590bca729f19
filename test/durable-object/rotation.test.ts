// The rotation duty with a controlled clock: a due schedule starts a rotation from the alarm, failed runs are retried
// as whole runs and then recorded with AWSCURRENT unmoved and AWSPENDING left, and the cron sweep wakes an object
// whose due rotation lost its alarm.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dueRotations } from "../../src/index-db/secrets-index";
import { wakeDueRotations } from "../../src/scheduled";
import { MAX_RUNS } from "../../src/secret-object/rotation";
import { createSecret, secretStub, sleep, uniqueName, waitForIndexRow } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const PASSWORDS = "arn:aws:lambda:us-east-1:111122223333:function:passwords";
const UNREACHABLE = "arn:aws:lambda:us-east-1:111122223333:function:unreachable";

const stagesOf = async (name: string): Promise<Record<string, string[]>> => (await sm("DescribeSecret", { SecretId: name })).body.VersionIdsToStages;

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await sleep(50);
}

/** Rows of the object's rotation state, with the alarm. */
const stateOf = (name: string) =>
  runInDurableObject(secretStub(name), async (_i, state) => ({
    row: state.storage.sql.exec("SELECT * FROM rotation").toArray()[0],
    secret: state.storage.sql.exec("SELECT rotation_due_at, next_rotation_at, last_rotated_at FROM secret").one(),
    alarm: await state.storage.getAlarm(),
  }));

/** Moves the clock for the object: what is stored as due later is made due now, and the alarm is run. */
async function fireDue(name: string, sql: string): Promise<void> {
  await runInDurableObject(secretStub(name), async (_i, state) => {
    state.storage.sql.exec(sql);
    await state.storage.setAlarm(Date.now());
  });
  await runDurableObjectAlarm(secretStub(name));
}

describe("rotation duty", () => {
  it("a due schedule starts a rotation from the alarm; the next window follows the rules", async () => {
    const name = uniqueName("rot-due");
    await createSecret(name, "first");
    const first = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: first, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 2 } });
    await until(async () => (await stagesOf(name))[first]?.includes("AWSCURRENT") ?? false);
    const before = await stateOf(name);
    expect(before.row).toBeUndefined();
    expect(before.secret.rotation_due_at as number).toBeGreaterThan(Date.now() + 86_400_000);

    await fireDue(name, "UPDATE secret SET rotation_due_at = 1");
    await until(async () => Object.keys(await stagesOf(name)).length === 2 && !(await stagesOf(name))[first]?.includes("AWSCURRENT"));
    const stages = await stagesOf(name);
    expect(stages[first]).toEqual(["AWSPREVIOUS"]);
    const [current] = Object.entries(stages).find(([, labels]) => labels.includes("AWSCURRENT"))!;
    expect(current).not.toBe(first);
    const after = await stateOf(name);
    expect(after.row).toBeUndefined();
    expect(after.secret.rotation_due_at as number).toBeGreaterThan(Date.now() + 86_400_000);
  });

  it("a failing run is retried as a whole, then recorded: AWSCURRENT never moves, AWSPENDING stays, the next RotateSecret reattempts", async () => {
    const name = uniqueName("rot-fail");
    const v1 = (await createSecret(name, "first")).VersionId;
    const crt = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: UNREACHABLE });
    for (let run = 1; run <= MAX_RUNS; run++) {
      await until(async () => (((await stateOf(name)).row?.attempts as number | undefined) ?? MAX_RUNS) >= run);
      const { row } = await stateOf(name);
      if (run < MAX_RUNS) {
        expect(row).toMatchObject({ token: crt, attempts: run, step: 0 });
        expect(row!.last_error as string).toMatch(/./);
        expect(row!.next_at as number).toBeGreaterThan(Date.now());
        await fireDue(name, "UPDATE rotation SET next_at = 0");
      } else expect(row).toBeUndefined();
      expect(await stagesOf(name)).toEqual({ [v1]: ["AWSCURRENT"], [crt]: ["AWSPENDING"] });
    }
    const again = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token() });
    expect(errorOf(again).message).toBe("A previous rotation isn't complete. That rotation will be reattempted.");
    // The reattempt of the same token counts its runs afresh. It is due at once, so its alarm may already have run
    // (and failed) the first of them by now.
    const { row } = await stateOf(name);
    expect(row).toMatchObject({ token: crt });
    expect(row!.attempts as number).toBeLessThanOrEqual(1);
  });

  it("a replica never rotates: its due schedule starts nothing from its alarm, and the cron sweep skips it", async () => {
    const name = uniqueName("rot-replica");
    const region = "eu-west-1";
    const created = await createSecret(name, "first", { AddReplicaRegions: [{ Region: region }] });
    const first = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: first, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 2 } });
    await until(async () => (await stagesOf(name))[first]?.includes("AWSCURRENT") ?? false);
    const described = async () => (await sm("DescribeSecret", { SecretId: name }, { region })).body;
    await until(async () => (await described()).VersionIdsToStages[first]?.includes("AWSCURRENT") && (await described()).LastRotatedDate !== undefined);
    const before = await described();
    expect(before).toMatchObject({ RotationEnabled: true, PrimaryRegion: "us-east-1" });

    // Due now in the replica's object: its alarm runs and starts nothing.
    const replica = secretStub(name, { region });
    const replicaState = () =>
      runInDurableObject(replica, (_i, state) => ({
        row: state.storage.sql.exec("SELECT * FROM rotation").toArray()[0],
        due: state.storage.sql.exec("SELECT rotation_due_at FROM secret").one().rotation_due_at,
      }));
    await runInDurableObject(replica, async (_i, state) => {
      state.storage.sql.exec("UPDATE secret SET rotation_due_at = 1");
      await state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(replica);
    expect(await replicaState()).toEqual({ row: undefined, due: 1 });

    // Due in the index too: the sweep lists the primary's due rotations, never the replica's.
    const replicaArn = created.ARN.replace(":us-east-1:", `:${region}:`);
    await waitForIndexRow(replicaArn, (row) => row !== null);
    await env.DB.prepare("UPDATE secrets SET rotation_due_at = 1 WHERE arn IN (?, ?)").bind(replicaArn, created.ARN).run();
    const due = await dueRotations(env.DB, Date.now(), 100_000);
    expect(due.filter((r) => r.name === name).map((r) => r.region)).toEqual(["us-east-1"]);
    // The primary's own due rotation is not the subject here: it stays put while the sweep runs.
    await runInDurableObject(secretStub(name), (_i, state) => void state.storage.sql.exec("UPDATE secret SET rotation_enabled = 0"));
    await wakeDueRotations(env, Date.now());
    await runDurableObjectAlarm(replica);
    expect((await replicaState()).row).toBeUndefined();
    expect((await described()).VersionIdsToStages).toEqual(before.VersionIdsToStages);
  });

  it("the cron sweep arms the alarm of an object whose due rotation lost it", async () => {
    const name = uniqueName("rot-sweep");
    const created = await createSecret(name, "first");
    const first = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: first, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 5 } });
    await until(async () => (await stagesOf(name))[first]?.includes("AWSCURRENT") ?? false);
    await waitForIndexRow(created.ARN, (row) => row !== null && (row as unknown as { rotation_due_at: number | null }).rotation_due_at !== null);
    await runInDurableObject(secretStub(name), async (_i, state) => {
      state.storage.sql.exec("UPDATE secret SET rotation_due_at = 1");
      await state.storage.deleteAlarm();
    });
    await env.DB.prepare("UPDATE secrets SET rotation_due_at = 1 WHERE arn = ?").bind(created.ARN).run();
    expect(await wakeDueRotations(env, Date.now())).toBeGreaterThanOrEqual(1);
    expect((await stateOf(name)).alarm).not.toBeNull();
    await runDurableObjectAlarm(secretStub(name));
    await until(async () => !(await stagesOf(name))[first]?.includes("AWSCURRENT"));
    expect((await stagesOf(name))[first]).toEqual(["AWSPREVIOUS"]);
  });
});
