// A throwaway PostgreSQL server on loopback for tests (Node side: vitest global setup, e2e). initdb in a temp dir,
// owned by the `postgres` user when we run as root (PostgreSQL refuses to run as root), on a free port. The global
// setups of the `loopback` and `e2e` projects share one per run (sharedPostgres).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./server";

export interface PostgresServer {
  host: string;
  port: number;
  /** The superuser, with a password (connections are scram-sha-256 over TCP). */
  user: string;
  password: string;
  stop(): void;
}

const VERSIONS = ["15", "16", "17"];
const PREFIX = "secrets-edge-pg-";

/** Runs a PostgreSQL tool, as the `postgres` user when we are root (PostgreSQL refuses to run as root). */
function runTool(bin: string, tool: string, args: string[], cwd: string): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? "runuser" : join(bin, tool);
  const argv = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args;
  const result = spawnSync(command, argv, { encoding: "utf8", cwd });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Stops and removes servers whose test process is gone (killed before its teardown ran). */
function stopOrphans(bin: string): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (owner === undefined || alive(Number(owner))) continue;
    const dir = join(tmpdir(), name);
    try {
      if (existsSync(join(dir, "data", "postmaster.pid"))) runTool(bin, "pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"], dir);
    } catch {
      // Already stopped: only its files are left.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bin directory of an installed PostgreSQL server (Debian layout), or of initdb on PATH. */
export function postgresBin(): string | undefined {
  for (const version of VERSIONS) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim().replace(/\/initdb$/, "") : undefined;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (Debian: apt-get install postgresql)");
  const asRoot = process.getuid?.() === 0;
  stopOrphans(bin);
  // The owner's pid in the name lets a later run stop a server whose test process was killed.
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const data = join(dir, "data");
  const password = crypto.randomUUID();
  const port = await freePort();
  writeFileSync(join(dir, "pwfile"), password);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
    chownSync(join(dir, "pwfile"), uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (tool: string, args: string[]) => runTool(bin, tool, args, dir);
  run("initdb", ["-D", data, "-U", "postgres", "--pwfile", join(dir, "pwfile"), "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c max_connections=40`;
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", options, "-w", "-t", "60", "start"]);
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    stop() {
      if (existsSync(join(data, "postmaster.pid"))) run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Shared {
  server: Promise<PostgresServer>;
  users: number;
}
const SHARED = Symbol.for("secrets-edge.test-postgres");

/**
 * One server for every global setup of the run that asks (they all run in vitest's main process): started by the
 * first, stopped when the last releases it.
 */
export async function sharedPostgres(): Promise<{ server: PostgresServer; release(): void }> {
  const holder = globalThis as { [SHARED]?: Shared };
  const shared = (holder[SHARED] ??= { server: startPostgres(), users: 0 });
  shared.users++;
  let server: PostgresServer;
  try {
    server = await shared.server;
  } catch (error) {
    if (--shared.users === 0) delete holder[SHARED];
    throw error;
  }
  let released = false;
  return {
    server,
    release() {
      if (released) return;
      released = true;
      if (--shared.users > 0) return;
      delete holder[SHARED];
      server.stop();
    },
  };
}
