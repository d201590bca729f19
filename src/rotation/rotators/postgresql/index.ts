// Built-in rotator `postgresql`: AWS's PostgreSQL rotation templates run inside the Worker. `single-user` changes the
// secret's user's password; `alternating-users` switches between `<user>` and `<user>_clone`, creating the clone
// (a member of the user's role) with the master secret named by `masterarn`, so the previous credentials keep working
// until the next rotation.
import { escapeIdentifier, escapeLiteral, type Client } from "pg";
import { z } from "zod";
import { generatePassword, passwordOptions, PasswordRequest } from "../../../domain/password";
import type { RotationEvent } from "../../event";
import { AWSCURRENT, AWSPREVIOUS, type RotationSecrets } from "../../secrets";
import { pendingValue, RotationStepError, type Rotator } from "../rotator";
import { canLogIn, DatabaseFailure, withConnection, type Login } from "./connection";
import { scramVerifier } from "./scram";
import { alternateUsername, baseUsername, databaseSecret, type DatabaseSecret } from "./secret";

export const PostgresqlOptions = PasswordRequest.extend({
  builtin: z.literal("postgresql"),
  strategy: z.enum(["single-user", "alternating-users"]).default("single-user"),
  // The AWS templates' default EXCLUDE_CHARACTERS: characters that break connection strings.
  ExcludeCharacters: z.string().max(4096).default(":/@\"'\\"),
  /** Bound on connecting and on each statement. */
  timeoutSeconds: z.number().positive().max(60).default(10),
}).strict();
export type PostgresqlOptions = z.infer<typeof PostgresqlOptions>;

export function postgresqlRotator(options: PostgresqlOptions): Rotator {
  const timeout = options.timeoutSeconds * 1000;
  const alternating = options.strategy === "alternating-users";

  async function secretAt(secrets: RotationSecrets, id: string, stage: string, which: string): Promise<DatabaseSecret | undefined> {
    const value = await secrets.getValue(id, { stage });
    return value && databaseSecret(value.secretString, which);
  }

  async function createSecret(event: RotationEvent, secrets: RotationSecrets) {
    const { SecretId: id, ClientRequestToken: token } = event;
    const current = await secretAt(secrets, id, AWSCURRENT, "current");
    if (!current) throw new RotationStepError("createSecret: the secret has no AWSCURRENT value");
    if (await secrets.getValue(id, { versionId: token, stage: "AWSPENDING" })) return; // a retry: already created
    const password = generatePassword(passwordOptions(options));
    if (!password.ok) throw new RotationStepError(`createSecret: ${password.error.message}`);
    const username = alternating ? alternateUsername(current.login.username) : current.login.username;
    await secrets.putPendingValue(id, token, JSON.stringify({ ...current.fields, username, password: password.value }));
  }

  async function setSecret(event: RotationEvent, secrets: RotationSecrets) {
    const pending = databaseSecret(await pendingValue(secrets, event), "pending").login;
    if (await canLogIn(pending, timeout)) return; // a retry: already set
    const current = await secretAt(secrets, event.SecretId, AWSCURRENT, "current");
    if (!current) throw new RotationStepError("setSecret: the secret has no AWSCURRENT value");
    if (current.login.host !== pending.host) throw new RotationStepError("setSecret: the pending secret names another host than the current one");
    if (alternating) return setAlternating(pending, current, secrets);
    if (current.login.username !== pending.username) throw new RotationStepError("setSecret: the pending secret names another user than the current one");
    // The user changes its own password, logged in with the current credentials or, after a half-done rotation, the previous ones.
    const previous = await secretAt(secrets, event.SecretId, AWSPREVIOUS, "previous");
    for (const login of [current.login, previous?.login]) {
      if (!login || login.username !== pending.username || login.host !== pending.host) continue;
      if (!(await canLogIn(login, timeout))) continue;
      return withConnection(login, timeout, (client) => setPassword(client, pending.username, pending.password));
    }
    throw new RotationStepError("setSecret: unable to log into the database with the previous, current or pending secret");
  }

  async function setAlternating(pending: Login, current: DatabaseSecret, secrets: RotationSecrets) {
    if (baseUsername(pending.username) !== baseUsername(current.login.username)) {
      throw new RotationStepError("setSecret: the pending user is not the current user's alternate");
    }
    const masterArn = current.fields.masterarn;
    if (typeof masterArn !== "string" || masterArn === "") throw new RotationStepError("setSecret: the current secret has no masterarn");
    const master = await secretAt(secrets, masterArn, AWSCURRENT, "master");
    if (!master) throw new RotationStepError("setSecret: the master secret has no AWSCURRENT value");
    if (master.login.host !== pending.host) throw new RotationStepError("setSecret: the master secret names another host than the current one");
    await withConnection({ ...master.login, dbname: pending.dbname }, timeout, async (client) => {
      const exists = await client.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [pending.username]);
      if (exists.rowCount === 0) {
        // The clone is a member of the user's role, so it holds the same privileges.
        await client.query(`CREATE ROLE ${escapeIdentifier(pending.username)} WITH LOGIN`);
        await client.query(`GRANT ${escapeIdentifier(current.login.username)} TO ${escapeIdentifier(pending.username)}`);
      }
      await setPassword(client, pending.username, pending.password);
    });
  }

  async function testSecret(event: RotationEvent, secrets: RotationSecrets) {
    const pending = databaseSecret(await pendingValue(secrets, event), "pending").login;
    try {
      await withConnection(pending, timeout, (client) => client.query("SELECT now()"));
    } catch (error) {
      throw new RotationStepError(`testSecret: unable to log into the database with the pending secret: ${(error as Error).message}`);
    }
  }

  const steps = { createSecret, setSecret, testSecret };
  return {
    async runStep(event, secrets) {
      if (event.Step === "finishSecret") return secrets.finish(event.SecretId, event.ClientRequestToken);
      try {
        await steps[event.Step](event, secrets);
      } catch (error) {
        // A DatabaseFailure names the SQLSTATE or the driver's cause, never the server's text (connection.ts): record it.
        if (error instanceof DatabaseFailure) throw new RotationStepError(`${event.Step}: ${error.message}`);
        throw error;
      }
    },
  };
}

async function setPassword(client: Client, username: string, password: string): Promise<void> {
  await client.query(`ALTER ROLE ${escapeIdentifier(username)} WITH PASSWORD ${escapeLiteral(await scramVerifier(password))}`);
}
