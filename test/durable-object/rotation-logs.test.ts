// A rotation function that fails with the secret in its answer (errorMessage, stack trace): the value never reaches a
// log line, the stored rotation state or a counter; what is recorded is the function error and errorType. The same
// runs count their ends: retried, then failed; abandoned by a value written by hand; cancelled.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_RUNS } from "../../src/secret-object/rotation";
import { createSecret, secretStub, sleep, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";
import { TEST_ROTATION_FUNCTIONS } from "../support/test-keys";

const MARKER = `leaked-${crypto.randomUUID()}`;
const LEAKY = "arn:aws:lambda:us-east-1:111122223333:function:leaky";

type Point = { blobs: string[] };

/** A function, bound as a service, whose failures quote the secret as careless rotation code does. */
const leakyFunction = {
  fetch: async () =>
    new Response(JSON.stringify({ errorMessage: `could not set password ${MARKER}`, errorType: "ValueError", stackTrace: [`  File "rotate.py", line 9: ${MARKER}`] }), {
      headers: { "X-Amz-Function-Error": "Unhandled" },
    }),
};

/** Binds the leaky function and a fake METRICS into the live object of `name`. */
async function bindLeaky(name: string): Promise<Point[]> {
  const points: Point[] = [];
  await runInDurableObject(secretStub(name), (instance) => {
    const self = instance as unknown as { env: Record<string, unknown> };
    self.env = {
      ...self.env,
      ROTATION_FUNCTIONS: JSON.stringify({ ...TEST_ROTATION_FUNCTIONS, [LEAKY]: { service: "LEAKY" } }),
      LEAKY: leakyFunction,
      METRICS: { writeDataPoint: (point: Point) => void points.push(point) },
    };
  });
  return points;
}

const rowOf = (name: string) => runInDurableObject(secretStub(name), (_i, state) => state.storage.sql.exec("SELECT * FROM rotation").toArray()[0]);

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await sleep(50);
}

/** Every line written to the console while `run` ran, each call's arguments joined. */
async function consoleDuring(run: () => Promise<void>): Promise<string[]> {
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
  await run();
  return spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a) ?? String(a))).join(" ")));
}

afterEach(() => vi.restoreAllMocks());

describe("a rotation function that fails quoting the secret", () => {
  it("logs and stores the function error and errorType, never its payload; counts each run's end", async () => {
    const name = uniqueName("rot-leaky");
    const points = await bindLeaky(name);
    const stored: unknown[] = [];
    const lines = await consoleDuring(async () => {
      await createSecret(name, MARKER);
      const crt = token();
      expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: LEAKY })).status).toBe(200);
      for (let run = 1; run <= MAX_RUNS; run++) {
        await until(async () => (((await rowOf(name))?.attempts as number | undefined) ?? MAX_RUNS) >= run);
        const row = await rowOf(name);
        stored.push(row);
        if (row) {
          await runInDurableObject(secretStub(name), async (_i, state) => {
            state.storage.sql.exec("UPDATE rotation SET next_at = 0");
            await state.storage.setAlarm(Date.now());
          });
          await runDurableObjectAlarm(secretStub(name));
        }
      }
    });
    expect(points.map((p) => `${p.blobs[1]} ${p.blobs[2]}`).filter((_, i) => points[i]!.blobs[0] === "rotation")).toEqual([
      ...Array.from({ length: MAX_RUNS - 1 }, () => "createSecret retried"),
      "createSecret failed",
    ]);
    const failures = lines.filter((line) => line.includes('"event":"rotation_step_failed"'));
    expect(failures).toHaveLength(MAX_RUNS);
    expect(JSON.parse(failures[0]!)).toMatchObject({ step: "createSecret", error: "The function failed: FunctionError Unhandled, errorType ValueError." });
    expect((stored[0] as { last_error: string }).last_error).toBe("The function failed: FunctionError Unhandled, errorType ValueError.");
    for (const line of lines) expect(line).not.toContain(MARKER);
    expect(JSON.stringify(stored)).not.toContain(MARKER);
    expect(JSON.stringify(points)).not.toContain(MARKER);
  });

  it("counts a run abandoned by a value written by hand, and one cancelled", async () => {
    const name = uniqueName("rot-ended");
    const points = await bindLeaky(name);
    await createSecret(name, "v1");
    const rotation = () => points.filter((p) => p.blobs[0] === "rotation").map((p) => `${p.blobs[1]} ${p.blobs[2]}`);
    await consoleDuring(async () => {
      expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: LEAKY })).status).toBe(200);
      await until(async () => rotation().length === 1);
      expect((await sm("PutSecretValue", { SecretId: name, SecretString: "by hand", ClientRequestToken: token() })).status).toBe(200);
      expect(rotation()).toEqual(["createSecret retried", "createSecret abandoned"]);

      const again = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token() });
      expect(again.status, JSON.stringify(errorOf(again))).toBe(200);
      await until(async () => rotation().length === 3);
      expect((await sm("CancelRotateSecret", { SecretId: name })).status).toBe(200);
    });
    expect(rotation()).toEqual(["createSecret retried", "createSecret abandoned", "createSecret retried", "createSecret cancelled"]);
  });
});
