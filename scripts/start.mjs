// `npm start`: the local server (wrangler dev: workerd + miniflare) on 127.0.0.1, state kept on disk.
// Creates .dev.vars with a fresh local key ring on first run and applies the local D1 migrations.
// Environment: PORT (default 8787), STATE_DIR (default .wrangler/state), KMS_KEYS / ACCESS_KEYS override .dev.vars.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT ?? "8787";
const state = process.env.STATE_DIR ?? ".wrangler/state";
const wrangler = [fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url))];
// No telemetry, update checks or Request.cf download: the local server needs nothing from the network.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

if (!existsSync(`${root}/.dev.vars`)) {
  const kmsKeys = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
  writeFileSync(`${root}/.dev.vars`, `KMS_KEYS='${JSON.stringify(kmsKeys)}'\n`, { mode: 0o600 });
  console.log("Created .dev.vars with a new local key ring (KMS_KEYS). Keep it: it decrypts your local secrets.");
}

const migrate = spawnSync(process.execPath, [...wrangler, "d1", "migrations", "apply", "secrets-index", "--local", "--persist-to", state], {
  cwd: root,
  env: { ...env, CI: "true" },
  stdio: ["ignore", "inherit", "inherit"],
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const overrides = ["KMS_KEYS", "ACCESS_KEYS"].filter((name) => process.env[name]).flatMap((name) => ["--var", `${name}:${process.env[name]}`]);
const server = spawn(
  process.execPath,
  [...wrangler, "dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", state, "--show-interactive-dev-session=false", ...overrides],
  { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
