// `npm start`: the local server (workerd + miniflare) on 127.0.0.1, state kept on disk.
// Adds a fresh local key ring and the local access key to .dev.vars when absent, applies the local D1 migrations,
// bundles the Worker as `wrangler deploy` does and serves it with Miniflare, configured from wrangler.toml.
// Environment: PORT (default 8787), STATE_DIR (default .wrangler/state), KMS_KEYS / ACCESS_KEYS override .dev.vars,
// BENCH_NOOP=1 turns on the benchmark's no-op routes (bench/load.mjs), INSPECTOR_PORT opens the V8 inspector (bench/profile.mjs).
// --verbose logs every request.
//
// Why not `wrangler dev`: it puts a second workerd (its hot-reload proxy) in front of the Worker, which costs as
// much CPU per request as the Worker itself (README "Benchmarks"). `npx wrangler dev --persist-to .wrangler/state`
// serves the same state with reloads, for editing.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions as workerOptionsFrom } from "wrangler";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const state = process.env.STATE_DIR ?? ".wrangler/state";
const verbose = process.argv.includes("--verbose");
const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
// No telemetry, update checks or Request.cf download: the local server needs nothing from the network.
Object.assign(process.env, { WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false" });

// The documented local key pair (README "Access keys"); replace it in .dev.vars or the environment.
const LOCAL_ACCESS_KEYS = [{ accessKeyId: "test", secretAccessKey: "test", accountId: "111122223333" }];

const devVars = `${root}/.dev.vars`;
const existing = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
if (existing && !existing.endsWith("\n")) appendFileSync(devVars, "\n");
if (!/^KMS_KEYS=/m.test(existing)) {
  const kmsKeys = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
  appendFileSync(devVars, `KMS_KEYS='${JSON.stringify(kmsKeys)}'\n`, { mode: 0o600 });
  console.log("Added a new local key ring (KMS_KEYS) to .dev.vars. Keep it: it decrypts your local secrets.");
}
if (!/^ACCESS_KEYS=/m.test(existing)) {
  appendFileSync(devVars, `ACCESS_KEYS='${JSON.stringify(LOCAL_ACCESS_KEYS)}'\n`, { mode: 0o600 });
  console.log("Added the local access key pair test/test (account 111122223333) to .dev.vars.");
}

/** Runs a wrangler command to completion (quietly unless it fails). */
function runWrangler(...args) {
  const run = spawnSync(process.execPath, [wrangler, ...args], { cwd: root, env: { ...process.env, CI: "true" }, encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout}${run.stderr}`);
    process.exit(run.status ?? 1);
  }
}

runWrangler("d1", "migrations", "apply", "secrets-index", "--local", "--persist-to", state);
// Each server its own bundle: tests start several at once.
const build = mkdtempSync(join(tmpdir(), "secrets-edge-build-"));
process.on("exit", () => rmSync(build, { recursive: true, force: true }));
runWrangler("deploy", "--dry-run", "--outdir", build);

// wrangler.toml's bindings and .dev.vars, as wrangler dev would read them; the environment overrides .dev.vars.
const { workerOptions } = workerOptionsFrom(`${root}/wrangler.toml`);
for (const name of ["KMS_KEYS", "ACCESS_KEYS", "BENCH_NOOP", "REPLICA_REGIONS_UNAVAILABLE"]) {
  if (process.env[name]) workerOptions.bindings = { ...workerOptions.bindings, [name]: process.env[name] };
}

const server = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port,
    // The same layout as `wrangler dev --persist-to`, so wrangler dev and wrangler d1 commands see this state.
    resourcePersistencePath: `${state}/v3`,
    log: new Log(verbose ? LogLevel.INFO : LogLevel.WARN),
    logRequests: verbose,
    unsafeTriggerHandlers: true,
    ...(process.env.INSPECTOR_PORT && { inspectorPort: Number(process.env.INSPECTOR_PORT), inspectorHost: "127.0.0.1" }),
    workers: [
      {
        ...workerOptions,
        // The bundle is already one ES module: no module rules to apply.
        modulesRules: undefined,
        // wrangler.toml's name: Durable Object storage is kept under it, as wrangler dev keeps it.
        name: "secrets-edge",
        modules: true,
        rootPath: build,
        scriptPath: "index.js",
      },
    ],
  }),
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => void server.dispose().finally(() => process.exit(0)));
}
await server.ready;
console.log(`secrets-edge ready on http://127.0.0.1:${port} (state in ${state})`);
