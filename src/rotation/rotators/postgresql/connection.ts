// PostgreSQL connections from the Worker: node-postgres (`pg`) over a Cloudflare TCP socket (cloudflare:sockets via
// pg-cloudflare), one short-lived client per login.
import { Client } from "pg";
import * as pgCloudflare from "pg-cloudflare";

/** The connection fields of an AWS database secret (engine, host, port, username, password, dbname). */
export interface Login {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
}

interface Socket {
  write(data: Uint8Array, encoding?: unknown, callback?: (error?: unknown) => void): unknown;
  end(data?: Uint8Array, encoding?: unknown, callback?: (error?: unknown) => void): unknown;
  once(event: "close", listener: () => void): unknown;
}
// pg-cloudflare ships no types for its workerd build (the one that holds the class).
const { CloudflareSocket } = pgCloudflare as unknown as { CloudflareSocket: new (ssl: boolean) => Socket };

/**
 * A socket whose end() lets the server close the connection after pg's Terminate message. pg-cloudflare's own end()
 * closes the socket while its read is pending, and workerd rejects that read ("This socket has been closed.") with no
 * one left to catch it.
 */
function socket(): Socket {
  const s = new CloudflareSocket(false);
  const close = s.end.bind(s);
  s.end = (data, encoding, callback) => {
    // A server that never closes is closed by us.
    const done = () => {
      const timer = setTimeout(() => close(), 5_000);
      s.once("close", () => clearTimeout(timer));
    };
    if (data && data.length > 0) s.write(data, encoding, (error) => (done(), callback?.(error)));
    else (done(), callback?.());
    return s;
  };
  return s;
}

/** A failure talking to the database. Its message is the server's or the driver's, which never holds a password. */
export class DatabaseFailure extends Error {
  override readonly name = "DatabaseFailure";
}

/** Runs `work` on a fresh connection as `login`, and closes it. Any failure of either rejects with DatabaseFailure. */
export async function withConnection<T>(login: Login, timeoutMs: number, work: (client: Client) => Promise<T>): Promise<T> {
  try {
    return await connected(login, timeoutMs, work);
  } catch (error) {
    throw new DatabaseFailure(error instanceof Error ? error.message : String(error));
  }
}

async function connected<T>(login: Login, timeoutMs: number, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    host: login.host,
    port: login.port,
    user: login.username,
    password: login.password,
    database: login.dbname,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    stream: () => socket() as never,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether `login` can connect and run a query. */
export async function canLogIn(login: Login, timeoutMs: number): Promise<boolean> {
  try {
    await withConnection(login, timeoutMs, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
