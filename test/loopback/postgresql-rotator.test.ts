// The built-in postgresql rotator, run in workerd against a real PostgreSQL server on loopback (cloudflare:sockets):
// single-user changes the user's password, alternating-users switches between <user> and <user>_clone.
import { inject, describe, expect, it } from "vitest";
import { ROTATION_STEPS, type RotationStep } from "../../src/rotation/event";
import { PostgresqlOptions, postgresqlRotator } from "../../src/rotation/rotators/postgresql";
import { canLogIn, withConnection, type Login } from "../../src/rotation/rotators/postgresql/connection";
import { MemorySecrets } from "../support/memory-secrets";

const server = inject("postgres");
const superuser: Login = { host: server.host, port: server.port, username: server.user, password: server.password, dbname: "postgres" };
const TIMEOUT = 10_000;

const admin = (sql: string) => withConnection(superuser, TIMEOUT, (client) => client.query(sql));

/** A login role with a table of its own; returns its login. */
async function appUser(): Promise<Login> {
  const username = `app_${crypto.randomUUID().slice(0, 8)}`;
  const password = `initial-${crypto.randomUUID()}`;
  await admin(`CREATE ROLE ${username} LOGIN PASSWORD '${password}'`);
  await admin(`CREATE TABLE ${username}_data (n int); INSERT INTO ${username}_data VALUES (42); ALTER TABLE ${username}_data OWNER TO ${username}`);
  return { ...superuser, username, password };
}

const dbSecret = (login: Login, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ engine: "postgres", host: login.host, port: login.port, username: login.username, password: login.password, dbname: login.dbname, ...extra });

const loginOf = (secretString: string): Login => {
  const s = JSON.parse(secretString);
  return { host: s.host, port: s.port, username: s.username, password: s.password, dbname: s.dbname };
};

async function rotate(secrets: MemorySecrets, options: Record<string, unknown>, steps: readonly RotationStep[] = ROTATION_STEPS) {
  const rotator = postgresqlRotator(PostgresqlOptions.parse({ builtin: "postgresql", ...options }));
  const token = secrets.startRotation("db");
  for (const Step of steps) await rotator.runStep({ Step, SecretId: "db", ClientRequestToken: token, RotationToken: crypto.randomUUID() }, secrets);
  return { rotator, token };
}

describe("postgresql rotator, single user", () => {
  it("sets a new password that logs in; after finishSecret the old one no longer does", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret(app));
    await rotate(secrets, {}, ["createSecret", "setSecret", "testSecret"]);
    const pending = loginOf(secrets.valueAt("db", "AWSPENDING") as string);
    expect(pending.username).toBe(app.username);
    expect(pending.password).not.toBe(app.password);
    expect(pending.password).not.toMatch(/[:/@"'\\]/);
    expect(await canLogIn(pending, TIMEOUT)).toBe(true);

    const rotator = postgresqlRotator(PostgresqlOptions.parse({ builtin: "postgresql" }));
    const token = Object.keys(secrets.stagesOf("db")).find((id) => secrets.stagesOf("db")[id]?.includes("AWSPENDING")) as string;
    await rotator.runStep({ Step: "finishSecret", SecretId: "db", ClientRequestToken: token, RotationToken: crypto.randomUUID() }, secrets);
    expect(loginOf(secrets.valueAt("db", "AWSCURRENT") as string)).toEqual(pending);
    expect(await canLogIn(pending, TIMEOUT)).toBe(true);
    expect(await canLogIn(app, TIMEOUT)).toBe(false);
  });

  it("stores a SCRAM verifier, so the statement never carried the password", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret(app));
    await rotate(secrets, {});
    const stored = await admin(`SELECT rolpassword FROM pg_authid WHERE rolname = '${app.username}'`);
    expect(stored.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  });

  it("repeats setSecret and testSecret harmlessly (a retried step)", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret(app));
    const { rotator, token } = await rotate(secrets, {}, ["createSecret", "setSecret"]);
    await rotator.runStep({ Step: "setSecret", SecretId: "db", ClientRequestToken: token, RotationToken: crypto.randomUUID() }, secrets);
    await rotator.runStep({ Step: "testSecret", SecretId: "db", ClientRequestToken: token, RotationToken: crypto.randomUUID() }, secrets);
    expect(await canLogIn(loginOf(secrets.valueAt("db", "AWSPENDING") as string), TIMEOUT)).toBe(true);
  });

  it("fails testSecret when the password was never set, leaving AWSCURRENT in place", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret(app));
    await expect(rotate(secrets, {}, ["createSecret", "testSecret"])).rejects.toThrow(
      /^testSecret: unable to log into the database with the pending secret: the database answered invalid_password \(SQLSTATE 28P01\)$/,
    );
    expect(secrets.valueAt("db", "AWSCURRENT")).toBe(dbSecret(app));
    expect(await canLogIn(app, TIMEOUT)).toBe(true);
  });

  it("fails setSecret when no stored credentials log in, naming no password", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret({ ...app, password: "wrong-password" }));
    const failure = rotate(secrets, {}, ["createSecret", "setSecret"]);
    await expect(failure).rejects.toThrow("setSecret: unable to log into the database with the previous, current or pending secret");
    await expect(failure).rejects.not.toThrow(/wrong-password/);
  });
});

describe("postgresql rotator, alternating users", () => {
  it("alternates between the user and its clone; the previous credentials keep working until the next rotation", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("master", dbSecret(superuser));
    secrets.create("db", dbSecret(app, { masterarn: "master" }));
    const options = { strategy: "alternating-users" };

    await rotate(secrets, options);
    const first = loginOf(secrets.valueAt("db", "AWSCURRENT") as string);
    expect(first.username).toBe(`${app.username}_clone`);
    expect(JSON.parse(secrets.valueAt("db", "AWSCURRENT") as string).masterarn).toBe("master");
    // The clone holds the user's privileges: it reads the user's table.
    const rows = await withConnection(first, TIMEOUT, (client) => client.query(`SELECT n FROM ${app.username}_data`));
    expect(rows.rows).toEqual([{ n: 42 }]);
    expect(await canLogIn(app, TIMEOUT)).toBe(true);

    await rotate(secrets, options);
    const second = loginOf(secrets.valueAt("db", "AWSCURRENT") as string);
    expect(second.username).toBe(app.username);
    expect(second.password).not.toBe(app.password);
    expect(await canLogIn(second, TIMEOUT)).toBe(true);
    expect(await canLogIn(app, TIMEOUT)).toBe(false);
    expect(await canLogIn(first, TIMEOUT)).toBe(true);

    await rotate(secrets, options);
    const third = loginOf(secrets.valueAt("db", "AWSCURRENT") as string);
    expect(third.username).toBe(`${app.username}_clone`);
    expect(await canLogIn(third, TIMEOUT)).toBe(true);
    expect(await canLogIn(first, TIMEOUT)).toBe(false);
  });

  it("records the server's refusal of the master login as setSecret's error, without the password", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("master", dbSecret({ ...superuser, password: "not-the-master-password" }));
    secrets.create("db", dbSecret(app, { masterarn: "master" }));
    const failure = rotate(secrets, { strategy: "alternating-users" }, ["createSecret", "setSecret"]);
    await expect(failure).rejects.toThrow(/^setSecret: the database answered invalid_password \(SQLSTATE 28P01\)$/);
    expect(secrets.valueAt("db", "AWSCURRENT")).toBe(dbSecret(app, { masterarn: "master" }));
  });

  it("fails setSecret without a master secret", async () => {
    const app = await appUser();
    const secrets = new MemorySecrets();
    secrets.create("db", dbSecret(app));
    await expect(rotate(secrets, { strategy: "alternating-users" }, ["createSecret", "setSecret"])).rejects.toThrow(
      "setSecret: the current secret has no masterarn",
    );
  });
});
