// Crash durability: a burst of concurrent PutSecretValue and CreateSecret writes, the whole local server process
// group SIGKILLed in the middle of it, a restart on the same STATE_DIR, and then every write that was acknowledged
// (HTTP 200) must be readable by its VersionId, and every secret's labels consistent. Writes in flight at the kill
// may be present or absent, but never half-applied. Own server and state directory (it kills its server).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectSecret } from "./consistency";
import { rawCall } from "./raw";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const PUTTERS = 8; // each owns one seeded secret and puts new versions to it, one after another
const CREATORS = 8; // each creates new secrets, one after another
const KILL_AFTER_ACKS = 150;
const KILL_AFTER_MS = 8_000;
const MAX_REQUESTS = 3_000;

interface Write {
  kind: "create" | "put";
  name: string;
  versionId: string;
  value: string;
}

const stateDir = freshStateDir();
const base = `e2e/kill-${crypto.randomUUID().slice(0, 8)}`;
const seeded = Array.from({ length: PUTTERS }, (_, i) => `${base}/seed-${i}`);
let server: LocalServer;

const acked: Write[] = [];
/** Writes whose request failed without an answer (the kill cut them off): present or absent, never partial. */
const cutOff: Write[] = [];
/** Answers other than 200 during the burst: there should be none. */
const refused: string[] = [];
let inFlightAtKill = 0;

beforeAll(async () => {
  server = await startServer({ stateDir });
  for (const name of seeded) {
    const created = await rawCall(server.endpoint, "CreateSecret", { Name: name, SecretString: "seed", ClientRequestToken: crypto.randomUUID() });
    expect(created.status, created.text).toBe(200);
  }

  let sent = 0;
  let inFlight = 0;
  let killing: Promise<void> | undefined;
  const started = Date.now();
  const killNow = () => {
    inFlightAtKill = inFlight;
    killing = server.kill();
  };
  const timer = setTimeout(() => killing ?? killNow(), KILL_AFTER_MS);

  const write = async (w: Write): Promise<boolean> => {
    sent++;
    inFlight++;
    try {
      const input =
        w.kind === "put"
          ? { SecretId: w.name, SecretString: w.value, ClientRequestToken: w.versionId }
          : { Name: w.name, SecretString: w.value, ClientRequestToken: w.versionId };
      const answer = await rawCall(server.endpoint, w.kind === "put" ? "PutSecretValue" : "CreateSecret", input);
      if (answer.status !== 200) {
        refused.push(`${w.kind} ${w.name}: ${answer.status} ${answer.text}`);
        return false;
      }
      acked.push(w);
      if (!killing && (acked.length >= KILL_AFTER_ACKS || Date.now() - started >= KILL_AFTER_MS)) killNow();
      return true;
    } catch {
      cutOff.push(w);
      return false;
    } finally {
      inFlight--;
    }
  };

  const next = (kind: Write["kind"], name: string): Write => {
    const versionId = crypto.randomUUID();
    return { kind, name, versionId, value: `${kind} ${versionId}` };
  };
  const putter = async (name: string) => {
    while (sent < MAX_REQUESTS && (await write(next("put", name))));
  };
  const creator = async (id: number) => {
    for (let n = 0; sent < MAX_REQUESTS && (await write(next("create", `${base}/new-${id}-${n}`))); n++);
  };
  await Promise.all([...seeded.map(putter), ...Array.from({ length: CREATORS }, (_, i) => creator(i))]);
  clearTimeout(timer);
  await (killing ?? server.kill());
  console.log(`kill: ${acked.length} writes acknowledged, ${inFlightAtKill} in flight at SIGKILL, ${cutOff.length} cut off`);
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeStateDir(stateDir);
});

describe("after SIGKILL in the middle of a write burst and a restart on the same STATE_DIR", () => {
  it("the kill came in the middle of the burst, and no write was refused before it", () => {
    expect(refused).toEqual([]);
    expect(acked.length).toBeGreaterThan(0);
    expect(inFlightAtKill).toBeGreaterThan(0);
  });

  it("every acknowledged write is there: GetSecretValue by its VersionId returns its value", async () => {
    const lost: string[] = [];
    for (let i = 0; i < acked.length; i += 16) {
      await Promise.all(
        acked.slice(i, i + 16).map(async (w) => {
          const got = await rawCall(server.endpoint, "GetSecretValue", { SecretId: w.name, VersionId: w.versionId });
          const value = (got.json as { SecretString?: string }).SecretString;
          if (got.status !== 200 || value !== w.value) lost.push(`${w.kind} ${w.name} ${w.versionId}: ${got.status} ${got.text.slice(0, 200)}`);
        }),
      );
    }
    expect(lost, `${lost.length} of ${acked.length} acknowledged writes are missing after the restart`).toEqual([]);
  });

  it("every secret has exactly one AWSCURRENT version and no label on two versions", async () => {
    const names = [...new Set([...seeded, ...acked.map((w) => w.name), ...cutOff.map((w) => w.name)])];
    const states = await Promise.all(names.map((name) => inspectSecret(server.endpoint, name)));
    expect(states.filter((s) => s.problems.length > 0).map((s) => `${s.name}: ${s.problems.join("; ")}`)).toEqual([]);
  });

  it("AWSCURRENT of each put-to secret is its last acknowledged version or the put the kill cut off", async () => {
    for (const name of seeded) {
      const puts = acked.filter((w) => w.name === name);
      const candidates = [puts.at(-1)?.versionId, ...cutOff.filter((w) => w.name === name).map((w) => w.versionId)].filter(Boolean);
      const current = await rawCall(server.endpoint, "GetSecretValue", { SecretId: name });
      if (candidates.length === 0) continue; // no put of this secret got anywhere
      expect(candidates, name).toContain((current.json as { VersionId?: string }).VersionId);
    }
  });

  it("a secret whose CreateSecret the kill cut off is either absent or complete with its one AWSCURRENT version", async () => {
    for (const w of cutOff.filter((c) => c.kind === "create")) {
      const state = await inspectSecret(server.endpoint, w.name);
      if (state.state === "missing") continue;
      expect(state.versions, w.name).toEqual([expect.objectContaining({ VersionId: w.versionId, VersionStages: ["AWSCURRENT"] })]);
      const got = await rawCall(server.endpoint, "GetSecretValue", { SecretId: w.name });
      expect((got.json as { SecretString?: string }).SecretString).toBe(w.value);
    }
  });

  it("ListSecrets eventually lists every secret whose CreateSecret was acknowledged (the index outbox survived too)", async (ctx) => {
    const probe = await rawCall(server.endpoint, "ListSecrets", { MaxResults: 1 });
    if ((probe.json as { __type?: string }).__type === "UnknownOperationException") ctx.skip("ListSecrets is not registered");
    const expected = [...new Set(acked.filter((w) => w.kind === "create").map((w) => w.name))].sort();
    let listed: string[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      listed = await listNames(`${base}/new-`);
      if (expected.every((name) => listed.includes(name))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(expected.filter((name) => !listed.includes(name)), "acknowledged secrets ListSecrets does not list after 30 s").toEqual([]);
  });

  it("the index converges with the objects: each secret's listed labels are those DescribeSecret reports", async () => {
    const names = [...new Set([...seeded, ...acked.map((w) => w.name), ...cutOff.map((w) => w.name)])].sort();
    let differing: string[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      const listed = await listEntries(base);
      differing = [];
      for (const name of names) {
        const described = await rawCall(server.endpoint, "DescribeSecret", { SecretId: name });
        const truth = described.status === 200 ? sortedStages((described.json as { VersionIdsToStages?: Record<string, string[]> }).VersionIdsToStages) : undefined;
        const entry = listed.get(name);
        const shown = entry ? sortedStages(entry.SecretVersionsToStages) : undefined;
        if (JSON.stringify(truth) !== JSON.stringify(shown)) differing.push(`${name}: object ${JSON.stringify(truth)} index ${JSON.stringify(shown)}`);
      }
      if (differing.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(differing, "index rows that never caught up with their objects within 30 s").toEqual([]);
  });

  it("the restarted server takes new writes to the same secrets", async () => {
    const versionId = crypto.randomUUID();
    const put = await rawCall(server.endpoint, "PutSecretValue", { SecretId: seeded[0], SecretString: "after", ClientRequestToken: versionId });
    expect(put.status, put.text).toBe(200);
    const got = await rawCall(server.endpoint, "GetSecretValue", { SecretId: seeded[0] });
    expect(got.json).toMatchObject({ VersionId: versionId, SecretString: "after" });
  });
});

const sortedStages = (m: Record<string, string[]> | undefined) =>
  Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([v, labels]) => [v, [...labels].sort()]));

/** Every listed secret under `prefix`, by name. */
async function listEntries(prefix: string): Promise<Map<string, { SecretVersionsToStages?: Record<string, string[]> }>> {
  const entries = new Map<string, { SecretVersionsToStages?: Record<string, string[]> }>();
  let nextToken: string | undefined;
  for (let page = 0; page < 20; page++) {
    const listed = await rawCall(server.endpoint, "ListSecrets", { Filters: [{ Key: "name", Values: [prefix] }], MaxResults: 100, NextToken: nextToken });
    const body = listed.json as { SecretList?: { Name: string; SecretVersionsToStages?: Record<string, string[]> }[]; NextToken?: string };
    for (const s of body.SecretList ?? []) entries.set(s.Name, s);
    nextToken = body.NextToken;
    if (!nextToken) break;
  }
  return entries;
}

async function listNames(prefix: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 20; page++) {
    const listed = await rawCall(server.endpoint, "ListSecrets", { Filters: [{ Key: "name", Values: [prefix] }], MaxResults: 100, NextToken: nextToken });
    const body = listed.json as { SecretList?: { Name: string }[]; NextToken?: string };
    names.push(...(body.SecretList ?? []).map((s) => s.Name));
    nextToken = body.NextToken;
    if (!nextToken) break;
  }
  return names;
}
