// `npm start` as a user runs it, for the process-lifecycle tests: started in a process group of its own with the
// test keys (server.ts serverEnv), its output collected, and its process tree (npm, sh, node, the workerd leash,
// workerd) read from `ps`, so a test can signal any one process and watch the whole tree go.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { ROOT, serverEnv } from "./server";

export interface TreeProcess {
  pid: number;
  ppid: number;
  args: string;
}

export interface NpmStart {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once npm exits. */
  exited: Promise<number | null>;
}

/** Spawns `npm start` (its own process group) with a test server's environment. */
export function npmStart(port: number, stateDir: string, env: Record<string, string | undefined> = {}, args: string[] = []): NpmStart {
  const child = spawn("npm", ["start", ...(args.length ? ["--", ...args] : [])], {
    cwd: ROOT,
    env: serverEnv(port, stateDir, env),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits for a line matching `pattern` in the output; throws with the output after `limitMs`. */
export async function waitForOutput(start: NpmStart, pattern: RegExp, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!pattern.test(start.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${limitMs} ms; output:\n${start.output()}`);
    await sleep(200);
  }
}

/** Every living (not zombie) process. */
function processes(): TreeProcess[] {
  return execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[3]!.startsWith("Z"))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[4]! }));
}

/** The process and all its descendants. */
export function tree(root: number): TreeProcess[] {
  const all = processes();
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i]!.pid));
  return found;
}

/** The one process of `tree` whose command line matches. */
export function member(processes: TreeProcess[], pattern: RegExp): TreeProcess {
  const matches = processes.filter((p) => pattern.test(p.args));
  if (matches.length !== 1) throw new Error(`expected one process matching ${pattern}, got:\n${processes.map((p) => `${p.pid} ${p.args}`).join("\n")}`);
  return matches[0]!;
}

/** Which of these processes are still alive after `limitMs` (empty as soon as all are gone). */
export async function survivors(pids: number[], limitMs: number): Promise<TreeProcess[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const alive = processes().filter((p) => pids.includes(p.pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await sleep(100);
  }
}

/** SIGKILLs whatever of these is left (cleanup after a failed test). */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
