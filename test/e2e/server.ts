// The local server as `npm start` runs it (scripts/start.mjs: miniflare → workerd), on a free loopback
// port and a state directory of the caller's choosing; started, awaited, stopped and restarted by tests.
// It brings its own keys (E2E_ACCESS_KEYS, E2E_KMS_KEYS) and its own dev-vars path (DEV_VARS, in its state
// directory): the working copy's .dev.vars and .wrangler/state are never read or written.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The README's local key pair, which the e2e clients sign with (client.ts CREDENTIALS). */
export const E2E_ACCESS_KEYS = [{ accessKeyId: "test", secretAccessKey: "test", accountId: "111122223333" }];
/** A fixed key ring for test servers. */
/** A customer key beside the default, for replicas sealed under a key of their own (cross-client/scenarios/replication.ts). */
export const REPLICA_KEY = "alias/replica-key";

export const E2E_KMS_KEYS = {
  "alias/aws/secretsmanager": { current: "1", versions: { "1": "ZTJlLWxvY2FsLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=" } },
  [REPLICA_KEY]: { current: "1", versions: { "1": "cmVwbGljYS1rZXktMDEyMzQ1Njc4OWFiY2RlZjAxMjM=" } },
};

/**
 * The environment of a test server: its port and state, the test keys (`extra` may replace them, or remove one
 * by mapping it to undefined), and a dev-vars file of its own in the state directory.
 */
export function serverEnv(port: number, stateDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KMS_KEYS: JSON.stringify(E2E_KMS_KEYS),
    ACCESS_KEYS: JSON.stringify(E2E_ACCESS_KEYS),
    DEV_VARS: join(stateDir, "dev.vars"),
    ...extra,
    PORT: String(port),
    STATE_DIR: stateDir,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}
const START_LIMIT_MS = 90_000;
const STOP_LIMIT_MS = 15_000;
const LOG_LINES = 80;

export interface LocalServer {
  readonly endpoint: string;
  readonly port: number;
  readonly stateDir: string;
  /** SIGTERM to the whole process group (start.mjs and its workerd), SIGKILL if it lingers. */
  stop(): Promise<void>;
  /** SIGKILL to the whole process group at once: no shutdown of any kind, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** Starts it again after stop() or kill(), on the same port and state directory. */
  start(): Promise<void>;
  /** Stops the server and starts it again on the same port and state directory. */
  restart(): Promise<void>;
  /** The last lines the current (or last) server process printed. */
  log(): string[];
}

/** A fresh, empty state directory under the OS temp dir. */
export const freshStateDir = (): string => mkdtempSync(join(tmpdir(), "secrets-edge-e2e-"));

export const removeStateDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/**
 * Starts `node scripts/start.mjs` with PORT and STATE_DIR and resolves once it answers HTTP. `env` adds to its
 * environment, e.g. ACCESS_KEYS or KMS_KEYS, which start.mjs passes to the Worker in place of .dev.vars.
 */
export async function startServer(options: { stateDir: string; port?: number; env?: Record<string, string>; root?: string }): Promise<LocalServer> {
  const port = options.port ?? (await freePort());
  const extraEnv = options.env ?? {};
  const root = options.root ?? ROOT;
  let running = await launch(port, options.stateDir, extraEnv, root);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stateDir: options.stateDir,
    stop: () => running.stop(),
    kill: () => running.kill(),
    async start() {
      running = await launch(port, options.stateDir, extraEnv, root);
    },
    async restart() {
      await running.stop();
      running = await launch(port, options.stateDir, extraEnv, root);
    },
    log: () => running.log(),
  };
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, for a server that binds it a moment later. It is
 * drawn below the kernel's ephemeral range (32768 and up on Linux): a port from listen(0) lies inside it, where
 * any outgoing connection of the busy test run may take it as its local port before the server binds.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (EPHEMERAL_START - FIRST_PORT));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${FIRST_PORT}-${EPHEMERAL_START - 1} after 50 tries`);
}

const FIRST_PORT = 20_000;
const EPHEMERAL_START = 32_768;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

// Process groups still alive: killed outright if the test process exits without stopping them.
const live = new Set<number>();
process.once("exit", () => {
  for (const pgid of live) signalGroup(pgid, "SIGKILL");
});

async function launch(
  port: number,
  stateDir: string,
  extraEnv: Record<string, string>,
  root: string,
): Promise<{ stop(): Promise<void>; kill(): Promise<void>; log(): string[] }> {
  // detached: start.mjs leads a new process group, so one signal reaches its workerd too.
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: serverEnv(port, stateDir, extraEnv),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not spawn scripts/start.mjs");
  live.add(pgid);
  const log = collectLog(child);
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`exited (code ${code}, signal ${signal})`)));

  const stop = async () => {
    if (!live.has(pgid)) return;
    signalGroup(pgid, "SIGTERM");
    if (!(await groupGone(pgid, STOP_LIMIT_MS))) {
      signalGroup(pgid, "SIGKILL");
      await groupGone(pgid, 5_000);
    }
    live.delete(pgid);
  };

  const kill = async () => {
    if (!live.has(pgid)) return;
    signalGroup(pgid, "SIGKILL");
    await groupGone(pgid, 10_000);
    live.delete(pgid);
  };

  const failure = await Promise.race([waitUntilAnswering(port), exited]);
  if (failure !== undefined) {
    await stop();
    throw new Error(`local server on port ${port} ${failure}; last output:\n${log().join("\n")}`);
  }
  return { stop, kill, log };
}

/** Polls POST / until any HTTP answer; returns a reason string if the time limit passes first. */
async function waitUntilAnswering(port: number): Promise<string | undefined> {
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}", signal: AbortSignal.timeout(2_000) });
      return undefined;
    } catch {
      await sleep(250);
    }
  }
  return `did not answer within ${START_LIMIT_MS / 1000} s`;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function groupGone(pgid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}

/** Keeps the last lines of the server's output (pipes must be drained anyway) for startup failures. */
function collectLog(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n"));
    if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => lines;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
