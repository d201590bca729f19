// `npm run bench:console`: how fast the web console paints, and what it weighs. The local server as `npm start` runs
// it (node scripts/start.mjs, its own temp STATE_DIR and DEV_VARS, a fresh key ring, 30 secrets), Debian's Chromium
// headless driven by playwright-core. Each of RUNS loads of /console/ in a fresh browser context (empty cache) records,
// from the page's own clock (navigation start = 0): first contentful paint of the sign-in page; then, signed in (the
// key put in sessionStorage before the page's script runs), first contentful paint and the moment the secrets list's
// first row is in the document (a MutationObserver). The same again reloading in one context (warm: the files
// revalidated, not fetched). Also the bytes of each file of the console, raw and gzipped. Writes
// bench/results/console.json and prints a summary. BENCH_RUNS (default 15) overrides the count.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { chromium } from "playwright-core";
import { freePort, sleep } from "./lib/loopback.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const FILES = ["index.html", "console.js", "console.css", "favicon.svg"];
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const session = JSON.stringify({ ...credentials, region: "us-east-1" });


const work = mkdtempSync(join(tmpdir(), "secrets-edge-bench-console-"));
let server;
let browser;
const cleanup = () => {
  if (server?.exitCode === null) process.kill(-server.pid, "SIGTERM");
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const kmsKeys = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
server = spawn(process.execPath, ["scripts/start.mjs"], {
  cwd: ROOT,
  env: {
    ...process.env, PORT: String(port), STATE_DIR: join(work, "state"), DEV_VARS: join(work, "dev.vars"),
    KMS_KEYS: JSON.stringify(kmsKeys), ACCESS_KEYS: JSON.stringify([{ ...credentials, accountId: "111122223333" }]),
  },
  stdio: ["ignore", "inherit", "inherit"], detached: true,
});
for (let i = 0; ; i++) {
  if (await fetch(endpoint).then(() => true, () => false)) break;
  if (i > 900) throw new Error("the server did not answer within 90 s");
  await sleep(100);
}
const sm = new SecretsManagerClient({ endpoint, region: "us-east-1", credentials });
for (let i = 0; i < 30; i++) await sm.send(new CreateSecretCommand({ Name: `bench/console-${String(i).padStart(2, "0")}`, SecretString: "x" }));

// What the page records about itself: paint entries, and when the list's first row appeared.
const OBSERVE = `
  new MutationObserver((_, observer) => {
    if (document.querySelector(".results tbody tr")) { window.__listShown = performance.now(); observer.disconnect(); }
  }).observe(document, { subtree: true, childList: true });`;
const signedIn = `sessionStorage.setItem("secrets-edge-console-session", ${JSON.stringify(session)});`;

async function measure(page, load, listed) {
  await load();
  // Predicates as functions: a string would be eval'd in the page, which its CSP forbids.
  if (listed) await page.waitForFunction(() => window.__listShown !== undefined, null, { timeout: 30_000 });
  else await page.getByRole("button", { name: "Sign in" }).waitFor();
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 30_000 });
  return page.evaluate(() => ({
    fcp: performance.getEntriesByName("first-contentful-paint")[0].startTime,
    domContentLoaded: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    list: window.__listShown,
  }));
}

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const url = `${endpoint}/console/`;
const runs = { coldSignIn: [], coldSignedIn: [], warmSignedIn: [] };
// One load first, not counted: the Worker, the assets worker and the browser warm up.
for (let i = 0; i < RUNS + 1; i++) {
  const plain = await browser.newContext();
  const signInPage = await plain.newPage();
  const coldSignIn = await measure(signInPage, () => signInPage.goto(url), false);
  await plain.close();

  const context = await browser.newContext();
  await context.addInitScript(`${signedIn}${OBSERVE}`);
  const page = await context.newPage();
  const coldSignedIn = await measure(page, () => page.goto(url), true);
  const warmSignedIn = await measure(page, () => page.reload(), true);
  await context.close();
  if (i === 0) continue;
  runs.coldSignIn.push(coldSignIn);
  runs.coldSignedIn.push(coldSignedIn);
  runs.warmSignedIn.push(warmSignedIn);
}
const chromiumVersion = browser.version();
await browser.close();

const files = {};
for (const file of FILES) {
  const body = Buffer.from(await (await fetch(`${endpoint}/console/${file}`)).arrayBuffer());
  files[file] = { bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
}
const total = { bytes: 0, gzipBytes: 0 };
for (const { bytes, gzipBytes } of Object.values(files)) (total.bytes += bytes), (total.gzipBytes += gzipBytes);

const stats = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { min: +sorted[0].toFixed(1), p50: +at(0.5).toFixed(1), p90: +at(0.9).toFixed(1), max: +sorted.at(-1).toFixed(1) };
};
const summary = {};
for (const [name, list] of Object.entries(runs)) {
  summary[name] = { fcpMs: stats(list.map((r) => r.fcp)), domContentLoadedMs: stats(list.map((r) => r.domContentLoaded)) };
  if (name !== "coldSignIn") summary[name].listShownMs = stats(list.map((r) => r.list));
}
const result = { runs: RUNS, ...summary, files, total, chromium: chromiumVersion, loadavg: loadavg().map((l) => +l.toFixed(2)), at: new Date().toISOString() };
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(join(ROOT, "bench/results/console.json"), `${JSON.stringify(result, null, 2)}\n`);

const line = (label, s) => `${label}: p50 ${s.p50} ms, p90 ${s.p90} ms (min ${s.min}, max ${s.max})`;
console.log(`console at ${url}, ${RUNS} loads each (Chromium ${result.chromium}, load average ${result.loadavg.join(" ")}):`);
console.log(`  ${line("first contentful paint, sign-in page, cold", summary.coldSignIn.fcpMs)}`);
console.log(`  ${line("first contentful paint, signed in, cold", summary.coldSignedIn.fcpMs)}`);
console.log(`  ${line("secrets list shown, signed in, cold", summary.coldSignedIn.listShownMs)}`);
console.log(`  ${line("secrets list shown, signed in, warm (reload)", summary.warmSignedIn.listShownMs)}`);
console.log(`  bundle: ${FILES.map((f) => `${f} ${(files[f].gzipBytes / 1024).toFixed(1)} KB`).join(", ")}; total ${(total.gzipBytes / 1024).toFixed(1)} KB gzipped (${(total.bytes / 1024).toFixed(1)} KB raw)`);
process.exit(0);
