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

/** A failure talking to the database, described without the server's text (databaseFailure). */
export class DatabaseFailure extends Error {
  override readonly name = "DatabaseFailure";
}

/** SQLSTATE classes and codes a rotation meets, by their PostgreSQL condition names. */
const CONDITIONS: Record<string, string> = {
  "28P01": "invalid_password",
  "28000": "invalid_authorization_specification",
  "42501": "insufficient_privilege",
  "42704": "undefined_object",
  "42710": "duplicate_object",
  "3D000": "invalid_catalog_name",
  "53300": "too_many_connections",
  "57P03": "cannot_connect_now",
  "57014": "query_canceled",
};

/**
 * A server's error by its SQLSTATE (and condition name), never its text: PostgreSQL's messages and details may quote
 * the statement or its parameters. The driver's own errors (connection, timeout, protocol) keep their message,
 * which the driver writes without them.
 */
export function databaseFailure(error: unknown): DatabaseFailure {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string") {
    const condition = CONDITIONS[code];
    return new DatabaseFailure(`the database answered ${condition ? `${condition} (SQLSTATE ${code})` : `SQLSTATE ${code}`}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DatabaseFailure(message.length > 200 ? `${message.slice(0, 200)}…` : message);
}

/** Runs `work` on a fresh connection as `login`, and closes it. Any failure of either rejects with DatabaseFailure. */
export async function withConnection<T>(login: Login, timeoutMs: number, work: (client: Client) => Promise<T>): Promise<T> {
  try {
    return await connected(login, timeoutMs, work);
  } catch (error) {
    throw databaseFailure(error);
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
