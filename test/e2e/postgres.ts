// A throwaway PostgreSQL server on loopback for tests (Node side: vitest global setup, e2e). initdb in a temp dir,
// owned by the `postgres` user when we run as root (PostgreSQL refuses to run as root), on a free port.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  const dir = mkdtempSync(join(tmpdir(), "secrets-edge-pg-"));
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
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? "runuser" : join(bin, tool);
    const argv = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
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
