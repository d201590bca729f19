// The README's recipe for turning a JSON secret into .env lines (AWS CLI + jq), run as written against the shared
// local server. Skipped with a reason where the AWS CLI or jq is missing, except under CI=true, where that fails.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { beforeAll, expect, inject, it } from "vitest";
import { CREDENTIALS, REGION } from "./client";
import { rawCall } from "./raw";
import { ROOT } from "./server";

const endpoint = inject("endpoint");
const missing = ["aws", "jq"].filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
if (missing.length && process.env.CI === "true") throw new Error(`missing ${missing.join(", ")} (CI=true requires them)`);

/** The one-liner exactly as the README shows it, with the endpoint and secret of this test. */
function readmeOneLiner(): string {
  const readme = readFileSync(`${ROOT}/README.md`, "utf8");
  const block = /\*\*A JSON secret as `\.env` lines\*\*[^`]*```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README has no .env one-liner");
  return block[1]!.replace(/\\\n\s*/g, "").trim();
}

const name = `recipes/env-${crypto.randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  const value = JSON.stringify({ DB_USER: "app", DB_PASS: "p@ss word's $HOME" });
  const created = await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: value, ClientRequestToken: crypto.randomUUID() });
  expect(created.status, created.text).toBe(200);
});

it.skipIf(missing.length > 0)("turns a JSON secret into .env lines a shell reads back unchanged", () => {
  const command = readmeOneLiner()
    .replace("http://127.0.0.1:8787", endpoint)
    .replace("--secret-id app/db", `--secret-id ${name}`)
    .replace("> .env", "");
  const env = { ...process.env, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: REGION };
  const lines = execFileSync("bash", ["-c", command], { env, encoding: "utf8" });
  expect(lines.trim().split("\n")).toHaveLength(2);
  const sourced = execFileSync("bash", ["-c", `set -a; eval "$LINES"; printf '%s\\n%s' "$DB_USER" "$DB_PASS"`], { env: { PATH: process.env.PATH, LINES: lines }, encoding: "utf8" });
  expect(sourced).toBe("app\np@ss word's $HOME");
});
