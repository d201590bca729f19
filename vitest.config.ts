// Two test projects: the Workers pool (unit, integration, Durable Object tests run inside workerd) and a
// plain Node project for end-to-end tests that start the local server as `npm start` does.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { TEST_ACCESS_KEYS, TEST_KMS_KEYS, TEST_ROTATION_FUNCTIONS } from "./test/support/test-keys";

// The Workers pool needs nothing from the network: no Request.cf download.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

/**
 * wrangler.toml as seen from a directory of links to the project's files, less .dev.vars, .env* and .wrangler:
 * wrangler reads .dev.vars beside the config, and the tests must never see the developer's own.
 */
function configWithoutDevVars(): string {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "secrets-edge-test-config-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  for (const entry of readdirSync(root)) {
    if (!/^(\.dev\.vars.*|\.env.*|\.wrangler|\.git)$/.test(entry)) symlinkSync(join(root, entry), join(dir, entry));
  }
  return join(dir, "wrangler.toml");
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  const configPath = configWithoutDevVars();
  return {
    test: {
      // Vitest runs one file at a time on 2 cores by default (cores - 1); the e2e files spend much of their time
      // waiting on servers they start, so two files side by side keep both cores busy.
      maxWorkers: 2,
      // The Worker's per-request log lines (src/observability/request-log.ts) would drown the output.
      onConsoleLog: (log: string) => !log.includes('{"event":"request"'),
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath },
              miniflare: {
                bindings: {
                  KMS_KEYS: JSON.stringify(TEST_KMS_KEYS),
                  ACCESS_KEYS: JSON.stringify(TEST_ACCESS_KEYS),
                  ROTATION_FUNCTIONS: JSON.stringify(TEST_ROTATION_FUNCTIONS),
                  TEST_MIGRATIONS: migrations,
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/durable-object/**/*.test.ts"],
            setupFiles: ["./test/setup/apply-migrations.ts"],
            // With two files side by side on 2 cores (maxWorkers), the heaviest tests (150 secrets paged one by one)
            // take more than vitest's default 5 s on a busy machine.
            testTimeout: 15_000,
          },
        },
        {
          // Runtime tests that talk to servers on loopback from workerd (PostgreSQL for the rotators, a stub of the
          // Lambda Invoke API for rotation targets), which the global setup starts in Node.
          plugins: [cloudflareTest({ wrangler: { configPath } })],
          test: {
            name: "loopback",
            include: ["test/loopback/**/*.test.ts"],
            globalSetup: ["./test/e2e/loopback-global-setup.ts"],
          },
        },
        {
          test: {
            name: "e2e",
            environment: "node",
            include: ["test/e2e/**/*.test.ts"],
            globalSetup: ["./test/e2e/global-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // describe.concurrent files (lifecycle.test.ts) start at most this many servers at once.
            maxConcurrency: 4,
          },
        },
      ],
    },
  };
});
