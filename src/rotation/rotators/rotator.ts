// A built-in rotator: runs one step of the four-step contract inside the Worker, against RotationSecrets. A step
// that cannot complete throws RotationStepError (its message is the step's recorded error; it never holds a value).
import type { RotationEvent } from "../event";
import type { RotationSecrets } from "../secrets";

export interface Rotator {
  runStep(event: RotationEvent, secrets: RotationSecrets): Promise<void>;
}

export class RotationStepError extends Error {
  override readonly name = "RotationStepError";
}

/** The AWSPENDING value of this rotation, which createSecret must have written. */
export async function pendingValue(secrets: RotationSecrets, event: RotationEvent): Promise<string> {
  const pending = await secrets.getValue(event.SecretId, { versionId: event.ClientRequestToken, stage: "AWSPENDING" });
  if (!pending) throw new RotationStepError(`${event.Step}: the pending version ${event.ClientRequestToken} has no value`);
  return pending.secretString;
}
