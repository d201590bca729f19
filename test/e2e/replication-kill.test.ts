// Replication survives a crash: a burst of PutSecretValue calls on a primary with two replicas, the whole local
// server SIGKILLed in the middle of it, a restart on the same STATE_DIR; then the replicas catch up on their own
// (the outbox entries and the alarm are stored), every acknowledged version is readable in every replica region by
// its VersionId with its value, and each replica's labels equal the primary's. Own server (it kills it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawCall } from "./raw";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const REGIONS = ["eu-west-1", "ap-south-1"];
const WRITERS = 4;
const KILL_AFTER_ACKS = 40;
const KILL_AFTER_MS = 6_000;
const MAX_WRITES = 400;

const stateDir = freshStateDir();
const name = `e2e/repl-kill-${crypto.randomUUID().slice(0, 8)}`;
const acked: { versionId: string; value: string }[] = [];
let server: LocalServer;

const call = (op: string, input: unknown, region?: string) => rawCall(server.endpoint, op, input, { region });

async function statuses(): Promise<{ Status: string }[]> {
  const described = await call("DescribeSecret", { SecretId: name });
  expect(described.status, described.text).toBe(200);
  return (described.json as { ReplicationStatus: { Status: string }[] }).ReplicationStatus;
}

async function allInSync(limitMs: number): Promise<boolean> {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    if ((await statuses()).every((s) => s.Status === "InSync")) return true;
  }
  return false;
}

beforeAll(async () => {
  server = await startServer({ stateDir });
  const created = await call("CreateSecret", {
    Name: name, SecretString: "seed", ClientRequestToken: crypto.randomUUID(), AddReplicaRegions: REGIONS.map((Region) => ({ Region })),
  });
  expect(created.status, created.text).toBe(200);
  expect(await allInSync(30_000)).toBe(true);

  let writes = 0;
  let killing: Promise<void> | undefined;
  const kill = () => (killing ??= server.kill());
  const timer = setTimeout(kill, KILL_AFTER_MS);
  const writer = async () => {
    while (!killing && writes < MAX_WRITES) {
      writes++;
      const w = { versionId: crypto.randomUUID(), value: `value-${writes}` };
      try {
        const put = await call("PutSecretValue", { SecretId: name, SecretString: w.value, ClientRequestToken: w.versionId });
        if (put.status === 200) acked.push(w);
      } catch {
        return; // cut off by the kill: present or absent
      }
      if (acked.length >= KILL_AFTER_ACKS) kill();
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  clearTimeout(timer);
  await kill();
  await server.start();
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeStateDir(stateDir);
});

describe("replication after a SIGKILL mid-burst", () => {
  it("the replicas catch up with nothing acknowledged lost, and agree with the primary on every label", async () => {
    expect(acked.length).toBeGreaterThan(0);
    expect(await allInSync(60_000), JSON.stringify(await statuses())).toBe(true);
    const stagesIn = async (region?: string) => (await call("DescribeSecret", { SecretId: name }, region)).json as { VersionIdsToStages: unknown };
    const primary = (await stagesIn()).VersionIdsToStages;
    for (const region of REGIONS) {
      expect((await stagesIn(region)).VersionIdsToStages, region).toEqual(primary);
      for (const w of acked) {
        const read = await call("GetSecretValue", { SecretId: name, VersionId: w.versionId }, region);
        expect(read.status, `${region} ${w.versionId}: ${read.text}`).toBe(200);
        expect((read.json as { SecretString: string }).SecretString).toBe(w.value);
      }
    }
  }, 120_000);
});
