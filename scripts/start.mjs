// `npm start`: the local server (workerd + miniflare) on 127.0.0.1, state kept on disk.
// Adds a fresh local key ring and the local access key to .dev.vars when absent (never a ring over existing state),
// applies the local D1 migrations, bundles the Worker as `wrangler deploy` does and serves it with Miniflare,
// configured from wrangler.toml; checks the ring against the keys the state depends on, then prints one ready line.
// Environment: PORT (or --port; default 8787), STATE_DIR (default .wrangler/state), DEV_VARS (default .dev.vars),
// KMS_KEYS / ACCESS_KEYS / ROTATION_FUNCTIONS override the dev-vars file, BENCH_NOOP=1 turns on the benchmark's no-op routes
// (bench/load.mjs), INSPECTOR_PORT opens the V8 inspector (bench/profile.mjs). --verbose logs every request.
// SIGTERM, SIGINT or SIGHUP to any process of the tree, or its parent's death, stops all of it (scripts/lib/lifecycle.mjs).
//
// Why not `wrangler dev`: it puts a second workerd (its hot-reload proxy) in front of the Worker, which costs as
// much CPU per request as the Worker itself (README "Benchmarks"). `npx wrangler dev --persist-to .wrangler/state`
// serves the same state with reloads, for editing.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from "miniflare";
import { chosenPort, ensurePortFree, explainStartFailure, leashWorkerd, stopWith } from "./lib/lifecycle.mjs";
import { ensureRingKnown, localKeys } from "./lib/local-keys.mjs";
import { requestLogs } from "./lib/request-logs.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const host = "127.0.0.1";
const port = chosenPort();
const state = process.env.STATE_DIR ?? ".wrangler/state";
const devVars = process.env.DEV_VARS ?? `${root}/.dev.vars`;
const verbose = process.argv.includes("--verbose");
const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
// No telemetry, update checks or Request.cf download: the local server needs nothing from the network.
Object.assign(process.env, { WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false" });

let server;
stopWith(() => server?.dispose());
await ensurePortFree(host, port);
console.log(`Starting secrets-edge on http://${host}:${port} (state in ${state})...`);
const keys = localKeys(devVars, state);
leashWorkerd();

/** Runs a wrangler command to completion (quietly unless it fails). */
async function runWrangler(...args) {
  const child = spawn(process.execPath, [wrangler, ...args], { cwd: root, env: { ...process.env, CI: "true" } });
  const orphaned = () => child.kill();
  process.once("exit", orphaned);
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => (output += chunk));
  const status = await new Promise((resolve) => child.once("close", (code) => resolve(code)));
  process.off("exit", orphaned);
  if (status !== 0) {
    process.stderr.write(output);
    process.exit(status ?? 1);
  }
}

// Each server its own bundle: tests start several at once.
const build = mkdtempSync(join(tmpdir(), "secrets-edge-build-"));
process.on("exit", () => rmSync(build, { recursive: true, force: true }));
// The migrations, the bundle and loading wrangler here are independent: side by side, starting takes the longest
// of them rather than their sum.
const [{ unstable_getMiniflareWorkerOptions: workerOptionsFrom }] = await Promise.all([
  import("wrangler"),
  runWrangler("d1", "migrations", "apply", "secrets-index", "--local", "--persist-to", state),
  runWrangler("deploy", "--dry-run", "--outdir", build),
]);

// wrangler.toml's bindings and the dev-vars file, as wrangler dev would read them; the environment overrides the file.
const { workerOptions } = workerOptionsFrom(`${root}/wrangler.toml`, undefined, { envFiles: [devVars] });
workerOptions.bindings = { ...workerOptions.bindings, ...keys };
// Without --verbose the per-request line would be printed nowhere: the Worker does not write it.
if (!verbose) workerOptions.bindings.REQUEST_LOG = "off";
for (const name of ["BENCH_NOOP", "REPLICA_REGIONS_UNAVAILABLE", "ROTATION_FUNCTIONS"]) {
  if (process.env[name]) workerOptions.bindings[name] = process.env[name];
}

// The console's static files in a worker of their own, which the API Worker's ASSETS binding reaches for /console/:
// Miniflare puts two proxy workers in front of a worker that has assets, and on the one workerd thread those cost every
// API request more than a GetSecretValue's own work (README "Benchmarks"). On Cloudflare the edge serves them instead.
const CONSOLE_WORKER = "secrets-edge-console";
const { assets, ...apiOptions } = workerOptions;

server = new Miniflare(
  convertV4MiniflareOptions({
    host,
    port,
    // The same layout as `wrangler dev --persist-to`, so wrangler dev and wrangler d1 commands see this state.
    resourcePersistencePath: `${state}/v3`,
    log: new Log(verbose ? LogLevel.INFO : LogLevel.WARN),
    logRequests: false,
    handleStructuredLogs: requestLogs,
    unsafeTriggerHandlers: true,
    ...(process.env.INSPECTOR_PORT && { inspectorPort: Number(process.env.INSPECTOR_PORT), inspectorHost: "127.0.0.1" }),
    workers: [
      {
        ...apiOptions,
        serviceBindings: { ...apiOptions.serviceBindings, ASSETS: CONSOLE_WORKER },
        // The bundle is already one ES module: no module rules to apply.
        modulesRules: undefined,
        // wrangler.toml's name: Durable Object storage is kept under it, as wrangler dev keeps it.
        name: "secrets-edge",
        modules: true,
        rootPath: build,
        scriptPath: "index.js",
      },
      {
        name: CONSOLE_WORKER,
        compatibilityDate: apiOptions.compatibilityDate,
        modules: true,
        script: "export default { fetch: () => new Response(null, { status: 404 }) };",
        assets: { ...assets, routerConfig: { has_user_worker: false } },
      },
    ],
  }),
);
await server.ready.catch((error) => explainStartFailure(error, host, port));
await ensureRingKnown(await server.getD1Database("DB"), keys.KMS_KEYS, state, () => server.dispose());
console.log(`secrets-edge ready on http://${host}:${port} (state in ${state})`);
