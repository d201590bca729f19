// What the benchmarks that start their own servers share: a free loopback port, and a pause.
import { createServer } from "node:net";

const FIRST_PORT = 20_000;
const EPHEMERAL_START = 32_768;

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, for a server that binds it a moment later. It is drawn
 * below the kernel's ephemeral range (32768 and up on Linux), where the run's own outgoing connections could take it
 * first.
 */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (EPHEMERAL_START - FIRST_PORT));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${FIRST_PORT}-${EPHEMERAL_START - 1} after 50 tries`);
}

const bindable = (port) =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
