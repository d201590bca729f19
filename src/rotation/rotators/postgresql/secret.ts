// The SecretString of an AWS database secret for PostgreSQL: {engine, host, port, username, password, dbname, …} and,
// for the alternating-users strategy, `masterarn`. Errors name the missing field, never a value.
import { jsonObject } from "../random-password";
import { RotationStepError } from "../rotator";
import type { Login } from "./connection";

const ENGINES = new Set(["postgres", "aurora-postgresql"]);
export const CLONE_SUFFIX = "_clone";
/** PostgreSQL's identifier length limit (NAMEDATALEN - 1). */
const MAX_USERNAME = 63;

export interface DatabaseSecret {
  login: Login;
  /** The whole JSON object, written back with only username/password changed. */
  fields: Record<string, unknown>;
}

export function databaseSecret(secretString: string, which: string): DatabaseSecret {
  const fields = jsonObject(secretString);
  const need = (key: string) => {
    const value = fields[key];
    if (typeof value !== "string" || value === "") throw new RotationStepError(`the ${which} secret has no ${key}`);
    return value;
  };
  if (fields.engine !== undefined && !ENGINES.has(String(fields.engine))) {
    throw new RotationStepError(`the ${which} secret's engine is not postgres`);
  }
  const port = fields.port === undefined ? 5432 : Number(fields.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RotationStepError(`the ${which} secret's port is not valid`);
  const dbname = typeof fields.dbname === "string" && fields.dbname !== "" ? fields.dbname : "postgres";
  return { fields, login: { host: need("host"), port, username: need("username"), password: need("password"), dbname } };
}

/** The other user of the alternating pair: `app` ↔ `app_clone`. */
export function alternateUsername(username: string): string {
  const next = username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username + CLONE_SUFFIX;
  if (next.length > MAX_USERNAME) throw new RotationStepError(`createSecret: the username ${next} is longer than ${MAX_USERNAME} characters`);
  return next;
}

export const baseUsername = (username: string) => (username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username);
