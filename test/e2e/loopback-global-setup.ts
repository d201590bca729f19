// Global setup of the `loopback` test project (Workers pool): a PostgreSQL server and a Lambda Invoke API stub on
// loopback for the run, whose addresses the tests, running in workerd, reach over TCP and fetch.
import type { TestProject } from "vitest/node";
import { startLambdaStub } from "./lambda-stub";
import { sharedPostgres } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string; password: string };
    lambdaStub: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, stub] = await Promise.all([sharedPostgres(), startLambdaStub()]);
  const { host, port, user, password } = postgres.server;
  project.provide("postgres", { host, port, user, password });
  project.provide("lambdaStub", stub.url);
  return async () => {
    await stub.stop();
    postgres.release();
  };
}
