// The counters of a secret's object, against a fake Analytics Engine binding swapped into the live object: each
// outbox delivery (depth, and the index's lag), each replica delivery's outcome and each rotation run's end writes a
// data point in the layout README "Metrics" documents, and no data point ever carries a secret's name or value.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { breakIndexWrites, createSecret, restoreIndexWrites, secretStub, sleep, uniqueName, waitForIndexRow } from "../support/fixtures";
import { sm, token } from "../support/sm";

const VALUE = `metric-secret-value-${crypto.randomUUID()}`;
const PASSWORDS = "arn:aws:lambda:us-east-1:111122223333:function:passwords";

type Point = { indexes: string[]; blobs: string[]; doubles: number[] };

/** Swaps a fake METRICS binding (and `extra` bindings) into the live object of `name`; returns what it is written. */
async function observe(name: string, extra: Record<string, unknown> = {}): Promise<Point[]> {
  const points: Point[] = [];
  const METRICS = { writeDataPoint: (point: Point) => void points.push(point) };
  await runInDurableObject(secretStub(name), (instance) => {
    const self = instance as unknown as { env: Record<string, unknown> };
    self.env = { ...self.env, METRICS, ...extra };
  });
  return points;
}

const of = (points: Point[], metric: string) => points.filter((p) => p.blobs[0] === metric);
const outcomes = (points: Point[], metric: string) => of(points, metric).map((p) => `${p.blobs[1]} ${p.blobs[2]}`);

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check()) && Date.now() < end) await sleep(50);
}

/** Every data point is in the documented layout and holds nothing of the secret: not its name, ARN or value. */
function expectNothingOfTheSecret(points: Point[], ...secrets: string[]): void {
  expect(points.length).toBeGreaterThan(0);
  for (const p of points) {
    expect(p.indexes).toEqual([p.blobs[0]]);
    expect(p.blobs).toHaveLength(3);
    expect(p.doubles).toHaveLength(2);
    for (const s of secrets) expect(JSON.stringify(p)).not.toContain(s);
  }
}

describe("outbox counters", () => {
  it("each index delivery writes its depth and the index lag; during a D1 outage both are written as failed, and the lag shows the outage", async () => {
    const name = uniqueName("metrics-index");
    const points = await observe(name);
    const created = await createSecret(name, VALUE);
    await waitForIndexRow(created.ARN, (r) => r !== null);
    // One delivery of CreateSecret's two entries: its index snapshot and its audit record.
    expect(of(points, "outbox_depth")).toContainEqual({ indexes: ["outbox_depth"], blobs: ["outbox_depth", "index", "delivered"], doubles: [2, 0] });
    const [lag] = of(points, "index_lag");
    expect(lag).toMatchObject({ indexes: ["index_lag"], blobs: ["index_lag", "index", "delivered"] });
    expect(lag!.doubles[0]).toBeGreaterThanOrEqual(0);

    await breakIndexWrites(name);
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: `${VALUE}-2`, ClientRequestToken: token() })).status).toBe(200);
    expect(outcomes(points, "outbox_depth")).toContain("index failed");
    const failedLag = of(points, "index_lag").find((p) => p.blobs[2] === "failed")!;
    expect(failedLag.doubles[0]).toBeGreaterThanOrEqual(0);

    await restoreIndexWrites(name);
    const before = points.length;
    for (let i = 0; i < 6 && !points.slice(before).some((p) => p.blobs[0] === "index_lag" && p.blobs[2] === "delivered"); i++) {
      await runDurableObjectAlarm(secretStub(name));
    }
    const caughtUp = points.slice(before).find((p) => p.blobs[0] === "index_lag" && p.blobs[2] === "delivered");
    expect(caughtUp, "the alarm's delivery was not counted").toBeDefined();
    // The entry waited through the outage: its lag at delivery is at least what it was when the delivery failed.
    expect(caughtUp!.doubles[0]).toBeGreaterThanOrEqual(failedLag.doubles[0]!);
    expectNothingOfTheSecret(points, name, created.ARN, VALUE);
  });
});

describe("replication counters", () => {
  it("counts each replica delivery by region and outcome: in sync, failed while the region is down, removed", async () => {
    const name = uniqueName("metrics-repl");
    const points = await observe(name);
    const created = await createSecret(name, VALUE, { AddReplicaRegions: [{ Region: "eu-west-3" }] });
    await until(() => outcomes(points, "replication").includes("eu-west-3 in_sync"));
    expect(of(points, "replication")).toContainEqual({ indexes: ["replication"], blobs: ["replication", "eu-west-3", "in_sync"], doubles: [1, 0] });
    expect(outcomes(points, "outbox_depth")).toContain("replica:eu-west-3 delivered");

    await runInDurableObject(secretStub(name), (instance) => {
      const self = instance as unknown as { env: Record<string, unknown> };
      self.env = { ...self.env, REPLICA_REGIONS_UNAVAILABLE: "eu-west-3" };
    });
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: `${VALUE}-2`, ClientRequestToken: token() })).status).toBe(200);
    await until(() => outcomes(points, "replication").includes("eu-west-3 failed"));
    expect(outcomes(points, "replication")).toContain("eu-west-3 failed");
    expect(outcomes(points, "outbox_depth")).toContain("replica:eu-west-3 failed");

    expect((await sm("RemoveRegionsFromReplication", { SecretId: name, RemoveReplicaRegions: ["eu-west-3"] })).status).toBe(200);
    await until(() => outcomes(points, "replication").includes("eu-west-3 removed"));
    expect(outcomes(points, "replication")).toContain("eu-west-3 removed");
    expectNothingOfTheSecret(points, name, created.ARN, VALUE);
  });
});

describe("rotation counters", () => {
  it("counts a rotation's end with the step it ended at: succeeded at finishSecret, a test run's at testSecret", async () => {
    const name = uniqueName("metrics-rot");
    const points = await observe(name);
    const created = await createSecret(name, VALUE);
    const first = token();
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: first, RotationLambdaARN: PASSWORDS })).status).toBe(200);
    await until(() => of(points, "rotation").length > 0);
    expect(of(points, "rotation")).toEqual([{ indexes: ["rotation"], blobs: ["rotation", "finishSecret", "succeeded"], doubles: [1, 0] }]);

    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotateImmediately: false })).status).toBe(200);
    await until(() => of(points, "rotation").length > 1);
    expect(outcomes(points, "rotation")).toEqual(["finishSecret succeeded", "testSecret test_succeeded"]);
    expectNothingOfTheSecret(points, name, created.ARN, VALUE, first);
  });
});
