// What the `loopback` project's global setup provides (test/e2e/loopback-global-setup.ts).
export {};

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string; password: string };
    /** http://127.0.0.1:<port> of the Lambda Invoke API stub (test/e2e/lambda-stub.ts). */
    lambdaStub: string;
  }
}
