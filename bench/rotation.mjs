// `npm run bench:rotation`: what a rotation costs, end to end. The local server (node scripts/start.mjs, its own temp
// STATE_DIR and DEV_VARS, a fresh key ring) and the template-style Python rotation function over the Lambda Invoke
// API (test/e2e/rotation/invoke_server.py, boto3 calling the server back) on loopback; for each of ROTATIONS secrets,
// the time from sending RotateSecret to DescribeSecret first showing AWSCURRENT on the new version (polled every
// POLL_MS, so figures are at most POLL_MS late). Rotations run one after another. Writes bench/results/rotation.json
// and prints a summary. BENCH_ROTATIONS (default 20) overrides the count.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  CreateSecretCommand, DescribeSecretCommand, RotateSecretCommand, SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { freePort, sleep } from "./lib/loopback.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROTATIONS = Number(process.env.BENCH_ROTATIONS ?? 20);
const POLL_MS = 5;
const FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:bench-rotator";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

const work = mkdtempSync(join(tmpdir(), "secrets-edge-bench-rotation-"));
const children = [];
const cleanup = () => {
  for (const child of children) if (child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const awsEnv = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };

// The function, on a port of its own choosing.
const fn = spawn("python3", [join(ROOT, "test/e2e/rotation/invoke_server.py")], {
  env: { ...process.env, ...awsEnv, SECRETS_MANAGER_ENDPOINT: endpoint }, stdio: ["ignore", "pipe", "inherit"], detached: true,
});
children.push(fn);
const fnPort = await new Promise((resolve, reject) => {
  fn.once("exit", (code) => reject(new Error(`the rotation function server exited (${code})`)));
  createInterface({ input: fn.stdout }).on("line", (line) => {
    const match = /^listening on (\d+)$/.exec(line);
    if (match) resolve(Number(match[1]));
  });
});

const kmsKeys = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
const server = spawn(process.execPath, ["scripts/start.mjs"], {
  cwd: ROOT,
  env: {
    ...process.env, PORT: String(port), STATE_DIR: join(work, "state"), DEV_VARS: join(work, "dev.vars"),
    KMS_KEYS: JSON.stringify(kmsKeys), ACCESS_KEYS: JSON.stringify([{ ...credentials, accountId: "111122223333" }]),
    ROTATION_FUNCTIONS: JSON.stringify({ [FUNCTION]: { url: `http://127.0.0.1:${fnPort}/2015-03-31/functions/function/invocations` } }),
  },
  stdio: ["ignore", "inherit", "inherit"], detached: true,
});
children.push(server);
for (let i = 0; ; i++) {
  if (await fetch(endpoint).then(() => true, () => false)) break;
  if (i > 900) throw new Error("the server did not answer within 90 s");
  await sleep(100);
}

const sm = new SecretsManagerClient({ endpoint, region: "us-east-1", credentials });
const times = [];
for (let i = 0; i < ROTATIONS + 1; i++) {
  const name = `bench/rotation-${randomUUID().slice(0, 8)}`;
  await sm.send(new CreateSecretCommand({ Name: name, SecretString: "initial" }));
  const token = randomUUID();
  const started = performance.now();
  await sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: token, RotationLambdaARN: FUNCTION }));
  for (;;) {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    if (d.VersionIdsToStages?.[token]?.includes("AWSCURRENT")) break;
    if (performance.now() - started > 120_000) throw new Error(`rotation of ${name} did not finish within 120 s`);
    await sleep(POLL_MS);
  }
  // The first rotation warms the Worker, the function's interpreter and boto3: not counted.
  if (i > 0) times.push(performance.now() - started);
}

times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
const summary = {
  rotations: times.length, pollMs: POLL_MS, minMs: +times[0].toFixed(1), p50Ms: +at(0.5).toFixed(1), p90Ms: +at(0.9).toFixed(1),
  maxMs: +times.at(-1).toFixed(1), loadavg: loadavg().map((l) => +l.toFixed(2)), at: new Date().toISOString(),
};
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(join(ROOT, "bench/results/rotation.json"), `${JSON.stringify({ ...summary, timesMs: times.map((t) => +t.toFixed(1)) }, null, 2)}\n`);
console.log(`rotation (RotateSecret → AWSCURRENT moved, template-style Python function over the Invoke API, ${times.length} rotations):`);
console.log(`  min ${summary.minMs} ms, p50 ${summary.p50Ms} ms, p90 ${summary.p90Ms} ms, max ${summary.maxMs} ms (load average ${summary.loadavg.join(" ")})`);
process.exit(0);
