// The local server's keys: KMS_KEYS and ACCESS_KEYS from the environment or the dev-vars file (DEV_VARS, default
// .dev.vars), added to that file when absent from both. A key ring is never generated over existing state: a state
// directory that holds secrets needs the ring they were encrypted with. After start, the ring is checked against the
// key check values the Worker recorded in D1 (migration 0005; src/key-ring/check-values.ts computes the same values).
import { hkdfSync, randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { fail } from "./lifecycle.mjs";

// The documented local key pair (README "Access keys"); replace it in .dev.vars or the environment.
const LOCAL_ACCESS_KEYS = [{ accessKeyId: "test", secretAccessKey: "test", accountId: "111122223333" }];

/** KMS_KEYS and ACCESS_KEYS for the Worker; appends what is missing to the dev-vars file. */
export function localKeys(devVars, state) {
  const existing = existsSync(devVars) ? readFileSync(devVars, "utf8") : "";
  const vars = { ...parseEnv(existing), ...pick(process.env, "KMS_KEYS", "ACCESS_KEYS") };
  let separator = existing && !existing.endsWith("\n") ? "\n" : "";
  const add = (line) => {
    appendFileSync(devVars, `${separator}${line}\n`, { mode: 0o600 });
    separator = "";
  };
  if (!vars.KMS_KEYS) {
    if (holdsSecrets(state)) {
      fail(
        `No key ring: KMS_KEYS is in neither ${devVars} nor the environment, but ${state} holds secrets encrypted with one. ` +
          `Restore KMS_KEYS from your backup (README "Key ring safety"), or choose another STATE_DIR; npm start never generates a key ring over existing state.`,
      );
    }
    const ring = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };
    vars.KMS_KEYS = JSON.stringify(ring);
    add(`KMS_KEYS='${vars.KMS_KEYS}'`);
    console.log(`Added a new local key ring (KMS_KEYS) to ${devVars}. Back it up: it alone decrypts your local secrets.`);
  }
  if (!vars.ACCESS_KEYS) {
    vars.ACCESS_KEYS = JSON.stringify(LOCAL_ACCESS_KEYS);
    add(`ACCESS_KEYS='${vars.ACCESS_KEYS}'`);
    console.log(`Added the local access key pair test/test (account 111122223333) to ${devVars}.`);
  }
  return vars;
}

/** Whether any secret's Durable Object has storage in the state directory. */
function holdsSecrets(state) {
  const objects = `${state}/v3/do/secrets-edge-SecretObject`;
  return existsSync(objects) && readdirSync(objects).some((file) => file.endsWith(".sqlite"));
}

const pick = (source, ...names) => Object.fromEntries(names.filter((name) => source[name]).map((name) => [name, source[name]]));

export const checkValue = (base64Key) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(base64Key, "base64"), Buffer.alloc(0), "secrets-edge/key-check-value", 8)).toString("hex");

/** Exits with a line naming the first key the state depends on that the ring lacks (or holds differently). */
export async function ensureRingKnown(db, kmsKeys, state, dispose) {
  const { results } = await db.prepare("SELECT key_id, version, check_value FROM key_checks ORDER BY key_id, version").all();
  const ring = JSON.parse(kmsKeys);
  for (const { key_id: keyId, version, check_value: recorded } of results) {
    const material = ring[keyId]?.versions?.[version];
    if (material !== undefined && checkValue(material) === recorded) continue;
    await dispose();
    fail(
      `The key ring (KMS_KEYS) ${material === undefined ? "lacks" : "holds a different key as"} key ${keyId} version ${version} ` +
        `(key check value ${recorded}), which secrets in ${state} were encrypted with. Restore it from your backup (README "Key ring safety").`,
    );
  }
}
