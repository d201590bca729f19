// Starts one local server for the e2e files that share it (cross-client, hostile, fuzz, list) and provides its
// endpoint, and the run's PostgreSQL server (for the built-in postgresql rotator the shared server knows).
// durability.test.ts and kill.test.ts start their own servers, since they stop, kill and restart them.
import type { TestProject } from "vitest/node";
import { sharedPostgres } from "./postgres";
import { startRotationFunctions } from "./rotation/functions";
import { freePort, freshStateDir, removeStateDir, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the shared local server. */
    endpoint: string;
    /** Function ARN → where the shared server's rotation function lists the steps it saw (rotation/functions.ts). */
    rotationInvocations: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stateDir = freshStateDir();
  // The rotation functions call the server back, so its port is chosen first.
  const port = await freePort();
  const postgres = sharedPostgres();
  const functions = await startRotationFunctions(`http://127.0.0.1:${port}`);
  const server = await startServer({ stateDir, port, env: { ROTATION_FUNCTIONS: functions.config } });
  const { host, port: pgPort, user, password } = (await postgres).server;
  project.provide("endpoint", server.endpoint);
  project.provide("rotationInvocations", functions.invocationUrls);
  project.provide("postgres", { host, port: pgPort, user, password });
  return async () => {
    await server.stop();
    await functions.stop();
    (await postgres).release();
    removeStateDir(stateDir);
  };
}
