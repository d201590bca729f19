// The rotation function's contract: one invocation per step with {Step, SecretId, ClientRequestToken, RotationToken},
// in order createSecret → setSecret → testSecret → finishSecret, each answered by success or a failure with its error.

export const ROTATION_STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The JSON a rotation function receives, as AWS sends it (camelCase step names, the secret's ARN as SecretId). */
export interface RotationEvent {
  Step: RotationStep;
  SecretId: string;
  /** The new version's id (the RotateSecret VersionId). */
  ClientRequestToken: string;
  /** Handed back in PutSecretValue.RotationToken by a rotator acting for the service; 36-256 of [a-zA-Z0-9-]. */
  RotationToken: string;
  /** A managed external secret's partner metadata (RotateSecret ExternalSecretRotationMetadata). */
  ExternalSecretRotationMetadata?: { Key: string; Value: string }[];
}

/**
 * How one step ended. `error` says why, bounded in size and never quoting a value: a function's status and error
 * type (never its payload), a built-in rotator's own message, or why the function could not be reached.
 */
export type StepOutcome = { ok: true } | { ok: false; error: string };

/** The steps a rotation runs: all four, or testSecret alone for RotateImmediately=false. */
export const stepsFor = (rotateImmediately: boolean): readonly RotationStep[] => (rotateImmediately ? ROTATION_STEPS : ["testSecret"]);

export const newRotationToken = (): string => crypto.randomUUID();

const MAX_ERROR = 4096;
/** A step failure; long payloads are cut so one failing function cannot grow the object's storage or the logs. */
export const stepFailed = (error: string): StepOutcome => ({
  ok: false,
  error: error.length > MAX_ERROR ? `${error.slice(0, MAX_ERROR)}… (${error.length} characters)` : error,
});
