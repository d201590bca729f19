// Starts one local server for the e2e files that share it (cross-client, hostile, fuzz, list) and provides its
// endpoint. durability.test.ts and kill.test.ts start their own servers, since they stop, kill and restart them.
import type { TestProject } from "vitest/node";
import { freshStateDir, removeStateDir, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the shared local server. */
    endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const stateDir = freshStateDir();
  const server = await startServer({ stateDir });
  project.provide("endpoint", server.endpoint);
  return async () => {
    await server.stop();
    removeStateDir(stateDir);
  };
}
