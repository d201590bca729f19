// `npm run bench:replication`: replication lag through the real local server: from a PutSecretValue acknowledged by
// the primary (us-east-1) to the first GetSecretValue in each replica region that answers the new value.
// Writes bench/results/replication.json and replication.md and prints the table.
//
// Method (README "Replication"): one server (test/e2e/server.ts startServer, a fresh state directory, loopback), one
// secret with replicas in eu-west-1 and ap-southeast-2 (the second under a key of its own), waited InSync. Then a
// bounded burst of BENCH_REPL_WRITES sequential writes: each PutSecretValue is timed to its answer, then each
// region's AWS SDK client (only its region differs) polls GetSecretValue back to back until it answers the new
// value; the lag is that answer's arrival minus the write's acknowledgement, so it includes up to one poll round
// trip. Both regions are polled at once. Environment: BENCH_REPL_WRITES (default 100), BENCH_KEEP=1 keeps the state.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { freePort } from "./lib/loopback.mjs";


const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "bench/results");
const WRITES = Number(process.env.BENCH_REPL_WRITES ?? 100);
const REGIONS = ["eu-west-1", "ap-southeast-2"];
const POLL_LIMIT = 2_000;

/** `node scripts/start.mjs` on a free loopback port with its own state directory, as `npm start` runs it. */
async function startServer(stateDir, env) {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT, detached: true, stdio: "ignore", env: { ...process.env, ...env, PORT: String(port), STATE_DIR: stateDir },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  };
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    if (await fetch(endpoint).then(() => true, () => false)) return { endpoint, stop };
  }
  await stop();
  throw new Error("the server did not start");
}

const key = () => ({ current: "1", versions: { "1": randomBytes(32).toString("base64") } });
const stateDir = mkdtempSync(join(tmpdir(), "secrets-edge-bench-"));
const server = await startServer(stateDir, {
  KMS_KEYS: JSON.stringify({ "alias/aws/secretsmanager": key(), "alias/replica": key() }),
  ACCESS_KEYS: JSON.stringify([{ accessKeyId: "test", secretAccessKey: "test", accountId: "111122223333" }]),
  DEV_VARS: join(stateDir, "dev.vars"),
});
const client = (region) => new SecretsManagerClient({ endpoint: server.endpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
const primary = client("us-east-1");
const replicas = Object.fromEntries(REGIONS.map((r) => [r, client(r)]));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 100) / 100;

try {
  const name = `bench/replication-${randomUUID().slice(0, 8)}`;
  await primary.send(new CreateSecretCommand({
    Name: name, SecretString: "v-start", AddReplicaRegions: [{ Region: REGIONS[0] }, { Region: REGIONS[1], KmsKeyId: "alias/replica" }],
  }));
  for (let i = 0; ; i++) {
    const { ReplicationStatus } = await primary.send(new DescribeSecretCommand({ SecretId: name }));
    if (ReplicationStatus.every((r) => r.Status === "InSync")) break;
    if (i > 200) throw new Error(`replicas did not come InSync: ${JSON.stringify(ReplicationStatus)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ack = [];
  const lag = Object.fromEntries(REGIONS.map((r) => [r, []]));
  let polls = 0;
  for (let i = 0; i < WRITES; i++) {
    const value = `v-${i}`;
    const start = performance.now();
    await primary.send(new PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: randomUUID() }));
    const acknowledged = performance.now();
    ack.push(acknowledged - start);
    await Promise.all(REGIONS.map(async (region) => {
      for (let p = 0; p < POLL_LIMIT; p++) {
        polls++;
        const got = await replicas[region].send(new GetSecretValueCommand({ SecretId: name }));
        if (got.SecretString === value) return void lag[region].push(performance.now() - acknowledged);
      }
      throw new Error(`${region} never answered ${value}`);
    }));
  }
  const summary = (samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return { n: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)) };
  };
  const result = {
    date: new Date().toISOString(), writes: WRITES, polls, cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    putAck: summary(ack), lag: Object.fromEntries(REGIONS.map((r) => [r, summary(lag[r])])),
  };
  const rows = [["PutSecretValue acknowledged (us-east-1)", result.putAck], ...REGIONS.map((r) => [`replication lag → ${r}`, result.lag[r]])];
  const md = [
    `# Replication lag (${result.date})`,
    "",
    `${WRITES} sequential writes on loopback, ${result.cpus} cores, load average ${result.loadavg.join(" ")} (bench/replication.mjs).`,
    "",
    "| measure | n | p50 ms | p99 ms | max ms |",
    "|---|---|---|---|---|",
    ...rows.map(([label, s]) => `| ${label} | ${s.n} | ${s.p50} | ${s.p99} | ${s.max} |`),
    "",
  ].join("\n");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "replication.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(RESULTS, "replication.md"), md);
  console.log(md);
} finally {
  for (const c of [primary, ...Object.values(replicas)]) c.destroy();
  await server.stop();
  if (process.env.BENCH_KEEP === "1") console.log(`state kept in ${stateDir}`);
  else rmSync(stateDir, { recursive: true, force: true });
}
