// `npm run bench:profile -- <Operation> [requests] [concurrency]`: where the Worker's CPU time goes for one operation.
// Starts the server as `npm start` does (temporary STATE_DIR, free loopback ports) with the V8 inspector open, seeds
// 32 secrets, takes a CPU profile of workerd while a bounded burst of SigV4-signed requests runs, and prints the
// self time by source area (our modules, hono, zod, the SigV4 library, runtime/idle) and the top functions.
// PROFILE_CALLERS names native functions (e.g. exec) whose time is also shown by caller. Loopback only; at most 20,000 requests.
import { randomUUID } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { freePort, freshStateDir, removeStateDir, startServer } from "../test/e2e/server.ts";

const [op = "PutSecretValue", countArg = "3000", concurrencyArg = "16"] = process.argv.slice(2);
const COUNT = Math.min(Number(countArg), 20_000);
const CONCURRENCY = Number(concurrencyArg);
const SECRETS = 32;
const signer = new SignatureV4({ credentials: { accessKeyId: "test", secretAccessKey: "test" }, region: "us-east-1", service: "secretsmanager", sha256: Sha256Node });

const inspectorPort = await freePort();
const stateDir = freshStateDir();
const server = await startServer({ stateDir, env: { INSPECTOR_PORT: String(inspectorPort) } });
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

async function call(target, body) {
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: "POST", protocol: "http:", hostname: "127.0.0.1", port: server.port, path: "/", query: {},
    headers: { host: `127.0.0.1:${server.port}`, "content-type": "application/x-amz-json-1.1", "x-amz-target": `secretsmanager.${target}` },
    body: text,
  });
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: signed.headers, agent }, (res) => {
      let answer = "";
      res.on("data", (chunk) => (answer += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${target}: HTTP ${res.statusCode} ${answer}`))));
    });
    r.on("error", reject);
    r.end(text);
  });
}

const name = (i) => `profile/secret-${i % SECRETS}`;
const bodyFor = (i) =>
  op === "ListSecrets" ? {} : op === "PutSecretValue" ? { SecretId: name(i), SecretString: `value-${i}`, ClientRequestToken: randomUUID() } : { SecretId: name(i) };

/** The CDP session of the Worker's isolate (workerd lists one target per Worker). */
async function inspector() {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => t.title?.includes("secrets-edge")) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  let id = 0;
  const pending = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  return {
    send: (method, params = {}) => new Promise((resolve) => { pending.set(++id, resolve); ws.send(JSON.stringify({ id, method, params })); }),
    close: () => ws.close(),
  };
}

async function burst(count, concurrency, make) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < count) await make(next++); }));
}

/** The source file of each line of a bundle, from the `// path` comments esbuild writes before each module. */
function moduleLines(source) {
  const starts = [];
  source.split("\n").forEach((line, i) => {
    const module = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
    if (module) starts.push([i, module[1]]);
  });
  return (line) => starts.findLast(([start]) => start <= line)?.[1];
}

/** Which part of the stack a profile node's code belongs to. */
function area(url, fn) {
  if (!url) return fn === "(idle)" || fn === "(program)" || fn === "(garbage collector)" ? fn : "(runtime, native)";
  for (const [pattern, label] of [
    [/src\/secret-object\//, "src/secret-object"], [/src\/auth\//, "src/auth (SigV4)"], [/src\/authz\//, "src/authz"],
    [/src\/crypto\//, "src/crypto"], [/src\/index-db\//, "src/index-db"], [/src\/protocol\//, "src/protocol"],
    [/src\/operations\//, "src/operations"], [/src\/domain\//, "src/domain"], [/src\//, "src (other)"],
    [/node_modules\/hono\//, "hono"], [/node_modules\/zod\//, "zod"], [/node_modules\/@smithy\//, "@smithy (SigV4)"],
    [/node_modules\//, "other packages"],
  ]) if (pattern.test(url)) return label;
  return url.includes("miniflare") || url.startsWith("cloudflare:") || url.startsWith("node:") ? "runtime JS" : url;
}

try {
  await burst(SECRETS, 8, (i) => call("CreateSecret", { Name: name(i), SecretString: "initial", ClientRequestToken: randomUUID() }));
  await burst(500, CONCURRENCY, (i) => call(op, bodyFor(i))); // warm-up
  const cdp = await inspector();
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const started = performance.now();
  await burst(COUNT, CONCURRENCY, (i) => call(op, bodyFor(i)));
  const seconds = (performance.now() - started) / 1000;
  const { result } = await cdp.send("Profiler.stop");
  // The bundle the server runs, as the runtime holds it: its `// path` comments name each line's source file.
  await cdp.send("Debugger.enable");
  const bundles = new Map();
  for (const scriptId of new Set(result.profile.nodes.filter((n) => n.callFrame.url.endsWith("index.js")).map((n) => n.callFrame.scriptId))) {
    bundles.set(scriptId, moduleLines((await cdp.send("Debugger.getScriptSource", { scriptId })).result.scriptSource));
  }
  cdp.close();

  const { nodes, samples, timeDeltas } = result.profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map();
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const areas = new Map();
  const functions = new Map();
  let busy = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const url = bundles.get(callFrame.scriptId)?.(callFrame.lineNumber) ?? callFrame.url;
    const where = area(url, callFrame.functionName);
    areas.set(where, (areas.get(where) ?? 0) + us);
    if (where !== "(idle)") busy += us;
    const key = `${callFrame.functionName || "(anonymous)"}  ${url}`;
    if (where !== "(idle)") functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const perRequest = (us) => (us / COUNT).toFixed(1).padStart(7);
  console.log(`${op}: ${COUNT} requests at concurrency ${CONCURRENCY} in ${seconds.toFixed(1)} s (${Math.round(COUNT / seconds)} req/s).`);
  console.log(`JS thread busy ${(busy / COUNT).toFixed(0)} µs per request (sampled; idle excluded). Self time by area, µs per request:`);
  for (const [where, us] of [...areas].sort((a, b) => b[1] - a[1])) if (where !== "(idle)") console.log(`${perRequest(us)}  ${where}`);
  console.log("\nTop functions by self time, µs per request:");
  for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${perRequest(us)}  ${key}`);
  // PROFILE_CALLERS=exec,arrayBuffer: where those (native) functions' self time is spent from, by the nearest of our
  // functions (or a library's) above them.
  const parent = new Map(nodes.flatMap((n) => (n.children ?? []).map((child) => [child, n.id])));
  for (const name of (process.env.PROFILE_CALLERS ?? "").split(",").filter(Boolean)) {
    const callers = new Map();
    for (const [id, us] of self) {
      if (byId.get(id).callFrame.functionName !== name) continue;
      let at = parent.get(id);
      let label = "(no caller of ours)";
      while (at !== undefined) {
        const { callFrame } = byId.get(at);
        const url = bundles.get(callFrame.scriptId)?.(callFrame.lineNumber) ?? callFrame.url;
        if (url.startsWith("src/") || url.includes("node_modules/") || url.startsWith("cloudflare-internal")) {
          label = `${callFrame.functionName || "(anonymous)"}  ${url}`;
          break;
        }
        at = parent.get(at);
      }
      callers.set(label, (callers.get(label) ?? 0) + us);
    }
    console.log(`\n${name}: self time by caller, µs per request:`);
    for (const [key, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${perRequest(us)}  ${key}`);
  }
} finally {
  agent.destroy();
  await server.stop();
  removeStateDir(stateDir);
}
