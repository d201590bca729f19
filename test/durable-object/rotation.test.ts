// The rotation duty with a controlled clock: a due schedule starts a rotation from the alarm, failed runs are retried
// as whole runs and then recorded with AWSCURRENT unmoved and AWSPENDING left, and the cron sweep wakes an object
// whose due rotation lost its alarm.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
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
    expect((await stateOf(name)).row).toMatchObject({ token: crt, attempts: 0 });
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
