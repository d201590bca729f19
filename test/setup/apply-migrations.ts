// Setup files run outside per-test storage isolation, so the D1 schema applied here is seen by every test.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
