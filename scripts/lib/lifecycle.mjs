// The local server's process lifecycle: the port (PORT or --port) and its one-line answer when taken, workerd on
// a leash (scripts/workerd-leash.sh), and one way down: SIGTERM, SIGINT or SIGHUP, or the parent's death (npm
// killed, its shell gone), all stop Miniflare and its workerd before this process exits.
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import workerd from "workerd";

/** The port: `--port N` or PORT, default 8787. */
export function chosenPort(argv = process.argv, env = process.env) {
  const flag = argv.indexOf("--port");
  const raw = flag >= 0 ? argv[flag + 1] : (env.PORT ?? "8787");
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a TCP port number (1-65535), not ${JSON.stringify(raw)}.`);
  return port;
}

const portTaken = (host, port) =>
  `Port ${port} on ${host} is already in use (another server running?); start on another port with: PORT=${port === 65535 ? 8788 : port + 1} npm start`;

/** Exits with one line when something already listens on the port (checked first: starting takes seconds). */
export async function ensurePortFree(host, port) {
  const free = await new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  if (!free) fail(portTaken(host, port));
}

/** The same line when the runtime itself finds the port taken (a race with the check above). */
export function explainStartFailure(error, host, port) {
  if (error?.code === "ERR_ADDRESS_IN_USE") fail(portTaken(host, port));
  throw error;
}

/** Miniflare starts workerd through the leash, so workerd never outlives this process. */
export function leashWorkerd() {
  process.env.SECRETS_EDGE_WORKERD = process.env.MINIFLARE_WORKERD_PATH ?? workerd.default;
  process.env.MINIFLARE_WORKERD_PATH = fileURLToPath(new URL("../workerd-leash.sh", import.meta.url));
}

/** Stops the server (and exits) on a signal or when the parent process is gone. */
export function stopWith(dispose) {
  let stopping;
  const stop = () => {
    if (stopping) return;
    // Should disposing hang (e.g. behind Miniflare restarting a workerd that was stopped), exit anyway.
    setTimeout(() => process.exit(0), 5_000);
    stopping = Promise.resolve()
      .then(dispose)
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
  // npm forwards SIGTERM to its shell only: with the shell gone this process is re-parented. Check each second.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(), 1_000).unref();
}

export function fail(line) {
  console.error(line);
  process.exit(1);
}
