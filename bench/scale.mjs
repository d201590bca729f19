// `npm run bench:scale`: ListSecrets page times over a D1 index of 1,000, 10,000 and 100,000 secrets, through the
// real local server. Writes bench/results/scale.json and scale.md and prints the table.
//
// Method (README "Benchmarks"):
// - One state directory per size. Its local D1 database is created by the migrations as `npm start` creates it
//   (wrangler d1 migrations apply --local --persist-to), then seeded in its SQLite file
//   (<STATE_DIR>/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite) with node:sqlite before the server starts. The
//   rows are written by src/index-db/secrets-index.ts's own applyIndexEntries (bundled with esbuild) through a small
//   D1 adapter over node:sqlite: the very statements the outbox runs, into secrets, secret_tags and secret_words.
//   Only the index is seeded: these secrets have no Durable Object (ListSecrets reads nothing else).
// - Data (deterministic): account 111122223333, region us-east-1, secrets named team-<t>/service-<s>/db-<i> with
//   10 teams (12% share the prefix team-3/), created 30 s apart; tags env = prod 25% / staging 25% / dev 50%,
//   team, and owner / cost-center on some; a few-word description on 90%; 40% with an AWSPREVIOUS version; 15% on
//   a customer key; 2% scheduled for deletion (not listed).
// - Servers: test/e2e/server.ts startServer (node scripts/start.mjs with its own STATE_DIR on a free loopback port),
//   one per size, all running at once; requests go to one at a time (concurrency 1).
// - Queries, MaxResults 100, default sort (created-date asc): the first page; a deep page (the page 90% into the
//   list, reached once by following NextToken, then re-requested with its token: only that page is timed); a
//   `name` prefix filter (team-3/); a `tag-value` filter (prod). Every response is checked against the generated
//   data (the exact names, in order).
// - Timing: each request is signed with @smithy/signature-v4 and the local test/test key, then timed from its
//   sending to the end of its response over a keep-alive connection (signing excluded). WARMUP rounds, then RUNS
//   rounds; a round sends every query to every size in a shuffled order, so background load hits all sizes alike.
// - Then, servers stopped: each query's plan (list-query.ts choosePlan), its EXPLAIN QUERY PLAN and the SQL time
//   alone (list-query.ts listPage on node:sqlite over the same file) per size, to explain the HTTP figures.
// Environment: BENCH_SCALE_SIZES (default "1000,10000,100000"), BENCH_SCALE_RUNS (50), BENCH_SCALE_WARMUP (10),
// BENCH_KEEP=1 keeps the state directories (their path is printed).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";

// node:sqlite and TypeScript type stripping (test/e2e/server.ts) are experimental in Node 22: say nothing of it.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === "object" ? rest[0]?.type : rest[0];
  if (type === "ExperimentalWarning" || warning?.name === "ExperimentalWarning") return;
  emitWarning.call(process, warning, ...rest);
};
const { DatabaseSync } = await import("node:sqlite");
const { startServer } = await import("../test/e2e/server.ts");

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "bench/results");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const envNumber = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000").split(",").map(Number);
const RUNS = envNumber("BENCH_SCALE_RUNS", 50);
const WARMUP = envNumber("BENCH_SCALE_WARMUP", 10);
const SQL_RUNS = 30;
const PAGE = 100;
const DEEP_FRACTION = 0.9;
const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const NAME_PREFIX = "team-3/";
const TAG_VALUE = "prod";
const SEED_CHUNK = 2000;

const QUERIES = [
  { id: "first-page", label: "First page", filters: [] },
  { id: "deep-page", label: "Deep page (90% in, via NextToken)", filters: [] },
  { id: "name-prefix", label: `\`name\` prefix \`${NAME_PREFIX}\` (12%)`, filters: [{ key: "name", values: [NAME_PREFIX] }] },
  { id: "tag-value", label: `\`tag-value\` \`${TAG_VALUE}\` (~25%)`, filters: [{ key: "tag-value", values: [TAG_VALUE] }] },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (v, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const fmt = (v, digits = 0) => (v === undefined || Number.isNaN(v) ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const sizeLabel = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

// ---------------------------------------------------------------------------------------------------------------
// The project's own index code, bundled from src/ (its TypeScript imports are extensionless).

/** esbuild as wrangler resolves it (wrangler pins it), so no dependency is added for the benchmark. */
const esbuild = createRequire(createRequire(join(ROOT, "package.json")).resolve("wrangler/package.json"))("esbuild");

async function load(entry) {
  const out = await esbuild.build({ entryPoints: [join(ROOT, entry)], bundle: true, write: false, format: "esm", platform: "neutral", logLevel: "silent" });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}

/**
 * The part of D1Database that src/index-db uses, over a node:sqlite connection. D1 runs a batch as one
 * transaction; the seeder wraps each chunk of entries in BEGIN … COMMIT itself.
 */
function d1Over(db) {
  const cache = new Map();
  const prepared = (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const statement = (sql, params) => ({
    sql,
    params,
    bind: (...values) => statement(sql, values),
    run: async () => (prepared(sql).run(...params), { success: true, results: [] }),
    all: async () => ({ success: true, results: prepared(sql).all(...params) }),
    first: async (column) => {
      const row = prepared(sql).get(...params);
      return row === undefined ? null : column === undefined ? row : row[column];
    },
  });
  return {
    prepare: (sql) => statement(sql, []),
    batch: async (statements) => statements.map((s) => (prepared(s.sql).run(...s.params), { success: true, results: [] })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Data.

/** A small seeded PRNG (mulberry32): the same secrets on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ROLES = ["Primary", "Replica", "Read-only", "Analytics", "Migration", "Reporting"];
const ENGINES = ["Postgres", "MySQL", "Redis", "MongoDB", "Kafka", "Elasticsearch"];
const OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

function uuid(rng) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * The i-th secret, as its object's snapshot (src/secret-object/views.ts indexRow) describes it: checked against the
 * rows that CreateSecret, PutSecretValue and DeleteSecret leave in the local D1 (same columns, JSON shapes and
 * revision counting). Rotated secrets were last changed by a PutSecretValue; DeleteSecret leaves lastChangedAt.
 */
function secretRow(rng, i) {
  const pick = (list) => list[Math.floor(rng() * list.length)];
  // team-3 (the name filter's prefix) holds 12%, so that even 1,000 secrets fill its first page; 9.8% each other team.
  const t = rng();
  const team = t < 0.12 ? 3 : [0, 1, 2, 4, 5, 6, 7, 8, 9][Math.floor(((t - 0.12) / 0.88) * 9)];
  const service = Math.floor(rng() * 40);
  const name = `team-${team}/service-${service}/db-${i}`;
  const suffix = Array.from({ length: 6 }, () => pick(ALNUM)).join("");
  const createdAt = T0 + i * 30_000 + Math.floor(rng() * 29_000);
  const rotated = rng() < 0.4;
  const lastChangedAt = rotated ? createdAt + Math.floor(rng() * 30 * DAY) : createdAt;
  const lastAccessedAt = rng() < 0.5 ? Math.floor((lastChangedAt + rng() * 10 * DAY) / DAY) * DAY : null;
  const e = rng();
  const env = e < 0.25 ? "prod" : e < 0.5 ? "staging" : "dev";
  const tags = [
    { Key: "env", Value: env },
    { Key: "team", Value: `team-${team}` },
  ];
  if (rng() < 0.5) tags.push({ Key: "owner", Value: pick(OWNERS) });
  if (rng() < 0.3) tags.push({ Key: "cost-center", Value: `cc-${1000 + Math.floor(rng() * 50)}` });
  const description = rng() < 0.9 ? `${pick(ROLES)} ${pick(ENGINES)} credentials for service-${service}` : null;
  const current = uuid(rng);
  const versionsToStages = rotated ? { [current]: ["AWSCURRENT"], [uuid(rng)]: ["AWSPREVIOUS"] } : { [current]: ["AWSCURRENT"] };
  const deleted = rng() < 0.02;
  const deletedAt = deleted ? lastChangedAt + DAY : null;
  return {
    arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${suffix}`,
    accountId: ACCOUNT,
    region: REGION,
    name,
    description,
    kmsKeyId: rng() < 0.15 ? "alias/payments" : null,
    type: null,
    createdAt,
    lastChangedAt,
    lastAccessedAt,
    deletedAt,
    deletionAt: deleted ? deletedAt + 30 * DAY : null,
    tags,
    versionsToStages,
    tagsSet: true,
    // As an object counts: CreateSecret with a value makes 2, PutSecretValue and DeleteSecret add 1 each.
    revision: 2 + (rotated ? 1 : 0) + (deleted ? 1 : 0),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// State directories: migrations as `npm start` applies them, then the seed.

const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

function migrate(stateDir) {
  const r = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "secrets-index", "--local", "--persist-to", stateDir], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${r.stdout}\n${r.stderr}`);
}

/** The local D1 database's SQLite file (miniflare names it by a hash of the database id). */
function d1File(stateDir) {
  const dir = join(stateDir, "v3/d1/miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(", ") || "none"}`);
  return join(dir, files[0]);
}

/** Seeds `size` secrets; returns what every query's pages must show (names of active secrets in created order). */
async function seed(index, file, size) {
  const started = performance.now();
  const db = new DatabaseSync(file);
  // The connection's own settings, not the file's: workerd opens it with its own.
  db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000");
  const d1 = d1Over(db);
  const rng = random(size);
  const active = [];
  for (let first = 0; first < size; first += SEED_CHUNK) {
    const entries = [];
    for (let i = first; i < Math.min(size, first + SEED_CHUNK); i++) {
      const row = secretRow(rng, i);
      entries.push({ op: "upsert", row });
      if (row.deletedAt === null) active.push({ name: row.name, arn: row.arn, env: row.tags[0].Value });
    }
    db.exec("BEGIN");
    await index.applyIndexEntries(d1, entries);
    db.exec("COMMIT");
  }
  const count = (table) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
  const rows = { secrets: count("secrets"), secret_tags: count("secret_tags"), secret_words: count("secret_words") };
  db.close();
  if (rows.secrets !== size) throw new Error(`seeded ${rows.secrets} secrets, expected ${size}`);
  return { active, rows, seconds: round((performance.now() - started) / 1000), megabytes: round(statSync(file).size / 1e6) };
}

// ---------------------------------------------------------------------------------------------------------------
// Client: SigV4-signed ListSecrets over a keep-alive connection.

const signer = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: "secretsmanager", sha256: Sha256Node, applyChecksum: false });

async function sign(port, body) {
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: "/",
    query: {},
    headers: { host: `127.0.0.1:${port}`, "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" },
    body: text,
  });
  return { headers: { ...signed.headers, "content-length": String(Buffer.byteLength(text)) }, body: text };
}

/** One signed ListSecrets; `ms` runs from sending the signed request to the last byte of the response. */
async function listSecrets(target, input) {
  const req = await sign(target.port, input);
  const { status, text, ms } = await new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = httpRequest({ host: "127.0.0.1", port: target.port, method: "POST", path: "/", headers: req.headers, agent: target.agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.end(req.body);
  });
  if (status !== 200) throw new Error(`ListSecrets ${JSON.stringify(input).slice(0, 200)} on ${target.size}: HTTP ${status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text), ms };
}

const requestFilters = (query) => query.filters.map((f) => ({ Key: f.key, Values: f.values }));

/** What the page must list, from the generated data, and the request for it. */
function expectation(query, active) {
  switch (query.id) {
    case "first-page":
      return active.slice(0, PAGE);
    case "deep-page": {
      const page = deepPageNumber(active.length);
      return active.slice((page - 1) * PAGE, page * PAGE);
    }
    case "name-prefix":
      return active.filter((s) => s.name.startsWith(NAME_PREFIX)).slice(0, PAGE);
    case "tag-value":
      return active.filter((s) => s.env.startsWith(TAG_VALUE)).slice(0, PAGE);
  }
}

/** The full page 90% into the list of `count` secrets (1-based). */
const deepPageNumber = (count) => Math.max(2, Math.floor((DEEP_FRACTION * count) / PAGE) + 1);

function check(cell, json) {
  const names = (json.SecretList ?? []).map((s) => s.Name);
  const expected = cell.expected.map((s) => s.name);
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i])) {
    throw new Error(`${cell.query.id} at ${cell.size}: listed ${names.length} secrets starting ${names[0]}, expected ${expected.length} starting ${expected[0]}`);
  }
}

/** Follows NextToken to the deep page once: its token, and the last ARN of the page before it. */
async function deepToken(target, count) {
  const page = deepPageNumber(count);
  const started = performance.now();
  let token;
  let lastArn;
  for (let p = 1; p < page; p++) {
    const { json } = await listSecrets(target, { MaxResults: PAGE, ...(token ? { NextToken: token } : {}) });
    token = json.NextToken;
    lastArn = json.SecretList.at(-1).ARN;
    if (!token) throw new Error(`no NextToken after page ${p} of ${target.size}`);
  }
  return { page, token, lastArn, walkSeconds: round((performance.now() - started) / 1000) };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU accounting: how busy the machine was with other programs while measuring.

const TICKS = 100; // USER_HZ on Linux

function processes() {
  const list = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      list.push({ pid: Number(pid), pgrp: Number(fields[2]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS });
    } catch {
      // gone
    }
  }
  return list;
}

/** The process group of the server on `stateDir` (start.mjs has it as STATE_DIR in its environment). */
function serverGroup(stateDir) {
  for (const p of processes()) {
    try {
      if (`\0${readFileSync(`/proc/${p.pid}/environ`, "utf8")}`.includes(`\0STATE_DIR=${stateDir}\0`) && p.pgrp !== process.pid) return p.pgrp;
    } catch {
      // gone
    }
  }
  return undefined;
}

const groupsCpu = (groups) => processes().filter((p) => groups.includes(p.pgrp)).reduce((sum, p) => sum + p.cpu, 0);

function machineBusy() {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  return (ticks.slice(0, 8).reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) / TICKS;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and report.

const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { runs: sorted.length, medianMs: round(percentile(sorted, 0.5), 2), p90Ms: round(percentile(sorted, 0.9), 2), minMs: round(sorted[0], 2), maxMs: round(sorted.at(-1), 2) };
}

function shuffle(list, rng) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function markdownTable(report) {
  const small = report.sizes[0];
  const large = report.sizes.at(-1);
  const lines = [
    `| ListSecrets, MaxResults 100 | ${report.sizes.map((n) => `${fmt(n)} secrets`).join(" | ")} | ${sizeLabel(large)} / ${sizeLabel(small)} |`,
    `|---|${report.sizes.map(() => "---:").join("|")}|---:|`,
  ];
  for (const q of report.queries) {
    const cells = report.sizes.map((n) => {
      const r = q.bySize[n];
      return `${fmt(r.http.medianMs, 1)} ms (p90 ${fmt(r.http.p90Ms, 1)})`;
    });
    lines.push(`| ${q.label} | ${cells.join(" | ")} | **${fmt(q.ratio, 2)}×** |`);
  }
  return lines.join("\n");
}

function markdown(report) {
  const { machine, config } = report;
  const lines = [
    "# ListSecrets at scale",
    "",
    `Generated by \`${report.command}\` (bench/scale.mjs) on ${report.generatedAt}. ${machine.cpus} × ${machine.cpuModel}, ${fmt(machine.memoryGb)} GB, Node ${machine.node}.`,
    "Local server as `npm start` runs it (miniflare → workerd, local D1), one per size, each with its own state directory and its",
    `index seeded directly in the local D1 SQLite file by src/index-db/secrets-index.ts's applyIndexEntries (account ${ACCOUNT}, ${REGION}).`,
    `Median (p90) of ${config.runs} SigV4-signed requests per cell after ${config.warmup} warm-up rounds, concurrency 1, loopback; each round`,
    "sends every query to every size in a shuffled order. Time from sending the signed request to the end of the response (signing excluded).",
    `The deep page is the page ${Math.round(DEEP_FRACTION * 100)}% into the list (${report.sizes.map((n) => `page ${report.deep[n].page} at ${fmt(n)}`).join(", ")}), reached by following NextToken; only it is timed.`,
    "",
    markdownTable(report),
    "",
    `Aim: under 3× from ${fmt(report.sizes[0])} to ${fmt(report.sizes.at(-1))} secrets for every query — ${report.queries.every((q) => q.ratio < 3) ? "met" : "**not met**"}.`,
    "",
    "## Where the time goes",
    "",
    "The same queries' SQL alone (src/index-db/list-query.ts listPage: the plan probe and the page statement), run with node:sqlite",
    `(SQLite ${report.machine.sqlite}) on the seeded files after the servers stopped, and the plan chosen; INDEXED BY and CROSS JOIN pin the`,
    "plans, so they are the ones D1 runs. scale.json holds each cell's EXPLAIN QUERY PLAN. The rest of each request is the runtime:",
    "HTTP, SigV4 verification, the D1 call, and the JSON of 100 entries.",
    "",
    `| Query | ${report.sizes.map((n) => `${fmt(n)}: plan, SQL ms`).join(" | ")} |`,
    `|---|${report.sizes.map(() => "---").join("|")}|`,
  ];
  for (const q of report.queries) {
    lines.push(`| ${q.label} | ${report.sizes.map((n) => `${q.bySize[n].sql.plan}, ${fmt(q.bySize[n].sql.medianMs, 2)}`).join(" | ")} |`);
  }
  lines.push(
    "",
    "## Seeded index",
    "",
    "| Secrets | listed (not scheduled for deletion) | secret_tags rows | secret_words rows | D1 file | seeding |",
    "|---:|---:|---:|---:|---:|---:|",
    ...report.sizes.map((n) => {
      const s = report.seeding[n];
      return `| ${fmt(n)} | ${fmt(s.listed)} | ${fmt(s.rows.secret_tags)} | ${fmt(s.rows.secret_words)} | ${fmt(s.megabytes)} MB | ${fmt(s.seconds, 1)} s |`;
    }),
    "",
    `Other programs kept ${fmt(report.load.otherCores, 2)} CPU cores busy on average while measuring (load average ${report.load.before.join(", ")} at start)${
      report.load.otherCores > 0.25 ? ": absolute times are inflated by that load; the ratios are less affected, since every round measures all sizes" : ""
    }.`,
    "",
    `Reproduce: \`${report.command}\` (${report.totalSeconds} s here, seeding included).`,
    "",
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Main.

for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130)); // server.ts kills the servers on exit

const benchStarted = performance.now();
const loadBefore = loadavg().map((v) => round(v, 2));
const work = mkdtempSync(join(tmpdir(), "secrets-edge-scale-"));
const [index, listQuery] = await Promise.all([load("src/index-db/secrets-index.ts"), load("src/index-db/list-query.ts")]);
const targets = [];
const seeding = {};
const deep = {};

try {
  for (const size of SIZES) {
    const stateDir = join(work, String(size));
    mkdirSync(stateDir);
    migrate(stateDir);
    const file = d1File(stateDir);
    process.stdout.write(`Seeding ${fmt(size)} secrets… `);
    const seeded = await seed(index, file, size);
    console.log(`${seeded.seconds} s, ${fmt(seeded.megabytes)} MB`);
    seeding[size] = { listed: seeded.active.length, rows: seeded.rows, seconds: seeded.seconds, megabytes: seeded.megabytes };
    targets.push({ size, stateDir, file, active: seeded.active });
  }

  for (const target of targets) {
    const server = await startServer({ stateDir: target.stateDir });
    Object.assign(target, { server, port: server.port, agent: new Agent({ keepAlive: true, maxSockets: 1 }), group: serverGroup(target.stateDir) });
    console.log(`Server for ${fmt(target.size)} secrets on ${server.endpoint}`);
  }

  for (const target of targets) {
    process.stdout.write(`Following NextToken to the deep page of ${fmt(target.size)}… `);
    deep[target.size] = await deepToken(target, target.active.length);
    console.log(`page ${deep[target.size].page}, ${deep[target.size].walkSeconds} s`);
  }

  const cells = targets.flatMap((target) =>
    QUERIES.map((query) => ({
      size: target.size,
      target,
      query,
      expected: expectation(query, target.active),
      input: {
        MaxResults: PAGE,
        ...(query.filters.length ? { Filters: requestFilters(query) } : {}),
        ...(query.id === "deep-page" ? { NextToken: deep[target.size].token } : {}),
      },
      times: [],
    })),
  );
  for (const cell of cells) {
    if (cell.expected.length !== PAGE) throw new Error(`${cell.query.id} at ${cell.size} has ${cell.expected.length} secrets, not a full page`);
  }

  const rng = random(42);
  const groups = targets.map((t) => t.group).filter((g) => g !== undefined);
  let cpu0;
  console.log(`Measuring: ${WARMUP} warm-up rounds, ${RUNS} measured rounds of ${cells.length} requests…`);
  for (let r = 0; r < WARMUP + RUNS; r++) {
    if (r === WARMUP) cpu0 = { machine: machineBusy(), ours: groupsCpu(groups), client: process.cpuUsage(), at: performance.now() };
    for (const cell of shuffle(cells, rng)) {
      const { json, ms } = await listSecrets(cell.target, cell.input);
      check(cell, json);
      if (r >= WARMUP) cell.times.push(ms);
    }
  }
  const client = process.cpuUsage(cpu0.client);
  const elapsed = (performance.now() - cpu0.at) / 1000;
  const ours = groupsCpu(groups) - cpu0.ours + (client.user + client.system) / 1e6;
  const otherCores = Math.max(0, (machineBusy() - cpu0.machine - ours) / elapsed);

  for (const target of targets) await target.server.stop();
  for (const target of targets) target.agent.destroy();

  // The SQL alone, on the seeded files.
  console.log("Plans and SQL times on the seeded files…");
  const sql = {};
  for (const target of targets) {
    const db = new DatabaseSync(target.file, { readOnly: true });
    const d1 = d1Over(db);
    sql[target.size] = {};
    for (const query of QUERIES) {
      const listQ = { accountId: ACCOUNT, region: REGION, filters: query.filters, sortBy: "created-date", sortOrder: "asc", includePlannedDeletion: false };
      let after;
      if (query.id === "deep-page") {
        const arn = deep[target.size].lastArn;
        after = [db.prepare("SELECT created_at FROM secrets WHERE arn = ?").get(arn).created_at, arn];
      }
      const plan = await listQuery.choosePlan(d1, listQ);
      const statement = listQuery.pageStatement(listQ, plan, PAGE + 1, after);
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params).map((r) => r.detail);
      const times = [];
      for (let i = 0; i < 5 + SQL_RUNS; i++) {
        const t0 = performance.now();
        const page = await listQuery.listPage(d1, listQ, PAGE, after);
        if (i >= 5) times.push(performance.now() - t0);
        if (i === 0 && page.secrets.length !== PAGE) throw new Error(`listPage ${query.id} at ${target.size}: ${page.secrets.length} secrets`);
      }
      sql[target.size][query.id] = { plan: plan.kind, ...stats(times), explain };
    }
    db.close();
  }

  const small = SIZES[0];
  const large = SIZES.at(-1);
  const report = {
    command: "npm run bench:scale",
    generatedAt: new Date().toISOString(),
    totalSeconds: Math.round((performance.now() - benchStarted) / 1000),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim(),
      memoryGb: Math.round(Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1e6),
      node: process.version,
      sqlite: new DatabaseSync(":memory:").prepare("SELECT sqlite_version() AS v").get().v,
    },
    config: { runs: RUNS, warmup: WARMUP, pageSize: PAGE, deepFraction: DEEP_FRACTION, sqlRuns: SQL_RUNS, account: ACCOUNT, region: REGION },
    load: { before: loadBefore, after: loadavg().map((v) => round(v, 2)), otherCores: round(otherCores, 2) },
    sizes: SIZES,
    seeding,
    deep: Object.fromEntries(SIZES.map((n) => [n, { page: deep[n].page, walkSeconds: deep[n].walkSeconds }])),
    queries: QUERIES.map((query) => {
      const bySize = Object.fromEntries(
        cells.filter((c) => c.query === query).map((c) => [c.size, { http: stats(c.times), sql: sql[c.size][query.id], timesMs: c.times.map((t) => round(t, 2)) }]),
      );
      return {
        id: query.id,
        label: query.label,
        request: { MaxResults: PAGE, ...(query.filters.length ? { Filters: requestFilters(query) } : {}), ...(query.id === "deep-page" ? { NextToken: "<token of the page before>" } : {}) },
        bySize,
        ratio: round(bySize[large].http.medianMs / bySize[small].http.medianMs, 2),
        ratioP90: round(bySize[large].http.p90Ms / bySize[small].http.p90Ms, 2),
      };
    }),
  };

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "scale.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS, "scale.md"), markdown(report));
  console.log(`\n${markdownTable(report)}\n`);
  console.log(`Other programs: ${fmt(report.load.otherCores, 2)} cores busy while measuring. Total ${report.totalSeconds} s.`);
  console.log("Wrote bench/results/scale.json and bench/results/scale.md");
} finally {
  for (const target of targets) await target.server?.stop();
  if (process.env.BENCH_KEEP === "1") console.log(`Kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
