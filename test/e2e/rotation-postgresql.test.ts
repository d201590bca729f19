// The built-in postgresql rotator end to end: RotateSecret through the AWS SDK for JavaScript on the shared server,
// whose ROTATION_FUNCTIONS names the rotator for two function ARNs (rotation/functions.ts), against the run's real
// PostgreSQL server on loopback; every login is checked from Node with `pg`, as an application would connect.
import { CreateSecretCommand, GetSecretValueCommand, RotateSecretCommand } from "@aws-sdk/client-secrets-manager";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { client, uniqueName } from "./client";
import { POSTGRESQL_ALTERNATING_USERS_ARN, POSTGRESQL_SINGLE_USER_ARN } from "./rotation/functions";

const sm = client(inject("endpoint"));
const postgres = inject("postgres");
const ROTATION_LIMIT_MS = 30_000;

interface Login {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
}

const superuser: Login = { host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password, dbname: "postgres" };

async function withConnection<T>(login: Login, use: (connection: pg.Client) => Promise<T>): Promise<T> {
  const connection = new pg.Client({ ...login, user: login.username, database: login.dbname, connectionTimeoutMillis: 10_000 });
  await connection.connect();
  try {
    return await use(connection);
  } finally {
    await connection.end();
  }
}

/** Whether the login is accepted and can read the user's table; false when PostgreSQL refuses the password. */
async function readsTable(login: Login, table: string): Promise<boolean> {
  try {
    const rows = await withConnection(login, (connection) => connection.query(`SELECT n FROM ${table}`));
    return rows.rows[0]?.n === 42;
  } catch (error) {
    if ((error as { code?: string }).code === "28P01") return false; // invalid_password
    throw error;
  }
}

/** A login role owning a table, and the SecretString of AWS's database secrets for it. */
async function appUser(extra: Record<string, string> = {}) {
  const login: Login = { ...superuser, username: `e2e_${crypto.randomUUID().slice(0, 8)}`, password: `initial-${crypto.randomUUID()}` };
  const table = `${login.username}_data`;
  await withConnection(superuser, async (admin) => {
    await admin.query(`CREATE ROLE ${login.username} LOGIN PASSWORD '${login.password}'`);
    await admin.query(`CREATE TABLE ${table} (n int); INSERT INTO ${table} VALUES (42); ALTER TABLE ${table} OWNER TO ${login.username}`);
  });
  return { login, table, secretString: databaseSecret(login, extra) };
}

const databaseSecret = (login: Login, extra: Record<string, string> = {}) =>
  JSON.stringify({ engine: "postgres", host: login.host, port: login.port, username: login.username, password: login.password, dbname: login.dbname, ...extra });

const loginOf = (secretString: string): Login => {
  const { host, port, username, password, dbname } = JSON.parse(secretString);
  return { host, port, username, password, dbname };
};

/** RotateSecret, then the AWSCURRENT value once it has moved to the rotation's version (bounded). */
async function rotate(secretId: string, functionArn: string): Promise<Login> {
  const token = crypto.randomUUID();
  await sm.send(new RotateSecretCommand({ SecretId: secretId, ClientRequestToken: token, RotationLambdaARN: functionArn }));
  const deadline = Date.now() + ROTATION_LIMIT_MS;
  for (;;) {
    const current = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (current.VersionId === token) return loginOf(current.SecretString!);
    if (Date.now() > deadline) throw new Error(`AWSCURRENT did not move to the rotation's version within ${ROTATION_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("RotateSecret with the built-in postgresql rotator", () => {
  it("single user: AWSCURRENT moves to a new password that logs in, and the old one no longer does", async () => {
    const app = await appUser();
    const secret = await sm.send(new CreateSecretCommand({ Name: uniqueName("pg-single"), SecretString: app.secretString }));
    const rotated = await rotate(secret.ARN!, POSTGRESQL_SINGLE_USER_ARN);
    expect({ ...rotated, password: undefined }).toEqual({ ...app.login, password: undefined });
    expect(rotated.password).not.toBe(app.login.password);
    expect(await readsTable(rotated, app.table)).toBe(true);
    expect(await readsTable(app.login, app.table)).toBe(false);
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: secret.ARN, VersionStage: "AWSPREVIOUS" }));
    expect(loginOf(previous.SecretString!)).toEqual(app.login);
  });

  it("alternating users: the user and its clone take turns, each rotation's login works, the one before it until the next", async () => {
    const master = await sm.send(new CreateSecretCommand({ Name: uniqueName("pg-master"), SecretString: databaseSecret(superuser) }));
    const app = await appUser({ masterarn: master.ARN! });
    const secret = await sm.send(new CreateSecretCommand({ Name: uniqueName("pg-alternating"), SecretString: app.secretString }));

    const first = await rotate(secret.ARN!, POSTGRESQL_ALTERNATING_USERS_ARN);
    expect(first.username).toBe(`${app.login.username}_clone`);
    expect(await readsTable(first, app.table)).toBe(true);
    expect(await readsTable(app.login, app.table)).toBe(true);

    const second = await rotate(secret.ARN!, POSTGRESQL_ALTERNATING_USERS_ARN);
    expect(second.username).toBe(app.login.username);
    expect(second.password).not.toBe(app.login.password);
    expect(await readsTable(second, app.table)).toBe(true);
    expect(await readsTable(first, app.table)).toBe(true);
    expect(await readsTable(app.login, app.table)).toBe(false);
    const current = await sm.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
    expect(JSON.parse(current.SecretString!).masterarn).toBe(master.ARN);
  });
});
