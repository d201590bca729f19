// The real `npm start` as a process tree (npm → sh → node scripts/start.mjs → workerd leash → workerd): SIGTERM or
// SIGINT to any of its processes stops all of it, SIGKILL of node takes workerd with it, a taken port is answered
// with one line naming PORT=… npm start, the ready line names the URL and the state directory, and a key ring
// that lacks a key the state depends on (or no ring over existing state) refuses to start, naming the key.
import { readFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, describe, expect, type ExpectStatic, it } from "vitest";
import { killAll, member, npmStart, survivors, tree, waitForOutput } from "./process-tree";
import { rawCall } from "./raw";
import { E2E_KMS_KEYS, freePort, freshStateDir, removeStateDir, startServer } from "./server";

// "Within a few seconds": start.mjs gives disposing 5 s before it exits regardless.
const STOP_LIMIT_MS = 10_000;
const READY = /^secrets-edge ready on http:\/\/127\.0\.0\.1:(\d+) \(state in (.+)\)$/m;
const stateDirs: string[] = [];
afterAll(() => stateDirs.forEach(removeStateDir));

/** npm start on a free port and a state directory of its own, once it has printed its one ready line. */
async function running(expect: ExpectStatic) {
  const port = await freePort();
  const stateDir = freshStateDir();
  stateDirs.push(stateDir);
  const start = npmStart(port, stateDir);
  await waitForOutput(start, READY);
  const processes = tree(start.child.pid!);
  // The ready line names the URL and the state directory, once.
  expect([...start.output().matchAll(new RegExp(READY, "gm"))].map(([, readyPort, readyState]) => [Number(readyPort), readyState])).toEqual([[port, stateDir]]);
  return { port, start, processes, pids: processes.map((p) => p.pid) };
}

/** Whether the port answers HTTP within `limitMs` (a refused connection answers false at once). */
async function portAnswers(port: number, limitMs = 2_000): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(limitMs) });
    return true;
  } catch {
    return false;
  }
}

// Each case starts its own npm start and checks its ready line; they run side by side (the e2e project's
// maxConcurrency bounds how many).
describe.concurrent("stopping npm start", () => {
  const cases: [string, RegExp | "group", NodeJS.Signals][] = [
    ["SIGTERM to npm", /^npm start/, "SIGTERM"],
    ["SIGTERM to npm's shell", /^sh -c node scripts\/start\.mjs$/, "SIGTERM"],
    ["SIGTERM to node scripts/start.mjs", /^node scripts\/start\.mjs$/, "SIGTERM"],
    ["SIGINT to the process group (Ctrl-C)", "group", "SIGINT"],
    ["SIGTERM to workerd", /bin\/workerd serve/, "SIGTERM"],
    ["SIGTERM to the workerd leash", /workerd-leash\.sh/, "SIGTERM"],
    ["SIGKILL to node scripts/start.mjs", /^node scripts\/start\.mjs$/, "SIGKILL"],
  ];
  it.for(cases)("%s stops every process of the tree and frees the port", { timeout: 180_000 }, async ([, target, signal], { expect }) => {
    const { port, start, processes, pids } = await running(expect);
    try {
      expect(processes.map((p) => p.args).join("\n")).toMatch(/bin\/workerd serve/);
      // The first request after the ready line can be slow on a busy machine (workerd compiles on demand).
      expect(await portAnswers(port, 30_000)).toBe(true);
      if (target === "group") process.kill(-start.child.pid!, signal);
      else process.kill(member(processes, target).pid, signal);
      expect(await survivors(pids, STOP_LIMIT_MS)).toEqual([]);
      expect(await portAnswers(port)).toBe(false);
    } finally {
      killAll(pids);
    }
  });
});

describe.concurrent("starting npm start", () => {
  const flags: [string, string[]][] = [["PORT", []], ["--port", ["--port"]]];
  it.for(flags)("answers a taken port (%s) with one line naming PORT=… npm start", { timeout: 120_000 }, async ([, flag], { expect }) => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, "127.0.0.1", () => resolve((holder.address() as { port: number }).port)));
    try {
      const stateDir = freshStateDir();
      stateDirs.push(stateDir);
      const start = flag.length ? npmStart(1, stateDir, {}, [...flag, String(port)]) : npmStart(port, stateDir);
      expect(await start.exited).not.toBe(0);
      const ours = start.output().split("\n").filter((line) => line && !line.startsWith(">") && !line.startsWith("npm "));
      expect(ours).toEqual([`Port ${port} on 127.0.0.1 is already in use (another server running?); start on another port with: PORT=${port + 1} npm start`]);
    } finally {
      holder.close();
    }
  });
});

describe("key ring safety", () => {
  const ownState = freshStateDir();
  afterAll(() => removeStateDir(ownState));
  const OTHER_RING = { "alias/aws/secretsmanager": { current: "1", versions: { "1": Buffer.alloc(32, 7).toString("base64") } } };

  it("refuses to start with a ring that lacks a key the state's secrets depend on, naming the key", async () => {
    const server = await startServer({ stateDir: ownState });
    const created = await rawCall(server.endpoint, "CreateSecret", { Name: "ring/kept", SecretString: "v", ClientRequestToken: crypto.randomUUID() });
    expect(created.status, created.text).toBe(200);
    await server.stop();

    // The state's key material is still in the ring, but under another name: it does not count.
    const ring = { ...OTHER_RING, "alias/other": E2E_KMS_KEYS["alias/aws/secretsmanager"] };
    const start = npmStart(await freePort(), ownState, { KMS_KEYS: JSON.stringify(ring) });
    expect(await start.exited).toBe(1);
    expect(start.output()).toMatch(/holds a different key as key alias\/aws\/secretsmanager version 1 \(key check value [0-9a-f]{16}\)/);
    expect(start.output()).not.toMatch(/secrets-edge ready/);
    for (const key of [OTHER_RING, E2E_KMS_KEYS]) expect(start.output()).not.toContain(key["alias/aws/secretsmanager"].versions["1"]);
  }, 240_000);

  it("never generates a key ring over existing state", async () => {
    const start = npmStart(await freePort(), ownState, { KMS_KEYS: undefined });
    expect(await start.exited).toBe(1);
    expect(start.output()).toMatch(/No key ring: KMS_KEYS is in neither .* nor the environment, but .* holds secrets/);
    const devVars = `${ownState}/dev.vars`;
    expect(existsSync(devVars) ? readFileSync(devVars, "utf8") : "").not.toMatch(/KMS_KEYS/);
  }, 120_000);

  it("starts again with the ring the state was written with, and its secret reads back", async () => {
    const server = await startServer({ stateDir: ownState });
    try {
      const read = await rawCall(server.endpoint, "GetSecretValue", { SecretId: "ring/kept" });
      expect(read.status, read.text).toBe(200);
    } finally {
      await server.stop();
    }
  }, 180_000);
});

