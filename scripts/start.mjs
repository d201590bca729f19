// `npm start`: the local server (wrangler dev: workerd + miniflare) on 127.0.0.1, state kept on disk.
// Adds a fresh local key ring and the local access key to .dev.vars when absent; applies the local D1 migrations.
// Environment: PORT (default 8787), STATE_DIR (default .wrangler/state), KMS_KEYS / ACCESS_KEYS override .dev.vars,
// BENCH_NOOP=1 turns on the benchmark's no-op routes (bench/load.mjs).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT ?? "8787";
const state = process.env.STATE_DIR ?? ".wrangler/state";
const wrangler = [fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url))];
// No telemetry, update checks or Request.cf download: the local server needs nothing from the network.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

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

const migrate = spawnSync(process.execPath, [...wrangler, "d1", "migrations", "apply", "secrets-index", "--local", "--persist-to", state], {
  cwd: root,
  env: { ...env, CI: "true" },
  stdio: ["ignore", "inherit", "inherit"],
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// A log line per request costs wrangler's Node process as much CPU as a whole request costs the Worker:
// `npm start` logs warnings only; `npm run dev` (--verbose) logs every request.
const logging = process.argv.includes("--verbose") ? [] : ["--log-level", "warn"];
const overrides = ["KMS_KEYS", "ACCESS_KEYS", "BENCH_NOOP"].filter((name) => process.env[name]).flatMap((name) => ["--var", `${name}:${process.env[name]}`]);
const server = spawn(
  process.execPath,
  [...wrangler, "dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", state, "--show-interactive-dev-session=false", ...logging, ...overrides],
  { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));

// With request logs off, wrangler says little: announce readiness ourselves once the server answers.
(async () => {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      console.log(`secrets-edge ready on http://127.0.0.1:${port} (state in ${state})`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
})();
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
