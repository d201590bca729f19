// Two test projects: the Workers pool (unit, integration, Durable Object tests run inside workerd) and a
// plain Node project for end-to-end tests that start the local server as `npm start` does.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_ACCESS_KEYS, TEST_KMS_KEYS } from "./test/support/test-keys";

// The Workers pool needs nothing from the network: no Request.cf download.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  KMS_KEYS: JSON.stringify(TEST_KMS_KEYS),
                  ACCESS_KEYS: JSON.stringify(TEST_ACCESS_KEYS),
                  TEST_MIGRATIONS: migrations,
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/durable-object/**/*.test.ts"],
            setupFiles: ["./test/setup/apply-migrations.ts"],
          },
        },
        {
          // Runtime tests that talk to servers on loopback from workerd (PostgreSQL for the rotators, a stub of the
          // Lambda Invoke API for rotation targets), which the global setup starts in Node.
          plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
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
          },
        },
      ],
    },
  };
});
