// Two test projects: the Workers pool (unit, integration, Durable Object tests run inside workerd) and a
// plain Node project for end-to-end tests that start the local server as `npm start` does.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** A fixed test key ring: a default key plus a second named key with two versions (rotation). */
export const TEST_KMS_KEYS = JSON.stringify({
  "alias/aws/secretsmanager": { current: "1", versions: { "1": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" } },
  "alias/payments": {
    current: "2",
    aliases: ["0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"],
    versions: { "1": "cGF5bWVudHMtb2xkLWtleS0wMTIzNDU2Nzg5YWJjZGU=", "2": "cGF5bWVudHMtbmV3LWtleS0wMTIzNDU2Nzg5YWJjZGU=" },
  },
});

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
              miniflare: { bindings: { KMS_KEYS: TEST_KMS_KEYS, TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/durable-object/**/*.test.ts"],
            setupFiles: ["./test/setup/apply-migrations.ts"],
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
