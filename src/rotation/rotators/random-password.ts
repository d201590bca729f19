// Built-in rotator `random-password`: a fresh value from GetRandomPassword's generator, either the whole SecretString
// or one key of a JSON SecretString (`key`). There is no external system to update, so setSecret does nothing.
import { z } from "zod";
import { generatePassword, passwordOptions, PasswordRequest } from "../../domain/password";
import type { RotationEvent } from "../event";
import { AWSCURRENT, type RotationSecrets } from "../secrets";
import { pendingValue, RotationStepError, type Rotator } from "./rotator";

export const RandomPasswordOptions = PasswordRequest.extend({
  builtin: z.literal("random-password"),
  /** Replace this key of a JSON object SecretString instead of the whole value. */
  key: z.string().min(1).optional(),
}).strict();
export type RandomPasswordOptions = z.infer<typeof RandomPasswordOptions>;

export function randomPasswordRotator(options: RandomPasswordOptions): Rotator {
  const fresh = (): string => {
    const password = generatePassword(passwordOptions(options));
    if (!password.ok) throw new RotationStepError(`createSecret: ${password.error.message}`);
    return password.value;
  };

  async function createSecret(event: RotationEvent, secrets: RotationSecrets) {
    const { SecretId: id, ClientRequestToken: token } = event;
    if (await secrets.getValue(id, { versionId: token, stage: "AWSPENDING" })) return; // a retry: already created
    if (options.key === undefined) return secrets.putPendingValue(id, token, fresh());
    const current = await secrets.getValue(id, { stage: AWSCURRENT });
    const object = current ? jsonObject(current.secretString) : {};
    return secrets.putPendingValue(id, token, JSON.stringify({ ...object, [options.key]: fresh() }));
  }

  async function testSecret(event: RotationEvent, secrets: RotationSecrets) {
    const value = await pendingValue(secrets, event);
    if (options.key !== undefined && typeof jsonObject(value)[options.key] !== "string") {
      throw new RotationStepError(`testSecret: the pending value has no string key ${JSON.stringify(options.key)}`);
    }
  }

  return {
    async runStep(event, secrets) {
      if (event.Step === "createSecret") return createSecret(event, secrets);
      if (event.Step === "testSecret") return testSecret(event, secrets);
      if (event.Step === "finishSecret") return secrets.finish(event.SecretId, event.ClientRequestToken);
    },
  };
}

/** A SecretString that must be a JSON object; the error never quotes it. */
export function jsonObject(secretString: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new RotationStepError("the secret value is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new RotationStepError("the secret value is not a JSON object");
  return parsed as Record<string, unknown>;
}
