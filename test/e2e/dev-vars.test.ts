// The e2e server brings its own keys and state: a working copy whose .dev.vars (and .env) hold someone's own
// ACCESS_KEYS, another key ring and BENCH_NOOP=1 — as the README tells users to write it — changes nothing for the
// tests, and the file is neither read nor written. Run in a scratch copy of the working copy, never the real one.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rawCall } from "./raw";
import { freshStateDir, type LocalServer, removeStateDir, ROOT, startServer } from "./server";

const HOSTILE_KEY = { accessKeyId: "AKIDUSERSOWNKEY", secretAccessKey: "users-own-secret" };
const HOSTILE = [
  `ACCESS_KEYS='${JSON.stringify([{ ...HOSTILE_KEY, accountId: "999988887777" }])}'`,
  `KMS_KEYS='${JSON.stringify({ "alias/aws/secretsmanager": { current: "1", versions: { "1": Buffer.alloc(32, 9).toString("base64") } } })}'`,
  "BENCH_NOOP=1",
  "",
].join("\n");

const copy = mkdtempSync(join(tmpdir(), "secrets-edge-copy-"));
const stateDir = freshStateDir();
let server: LocalServer;

beforeAll(async () => {
  // scripts/ copied (start.mjs finds the working copy from its own path); the rest linked.
  cpSync(join(ROOT, "scripts"), join(copy, "scripts"), { recursive: true });
  for (const entry of ["src", "console", "public", "migrations", "node_modules", "package.json", "tsconfig.json", "wrangler.toml"]) symlinkSync(join(ROOT, entry), join(copy, entry));
  for (const file of [".dev.vars", ".env"]) writeFileSync(join(copy, file), HOSTILE);
  server = await startServer({ stateDir, root: copy });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeStateDir(stateDir);
  rmSync(copy, { recursive: true, force: true });
});

it("answers the tests' own key and refuses the one in the working copy's .dev.vars", async () => {
  const ours = await rawCall(server.endpoint, "ListSecrets", {});
  expect(ours.status, ours.text).toBe(200);
  const theirs = await rawCall(server.endpoint, "ListSecrets", {}, { credentials: HOSTILE_KEY });
  expect(theirs.status).toBe(400);
  expect((theirs.json as { __type: string }).__type).toBe("UnrecognizedClientException");
});

it("takes nothing else from it (BENCH_NOOP stays off) and leaves it as it was", async () => {
  const noop = await rawCall(server.endpoint, "ListSecrets", {}, { path: "/__bench/noop" });
  expect(noop.status).not.toBe(200);
  for (const file of [".dev.vars", ".env"]) expect(readFileSync(join(copy, file), "utf8")).toBe(HOSTILE);
});
