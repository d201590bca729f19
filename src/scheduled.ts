// The cron sweeper: pokes every secret whose deletion deadline has passed, in case its alarm was missed.
// Idempotent, so running it twice or alongside an alarm is harmless.
import { objectName } from "./domain/secret-id";
import { locationHint } from "./domain/regions";
import type { Env } from "./env";
import { dueDeletions } from "./index-db/secrets-index";

export async function sweep(env: Env, now: number): Promise<number> {
  const due = await dueDeletions(env.DB, now);
  await Promise.all(
    due.map((ref) => env.SECRETS.get(env.SECRETS.idFromName(objectName(ref)), { locationHint: locationHint(ref.region) }).sweep()),
  );
  return due.length;
}
