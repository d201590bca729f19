// `npm run bench`: this service (started exactly as `npm start` does) and moto's server side by side on loopback,
// driven by one client at the same concurrency. Writes bench/results/load.json and load.md and prints the table.
// BENCH_RESULTS names the result files instead (e.g. `TMPDIR=/dev/shm BENCH_RESULTS=load-tmpfs npm run bench`: state in
// memory, as moto keeps it, to separate what the disk costs a write from what the server does).
//
// Method (README "Benchmarks"):
// - Servers: `node scripts/start.mjs` (miniflare → workerd) with its own temp STATE_DIR, a fresh key ring, the
//   test/test key pair and BENCH_NOOP=1 (two no-op routes: the runtime's ceiling without and with SigV4
//   verification); `moto_server -H 127.0.0.1` from python3. Both on free loopback ports, both seeded with the same
//   32 secrets. Only one server is under load at a time; runs alternate between them operation by operation.
// - Rounds: each run is repeated BENCH_ROUNDS times (3), ours and moto's back to back in each round. This machine's
//   speed drifts by tens of percent within minutes (a shared host), so one pair of runs can land anywhere in that
//   range: a figure is the median over the rounds (req/s, and × moto as the median of each round's ratio), and the
//   spread of the rounds' ratios is shown beside it.
// - Client: node:http with a keep-alive Agent (one socket per concurrent request); every request is signed with
//   @smithy/signature-v4 + Sha256Node (the fastest hasher in Node), as an SDK would. Latency is timed from the
//   signed request's write to the end of its response, so signing never counts as server latency; signing's
//   client CPU is measured separately, and the "pure round trip" pass replays requests signed during warm-up.
// - Load: 32 secrets, requests round-robin over them (so one object is never the only thing measured; PutSecretValue
//   round-robin over 384 secrets of its own in us-west-2, see PUT_SECRET_COUNT), at concurrency
//   16 (a busy service's worth of callers) and 64 (beyond the AWS SDK's default 50 sockets: a saturated server, where
//   queueing shows in p99). At each concurrency reads come first and PutSecretValue last.
// - Bounds: one warm-up pass over every target, then per run WARMUP_S of warm-up and MEASURE_S or MAX_REQUESTS
//   (whichever comes first); about 6 minutes in all with 3 rounds. Override with BENCH_SECONDS, BENCH_WARMUP_SECONDS,
//   BENCH_CONCURRENCY ("16,64"), BENCH_MAX_REQUESTS, BENCH_OPERATIONS ("GetSecretValue,…"); BENCH_KEEP=1 keeps the
//   temp dir (server logs and state).
// - BENCH_AGAINST=<dir> measures against another checkout of this project (e.g. `git worktree add ../base main`, with
//   node_modules) started the same way, instead of moto: the A/B test of a change, ratios per round as above.
// - Figures: req/s, p50/p99 per run; ratios to moto and to the no-op routes; CPU per request of every process of each
//   server (read from /proc), which unlike req/s hardly depends on other load on the machine, also measured.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { freePort } from "./lib/loopback.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "bench/results");
const OUTPUT = process.env.BENCH_RESULTS ?? "load";
const envNumber = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const MEASURE_S = envNumber("BENCH_SECONDS", 3);
const WARMUP_S = envNumber("BENCH_WARMUP_SECONDS", 1);
const MAX_REQUESTS = envNumber("BENCH_MAX_REQUESTS", 100_000);
const ROUNDS = Math.max(1, envNumber("BENCH_ROUNDS", 3));
const AGAINST = process.env.BENCH_AGAINST ? resolve(process.env.BENCH_AGAINST) : undefined;
/** The server ours is compared with: moto, or with BENCH_AGAINST another checkout of this project. */
const OTHER = AGAINST ? "baseline" : "moto";
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "16,64").split(",").map(Number);
const SECRET_COUNT = 32;
const REGION = "us-east-1";
/**
 * PutSecretValue writes to its own secrets, in another region (so ListSecrets in REGION still lists the 32): AWS's
 * quota of 100 versions younger than 24 h per secret, which this service enforces, would otherwise refuse a run's
 * thousands of writes to 32 secrets. Round-robin over PUT_SECRET_COUNT keeps each under the quota.
 */
const PUT_SECRET_COUNT = 384;
const PUT_REGION = "us-west-2";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const START_LIMIT_MS = 120_000;

const OPERATIONS = ["GetSecretValue", "DescribeSecret", "ListSecrets", "PutSecretValue"].filter(
  (op) => !process.env.BENCH_OPERATIONS || process.env.BENCH_OPERATIONS.split(",").includes(op),
);
const READS = new Set(["GetSecretValue", "DescribeSecret", "ListSecrets"]);
/** Ceilings on our runtime: the GetSecretValue request sent to a route that only reads the body (and authenticates). */
const NOOPS = { "no-op": "/__bench/noop", "no-op + SigV4": "/__bench/noop-auth" };

const secretName = (i) => `bench/secret-${String(i).padStart(2, "0")}`;
const putSecretName = (i) => `bench/put-${String(i).padStart(3, "0")}`;
const SECRET_VALUE = JSON.stringify({ username: "app", password: randomBytes(24).toString("base64"), host: "db.internal", port: 5432 });

/** The request body for operation `op`, the n-th request of a run (round-robin over the secrets). */
function bodyFor(op, n) {
  const SecretId = secretName(n % SECRET_COUNT);
  switch (op) {
    case "GetSecretValue":
    case "DescribeSecret":
      return { SecretId };
    case "ListSecrets":
      return {};
    case "PutSecretValue":
      return { SecretId: putSecretName(n % PUT_SECRET_COUNT), ClientRequestToken: randomUUID(), SecretString: SECRET_VALUE };
    default:
      throw new Error(op);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Client: SigV4 signing and a keep-alive HTTP request.

const signerFor = (region) => new SignatureV4({ credentials: CREDENTIALS, region, service: "secretsmanager", sha256: Sha256Node, applyChecksum: false });
const signers = { [REGION]: signerFor(REGION), [PUT_REGION]: signerFor(PUT_REGION) };
/** The region a request is signed for: PutSecretValue and the seeding of its secrets go to PUT_REGION. */
const regionOf = (op, body) => (op === "PutSecretValue" || body?.Name?.startsWith?.("bench/put-") ? PUT_REGION : REGION);

/** A signed request, ready to send: what an SDK puts on the wire for `op` (minus its user-agent headers). */
async function sign(server, op, body, path = "/") {
  const text = JSON.stringify(body);
  const signed = await signers[regionOf(op, body)].sign({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: server.port,
    path,
    query: {},
    headers: {
      host: `127.0.0.1:${server.port}`,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `secretsmanager.${op}`,
    },
    body: text,
  });
  return { path, headers: { ...signed.headers, "content-length": String(Buffer.byteLength(text)) }, body: text };
}

/** Sends one signed request; resolves with the status and body once the whole response has arrived. */
function send(server, agent, req) {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      { host: "127.0.0.1", port: server.port, method: "POST", path: req.path, headers: req.headers, agent },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

async function call(server, op, body, path) {
  const agent = new Agent({ keepAlive: true });
  try {
    const res = await send(server, agent, await sign(server, op, body, path));
    let json;
    try {
      json = JSON.parse(res.body || "{}");
    } catch {
      json = { raw: res.body.slice(0, 200) };
    }
    return { status: res.status, headers: res.headers, json };
  } finally {
    agent.destroy();
  }
}

const errorType = (json) => String(json?.__type ?? "").split("#").pop();

// ---------------------------------------------------------------------------------------------------------------
// Load runs.

/**
 * Runs `concurrency` loops against one target for WARMUP_S, then measures for MEASURE_S or MAX_REQUESTS requests.
 * `next(n)` yields the n-th request: signed on the spot (mode "signed") or taken from a pool signed in warm-up.
 */
async function loadRun(server, concurrency, next, { warmupOnly = false } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const latencies = new Float64Array(MAX_REQUESTS);
  let measured = 0;
  let issued = 0;
  let errors = 0;
  const firstErrors = [];
  let phase = "warmup";
  let measureStart = 0n;
  let measureEnd = 0n;
  const finish = () => {
    if (phase === "done") return;
    phase = "done";
    measureEnd = process.hrtime.bigint();
    cpuAfter.client = process.cpuUsage(cpuBefore.client);
    cpuAfter.server = server.cpu();
    cpuAfter.machine = machineBusy();
  };

  const cpuBefore = {};
  const cpuAfter = {};
  const loop = async () => {
    for (;;) {
      if (phase === "done") return;
      const n = issued++;
      const req = await next(n);
      const t0 = process.hrtime.bigint();
      const counted = phase === "measure";
      let ok = false;
      try {
        const res = await send(server, agent, req);
        ok = res.status === 200;
        if (!ok && firstErrors.length < 3) firstErrors.push(`${res.status} ${res.body.slice(0, 160)}`);
      } catch (error) {
        if (firstErrors.length < 3) firstErrors.push(String(error));
      }
      if (!counted || phase !== "measure") continue;
      if (!ok) errors++;
      if (measured < MAX_REQUESTS) latencies[measured++] = Number(process.hrtime.bigint() - t0) / 1e6;
      if (measured >= MAX_REQUESTS) finish();
    }
  };

  const loops = Array.from({ length: concurrency }, loop);
  await sleep(WARMUP_S * 1000);
  if (warmupOnly) {
    phase = "done";
    await Promise.all(loops);
    agent.destroy();
    return undefined;
  }
  Object.assign(cpuBefore, { client: process.cpuUsage(), server: server.cpu(), machine: machineBusy() });
  measureStart = process.hrtime.bigint();
  phase = "measure";
  const deadline = setTimeout(finish, MEASURE_S * 1000);
  await Promise.all(loops);
  clearTimeout(deadline);
  // Requests still in flight at the end are not counted, and neither is the time they take.
  const seconds = Number(measureEnd - measureStart) / 1e9;
  const client = cpuAfter.client;
  const serverCpu = diffCpu(cpuAfter.server, cpuBefore.server);
  const ours = (client.user + client.system) / 1e6 + Object.values(serverCpu).reduce((a, b) => a + b, 0);
  // Whatever else kept this machine's CPUs busy meanwhile: other programs skew the figures.
  const othersCores = Math.max(0, (cpuAfter.machine - cpuBefore.machine - ours) / seconds);
  agent.destroy();

  const sorted = latencies.subarray(0, measured).sort();
  const ms = (v) => Math.round(v * 100) / 100;
  return {
    requests: measured,
    errors,
    seconds: Math.round(seconds * 1000) / 1000,
    rps: Math.round(measured / seconds),
    p50Ms: ms(percentile(sorted, 0.5)),
    p99Ms: ms(percentile(sorted, 0.99)),
    maxMs: ms(sorted[sorted.length - 1] ?? NaN),
    othersCores: round2(othersCores),
    // CPU seconds per measured second (1.0 is one core busy) and CPU µs per request: this client, and each process
    // of the server's group.
    cpu: {
      client: round2((client.user + client.system) / 1e6 / seconds),
      ...Object.fromEntries(Object.entries(serverCpu).map(([k, v]) => [k, round2(v / seconds)])),
    },
    cpuUsPerRequest: {
      client: Math.round((client.user + client.system) / Math.max(measured, 1)),
      ...Object.fromEntries(Object.entries(serverCpu).map(([k, v]) => [k, Math.round((v * 1e6) / Math.max(measured, 1))])),
    },
    sampleErrors: firstErrors,
  };
}

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const round2 = (v) => Math.round(v * 100) / 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests signed on the spot, one per request, as a real client does. */
const signedEachTime = (server, op, path) => (n) => sign(server, op, bodyFor(op, n), path);

/** A pool of requests signed before the run (valid 15 minutes), replayed: the pure round trip. Reads only. */
async function presigned(server, op, path) {
  const pool = await Promise.all(Array.from({ length: SECRET_COUNT }, (_, i) => sign(server, op, bodyFor(op, i), path)));
  return (n) => pool[n % SECRET_COUNT];
}

// ---------------------------------------------------------------------------------------------------------------
// Servers.

/**
 * A copy of the project as it is now, with node_modules linked: `npm start` runs there, so that edits made while the
 * bench runs cannot disturb it, and the checkout's .dev.vars is
 * left alone.
 */
function snapshot(work) {
  const dir = join(work, "project");
  mkdirSync(dir);
  const skip = new Set(["node_modules", ".git", ".wrangler", ".dev.vars", "bench", "test", "docs"]);
  for (const entry of readdirSync(ROOT)) {
    if (!skip.has(entry)) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Starts a command as the leader of its own process group, output to a log file; resolves once POST / answers. */
async function startServer(name, command, args, env, work, cwd = ROOT) {
  const port = await freePort();
  const log = join(work, `${name}.log`);
  const fd = openSync(log, "w");
  const child = spawn(command, args(port), { cwd, env: { ...process.env, ...env(port) }, detached: true, stdio: ["ignore", fd, fd] });
  const pgid = child.pid;
  groups.add(pgid);
  let exited;
  child.once("exit", (code, signal) => (exited = `exited (code ${code}, signal ${signal})`));
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (exited) throw new Error(`${name} ${exited}; see ${log}:\n${readFileSync(log, "utf8").slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer within ${START_LIMIT_MS / 1000} s; see ${log}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}", signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      await sleep(200);
    }
  }
  return {
    name,
    port,
    pgid,
    log,
    /** CPU seconds used so far by each process of the group, by command name. */
    cpu: () => groupCpu(pgid),
    async stop() {
      signalGroup(pgid, "SIGTERM");
      for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(100);
      if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
      groups.delete(pgid);
    },
  };
}

const groups = new Set();
process.once("exit", () => groups.forEach((pgid) => signalGroup(pgid, "SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const TICKS = 100; // USER_HZ on Linux

/** utime + stime of every live process in a process group, summed by command name (workerd, node, python3…). */
function groupCpu(pgid) {
  const byPid = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue; // field 5 (pgrp)
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS; // fields 14, 15 (utime, stime)
    const name = comm.startsWith("python") || comm === "moto_server" ? "python" : comm;
    byPid.set(pid, { name, seconds });
  }
  return byPid;
}

/** CPU seconds all CPUs of this machine have been busy since boot (/proc/stat: everything but idle and iowait). */
function machineBusy() {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - ticks[3] - ticks[4]) / TICKS;
}

/** CPU seconds per process name between two groupCpu samples; a process started in between counts from zero. */
function diffCpu(after, before) {
  const out = {};
  for (const [pid, { name, seconds }] of after) out[name] = (out[name] ?? 0) + seconds - (before.get(pid)?.seconds ?? 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding.

async function seed(server) {
  for (let i = 0; i < SECRET_COUNT; i++) {
    const res = await call(server, "CreateSecret", {
      Name: secretName(i),
      ClientRequestToken: randomUUID(),
      Description: `benchmark secret ${i}`,
      SecretString: SECRET_VALUE,
      Tags: [
        { Key: "team", Value: "bench" },
        { Key: "env", Value: i % 2 ? "prod" : "staging" },
      ],
    });
    if (res.status !== 200) throw new Error(`${server.name}: CreateSecret ${secretName(i)} answered ${res.status} ${JSON.stringify(res.json)}`);
  }
  // One at a time: moto_server answers concurrent creates with 500s.
  for (let i = 0; i < PUT_SECRET_COUNT; i++) {
    const res = await call(server, "CreateSecret", { Name: putSecretName(i), ClientRequestToken: randomUUID(), SecretString: SECRET_VALUE });
    if (res.status !== 200) throw new Error(`${server.name}: CreateSecret ${putSecretName(i)} answered ${res.status} ${JSON.stringify(res.json)}`);
  }
}

/** Whether the server implements `op`: UnknownOperationException means "not implemented", anything else but 200 is fatal. */
async function probe(server, op) {
  const res = await call(server, op, bodyFor(op, 0));
  if (res.status === 200) return { implemented: true, json: res.json, connection: res.headers.connection ?? "keep-alive" };
  if (errorType(res.json) === "UnknownOperationException") return { implemented: false };
  throw new Error(`${server.name}: ${op} answered ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
}

/** ListSecrets reads the index that the objects' outboxes fill asynchronously: wait until it shows every secret. */
async function waitForIndex(server) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await call(server, "ListSecrets", {});
    if (res.status !== 200) return;
    const listed = res.json.SecretList?.length ?? 0;
    if (listed >= SECRET_COUNT || Date.now() > deadline) return listed;
    await sleep(200);
  }
}

/** Client-side cost of signing one request with @smithy/signature-v4 and Sha256Node. */
async function signingCost(server) {
  const body = bodyFor("GetSecretValue", 0);
  for (let i = 0; i < 2000; i++) await sign(server, "GetSecretValue", body);
  const n = 10_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await sign(server, "GetSecretValue", body);
  const us = Number(process.hrtime.bigint() - t0) / n / 1000;
  return { usPerRequest: Math.round(us * 10) / 10, maxRequestsPerCoreSecond: Math.round(1e6 / us) };
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

const fmt = (v, digits = 0) => (v === undefined || Number.isNaN(v) ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : undefined);

/** The rounds of one run, in round order. */
const roundsOf = (results, server, op, concurrency, mode) =>
  results.filter((r) => r.server === server && r.operation === op && r.concurrency === concurrency && r.mode === mode);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};

/** The round with the median req/s (its latencies and CPU stay those of one real run). */
function find(results, server, op, concurrency, mode = "signed") {
  const rounds = roundsOf(results, server, op, concurrency, mode);
  const ok = rounds.filter((r) => r.status === "ok");
  if (ok.length === 0) return rounds[0];
  const rps = median(ok.map((r) => r.rps));
  return ok.find((r) => r.rps === rps);
}

/** Each round's ratio of our req/s to moto's (runs measured back to back), in round order. */
function roundRatios(results, op, concurrency, mode) {
  const ours = roundsOf(results, "secrets-edge", op, concurrency, mode);
  const moto = roundsOf(results, OTHER, op, concurrency, mode);
  return ours.flatMap((o) => {
    const m = moto.find((r) => r.round === o.round);
    return o.status === "ok" && m?.status === "ok" ? [o.rps / m.rps] : [];
  });
}

function compare(results) {
  const rows = [];
  for (const mode of ["signed", "presigned"]) {
    for (const concurrency of CONCURRENCY) {
      const noop = find(results, "secrets-edge", "no-op", concurrency, mode);
      const noopAuth = find(results, "secrets-edge", "no-op + SigV4", concurrency, mode);
      for (const op of OPERATIONS) {
        const ours = find(results, "secrets-edge", op, concurrency, mode);
        const moto = find(results, OTHER, op, concurrency, mode);
        if (!ours && !moto) continue;
        const row = { operation: op, concurrency, mode, ours: ours ?? null, moto: moto ?? null };
        if (ours?.status === "ok") {
          const ratios = roundRatios(results, op, concurrency, mode);
          row.vsMoto = ratios.length ? round2(median(ratios)) : undefined;
          row.vsMotoRange = ratios.length > 1 ? [round2(Math.min(...ratios)), round2(Math.max(...ratios))] : undefined;
          row.p99VsMoto = moto?.status === "ok" ? ratio(ours.p99Ms, moto.p99Ms) : undefined;
          row.vsNoop = ratio(ours.rps, noop?.rps);
          row.vsNoopAuth = ratio(ours.rps, noopAuth?.rps);
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

function goals(comparison) {
  const out = [];
  if (AGAINST) return out;
  for (const row of comparison.filter((r) => r.mode === "signed")) {
    const at = `${row.operation} @${row.concurrency}`;
    if (row.ours?.status !== "ok") {
      out.push({ goal: `${at}: ≥ 2× moto req/s, lower p99`, met: null, detail: "not implemented" });
      continue;
    }
    out.push({ goal: `${at}: ≥ 2× moto req/s`, met: (row.vsMoto ?? 0) >= 2, detail: `${fmt(row.vsMoto, 2)}×` });
    out.push({ goal: `${at}: p99 below moto's`, met: (row.p99VsMoto ?? Infinity) < 1, detail: `${fmt(row.ours.p99Ms, 1)} vs ${fmt(row.moto?.p99Ms, 1)} ms` });
    if (row.operation === "GetSecretValue") {
      out.push({ goal: `${at}: ≥ 70% of the no-op route's req/s`, met: (row.vsNoop ?? 0) >= 0.7, detail: `${fmt((row.vsNoop ?? 0) * 100)}%` });
    }
  }
  return out;
}

/** µs of server CPU per request for one server and operation over its signed runs: total, and workerd's share. */
function serverCpu(results, server, op) {
  const runs = results.filter((r) => r.server === server && r.operation === op && r.mode === "signed" && r.status === "ok" && r.requests > 0);
  if (runs.length === 0) return undefined;
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const sum = (pick) => runs.reduce((a, r) => a + Object.entries(r.cpuUsPerRequest).filter(([k]) => k !== "client" && pick(k)).reduce((b, [, v]) => b + v * r.requests, 0), 0) / requests;
  return {
    total: sum(() => true),
    worker: sum((k) => k === "workerd"),
  };
}

/** The median ratio, and the rounds' spread: "2.41× (2.20–2.65)". */
const timesMoto = (row) =>
  row.vsMoto === undefined ? "—" : `${fmt(row.vsMoto, 2)}×${row.vsMotoRange ? ` (${fmt(row.vsMotoRange[0], 2)}–${fmt(row.vsMotoRange[1], 2)})` : ""}`;

function markdown(report) {
  const lines = [];
  const { machine, config } = report;
  lines.push("# Load benchmark: secrets-edge vs moto", "");
  lines.push(
    `Generated by \`npm run bench\` (bench/load.mjs) on ${report.generatedAt}. ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, moto ${machine.moto}.`,
    `Both servers on loopback, one under load at a time, same client (node:http keep-alive, SigV4 per request with @smithy/signature-v4 + Sha256Node),`,
    `${config.secrets} secrets each, ${config.warmupSeconds} s warm-up then ${config.measureSeconds} s or ${fmt(config.maxRequests)} requests per run.`,
    `Latency is the round trip of a signed request (signing excluded); client signing costs ${report.signing.usPerRequest} µs/request.`,
    `secrets-edge's state directory is on ${config.stateFilesystem}: ${config.stateFilesystem === "tmpfs" ? "in memory, as moto keeps its state (nothing on disk)" : "every acknowledged write waits for the disk, while moto keeps its state in memory"}.`,
    ...Object.entries(report.connection ?? {})
      .filter(([, value]) => value.toLowerCase() === "close")
      .map(([name]) => `${name} answers every request with \`Connection: close\`, so the client opens a new connection for each of its requests (its server's choice; keep-alive elsewhere).`),
    `Each run was repeated ${config.rounds ?? 1} times, ours and moto's back to back in each round; req/s and latencies are those of the round with the median req/s.`,
    `× ${OTHER}: the median over the rounds of our req/s over ${OTHER}'s in the same round, with the rounds' lowest and highest in brackets; % no-op: our req/s over the no-op route's on the same runtime (without / with SigV4 verification).`,
    "",
  );
  for (const concurrency of CONCURRENCY) {
    lines.push(`## Concurrency ${concurrency}`, "");
    lines.push(`| Operation | secrets-edge req/s | p50 ms | p99 ms | ${OTHER} req/s | p50 ms | p99 ms | × ${OTHER} | % no-op | % no-op + SigV4 |`);
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of report.comparison.filter((r) => r.mode === "signed" && r.concurrency === concurrency)) {
      const o = row.ours;
      const m = row.moto;
      const cells = (r) => (r?.status === "ok" ? [fmt(r.rps), fmt(r.p50Ms, 1), fmt(r.p99Ms, 1)] : [r?.status ?? "—", "", ""]);
      const pct = (v) => (v === undefined ? "—" : `${fmt(v * 100)}%`);
      lines.push(`| ${row.operation} | ${cells(o).join(" | ")} | ${cells(m).join(" | ")} | ${timesMoto(row)} | ${pct(row.vsNoop)} | ${pct(row.vsNoopAuth)} |`);
    }
    for (const name of Object.keys(NOOPS)) {
      const r = find(report.results, "secrets-edge", name, concurrency);
      if (r) lines.push(`| *${name} route* | ${fmt(r.rps)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | | | | | | |`);
    }
    lines.push("");
  }
  const pre = report.comparison.filter((r) => r.mode === "presigned");
  if (pre.length) {
    lines.push(`## Pure round trip (requests signed during warm-up, replayed), concurrency ${report.config.presignedConcurrency}`, "");
    lines.push(`| Operation | secrets-edge req/s | p50 ms | p99 ms | ${OTHER} req/s | p50 ms | p99 ms | × ${OTHER} | % no-op |`);
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of pre) {
      const cells = (r) => (r?.status === "ok" ? [fmt(r.rps), fmt(r.p50Ms, 1), fmt(r.p99Ms, 1)] : [r?.status ?? "—", "", ""]);
      lines.push(`| ${row.operation} | ${cells(row.ours).join(" | ")} | ${cells(row.moto).join(" | ")} | ${timesMoto(row)} | ${row.vsNoop === undefined ? "—" : `${fmt(row.vsNoop * 100)}%`} |`);
    }
    for (const name of Object.keys(NOOPS)) {
      const r = find(report.results, "secrets-edge", name, report.config.presignedConcurrency, "presigned");
      if (r) lines.push(`| *${name} route* | ${fmt(r.rps)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | | | | | |`);
    }
    lines.push("");
  }
  lines.push("## Goals", "", "| Goal | Met | Figure |", "|---|---|---|");
  for (const g of report.goals) lines.push(`| ${g.goal} | ${g.met === null ? "n/a" : g.met ? "yes" : "**no**"} | ${g.detail} |`);
  lines.push("");
  lines.push(
    "## Server CPU per request",
    "",
    "CPU time the server's processes spent per answered request (all signed runs and rounds, both concurrencies). It moves with",
    "the machine's speed too, but for both servers alike. For secrets-edge, workerd runs the Worker, its Durable Objects and the local D1;",
    "the rest is the node process that hosts Miniflare (idle while requests are served).",
    "",
    `| Operation | ${OTHER} ms | secrets-edge ms | of which workerd | ${OTHER} ÷ secrets-edge |`,
    "|---|---:|---:|---:|---:|",
  );
  for (const op of [...Object.keys(NOOPS), ...OPERATIONS]) {
    const ours = serverCpu(report.results, "secrets-edge", op);
    const moto = serverCpu(report.results, OTHER, op);
    if (!ours) continue;
    const ms = (v) => (v === undefined ? "—" : fmt(v / 1000, 2));
    const x = (a, b) => (a && b ? `${fmt(a / b, 2)}×` : "—");
    lines.push(`| ${NOOPS[op] ? `*${op} route*` : op} | ${ms(moto?.total)} | ${ms(ours.total)} | ${ms(ours.worker)} | ${x(moto?.total, ours.total)} |`);
  }
  lines.push("");
  lines.push("## CPU per request by process (µs, the median round of each run at the highest concurrency)", "");
  const top = Math.max(...CONCURRENCY);
  const procs = [...new Set(report.results.filter((r) => r.status === "ok").flatMap((r) => Object.keys(r.cpuUsPerRequest)))];
  lines.push(`| Server | Operation | ${procs.join(" | ")} |`, `|---|---|${procs.map(() => "---:").join("|")}|`);
  const shown = report.results.filter((r) => r.status === "ok" && r.concurrency === top && r.mode === "signed" && find(report.results, r.server, r.operation, top) === r);
  for (const r of shown) {
    lines.push(`| ${r.server} | ${r.operation} | ${procs.map((p) => fmt(r.cpuUsPerRequest[p])).join(" | ")} |`);
  }
  lines.push(
    "",
    "`client` is this benchmark's Node process (signing included); the others are the server's processes: for secrets-edge,",
    "`node` is scripts/start.mjs hosting Miniflare, `workerd` the Worker, its Durable Objects and the local D1.",
    "",
  );
  const reloaded = report.results.filter((r) => r.errors > 0);
  if (reloaded.length) {
    lines.push(`**Invalid runs** (errors): ${reloaded.map((r) => `${r.server} ${r.operation} @${r.concurrency} ${r.mode}`).join(", ")}.`, "");
  }
  const others = report.results.filter((r) => r.status === "ok").map((r) => r.othersCores);
  const worst = Math.max(0, ...others);
  lines.push(
    `Other programs on this machine kept ${fmt(others.reduce((a, b) => a + b, 0) / Math.max(others.length, 1), 2)} CPU cores busy on average during the runs (at most ${fmt(worst, 2)})${worst > 0.25 ? ": **the figures are skewed by that load; rerun on a quiet machine**" : ""}. Load average at start: ${report.machine.loadAverage}.`,
    "",
  );
  return lines.join("\n");
}

/** The commit measured, and whether the work tree differed from it. */
function gitState() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  return { commit: git("rev-parse", "HEAD") || "unknown", dirty: git("status", "--porcelain", "--", "src", "scripts", "wrangler.toml", "migrations") !== "" };
}

// ---------------------------------------------------------------------------------------------------------------
// Main.

async function main() {
  const started = Date.now();
  const loadAtStart = loadavg().map((v) => v.toFixed(2)).join(" ");
  const work = mkdtempSync(join(tmpdir(), "secrets-edge-bench-"));
  const stateDir = join(work, "state");
  const kmsKeys = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
  const accessKeys = [{ ...CREDENTIALS, accountId: "111122223333" }];
  const motoVersion = spawnSync("python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" }).stdout?.trim() || "unknown";
  const motoAvailable = !AGAINST && spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
  if (!motoAvailable && !AGAINST) console.warn("moto_server is not on PATH (pip install 'moto[server]'): measuring secrets-edge alone.");

  console.log(`Starting secrets-edge (npm start) and ${AGAINST ? `the baseline in ${AGAINST}` : "moto_server"} on loopback; state in ${work}`);
  const started_ = await Promise.allSettled([
    startServer("secrets-edge", process.execPath, () => ["scripts/start.mjs"], (port) => ({
      PORT: String(port),
      STATE_DIR: stateDir,
      KMS_KEYS: JSON.stringify(kmsKeys),
      ACCESS_KEYS: JSON.stringify(accessKeys),
      BENCH_NOOP: "1",
    }), work, snapshot(work)),
    motoAvailable ? startServer("moto", "moto_server", (port) => ["-H", "127.0.0.1", "-p", String(port)], () => ({}), work) : undefined,
    AGAINST
      ? startServer("baseline", process.execPath, () => [join(AGAINST, "scripts/start.mjs")], (port) => ({
          PORT: String(port),
          STATE_DIR: join(work, "baseline-state"),
          KMS_KEYS: JSON.stringify(kmsKeys),
          ACCESS_KEYS: JSON.stringify(accessKeys),
        }), work, AGAINST)
      : undefined,
  ]);
  const failed = started_.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started_.map((s) => s.status === "fulfilled" && s.value?.stop()));
    throw failed.reason;
  }
  const [ours, moto, baseline] = started_.map((s) => s.value);
  const servers = [ours, moto ?? baseline].filter(Boolean);
  const results = [];
  try {
    await Promise.all(servers.map(seed));
    const implemented = {};
    const connection = {};
    for (const server of servers) {
      for (const op of OPERATIONS) {
        const probed = await probe(server, op);
        implemented[`${server.name}/${op}`] = probed.implemented;
        if (probed.connection) connection[server.name] = probed.connection;
      }
    }
    if (implemented["secrets-edge/ListSecrets"]) {
      const listed = await waitForIndex(ours);
      if (listed < SECRET_COUNT) console.warn(`ListSecrets shows ${listed} of ${SECRET_COUNT} secrets after 20 s; measuring anyway.`);
    }
    for (const path of Object.values(NOOPS)) {
      const res = await call(ours, "GetSecretValue", bodyFor("GetSecretValue", 0), path);
      if (res.status !== 200) throw new Error(`no-op route ${path} answered ${res.status} ${JSON.stringify(res.json)}: is BENCH_NOOP passed to the Worker?`);
    }
    const signing = await signingCost(ours);
    console.log(`Client signing: ${signing.usPerRequest} µs/request (Sha256Node).`);

    const record = (server, op, concurrency, mode, result) => {
      const entry = { server, operation: op, concurrency, mode, ...result };
      results.push(entry);
      const text =
        entry.status === "ok"
          ? `${fmt(entry.rps).padStart(7)} req/s  p50 ${fmt(entry.p50Ms, 1).padStart(6)} ms  p99 ${fmt(entry.p99Ms, 1).padStart(6)} ms  errors ${entry.errors}`
          : entry.status;
      console.log(`${server.padEnd(13)} ${op.padEnd(15)} c=${String(concurrency).padEnd(3)} ${mode.padEnd(9)} ${text}`);
      if (entry.errors > 0) console.log(`  errors, e.g.: ${entry.sampleErrors.join(" | ")}`);
    };

    const run = async (server, op, concurrency, mode, round, path = "/", target = op) => {
      if (path === "/" && !implemented[`${server.name}/${op}`]) return record(server.name, op, concurrency, mode, { round, status: "not implemented" });
      const next = mode === "signed" ? signedEachTime(server, target, path) : await presigned(server, target, path);
      record(server.name, op, concurrency, mode, { round, status: "ok", ...(await loadRun(server, concurrency, next)) });
    };
    const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);

    // Warm every server up once (JIT, Durable Objects, connections) so that the first measured run is not the cold one.
    const low = Math.min(...CONCURRENCY);
    const warm = (server, op, path = "/") => loadRun(server, low, signedEachTime(server, op, path), { warmupOnly: true });
    for (const path of Object.values(NOOPS)) await warm(ours, "GetSecretValue", path);
    for (const server of servers) {
      for (const op of OPERATIONS.filter((o) => READS.has(o) && implemented[`${server.name}/${o}`])) await warm(server, op);
    }

    // Per concurrency: the two ceilings, then each operation's rounds, each round both servers back to back, so
    // that compared figures are measured seconds apart. Writes last, so that reads see the seeded state.
    for (const concurrency of CONCURRENCY) {
      for (const round of rounds) {
        for (const [name, path] of Object.entries(NOOPS)) await run(ours, name, concurrency, "signed", round, path, "GetSecretValue");
      }
      for (const op of OPERATIONS) {
        for (const round of rounds) {
          for (const server of servers) await run(server, op, concurrency, "signed", round);
        }
      }
    }
    // The pure round trip: read requests signed during warm-up and replayed, at the highest concurrency.
    const top = Math.max(...CONCURRENCY);
    for (const round of rounds) {
      for (const [name, path] of Object.entries(NOOPS)) await run(ours, name, top, "presigned", round, path, "GetSecretValue");
    }
    for (const op of OPERATIONS.filter((o) => READS.has(o))) {
      for (const round of rounds) {
        for (const server of servers) await run(server, op, top, "presigned", round);
      }
    }

    const comparison = compare(results);
    const report = {
      generatedAt: new Date().toISOString(),
      source: gitState(),
      machine: { loadAverage: loadAtStart, cpus: cpus().length, cpuModel: cpus()[0]?.model?.trim() ?? "unknown", node: process.version, moto: motoVersion },
      config: {
        measureSeconds: MEASURE_S,
        warmupSeconds: WARMUP_S,
        maxRequests: MAX_REQUESTS,
        rounds: ROUNDS,
        concurrency: CONCURRENCY,
        presignedConcurrency: top,
        secrets: SECRET_COUNT,
        region: REGION,
        client: "node:http Agent keepAlive, @smithy/signature-v4 + Sha256Node",
        stateFilesystem: spawnSync("stat", ["-f", "-c", "%T", work], { encoding: "utf8" }).stdout?.trim() || "unknown",
      },
      signing,
      /** The Connection header each server answers with: "close" makes the client reconnect for every request. */
      connection,
      results,
      comparison,
      goals: goals(comparison),
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `${OUTPUT}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const md = markdown(report);
    writeFileSync(join(RESULTS, `${OUTPUT}.md`), md);
    console.log(`\n${md}`);
    console.log(`Wrote bench/results/${OUTPUT}.json and bench/results/${OUTPUT}.md in ${report.wallSeconds} s.`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (process.env.BENCH_KEEP === "1") console.log(`Kept ${work} (server logs and state).`);
    else rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1); // the exit handler stops any server still running
}
