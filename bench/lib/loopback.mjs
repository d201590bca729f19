// What the benchmarks that start their own servers share: a free loopback port (the tests' own choice of one, below
// the kernel's ephemeral range: test/e2e/server.ts), and a pause.
export { freePort } from "../../test/e2e/server.ts";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
