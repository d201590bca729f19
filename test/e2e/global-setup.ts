// Starts one local server for the e2e files that share it (cross-client, hostile, fuzz, list) and provides its
// endpoint. durability.test.ts and kill.test.ts start their own servers, since they stop, kill and restart them.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { freshStateDir, removeStateDir, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the shared local server. */
    endpoint: string;
  }
}

/** A customer key the shared server's key ring holds besides the default. */
export const REPLICA_KEY = "alias/replica-key";

export default async function setup(project: TestProject) {
  const stateDir = freshStateDir();
  // A second key beside the default, for replicas sealed under a key of their own (scenarios/replication.ts).
  const key = () => ({ current: "1", versions: { "1": randomBytes(32).toString("base64") } });
  const kmsKeys = { "alias/aws/secretsmanager": key(), [REPLICA_KEY]: key() };
  const server = await startServer({ stateDir, env: { KMS_KEYS: JSON.stringify(kmsKeys) } });
  project.provide("endpoint", server.endpoint);
  return async () => {
    await server.stop();
    removeStateDir(stateDir);
  };
}
