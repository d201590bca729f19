// What a built-in rotator may do to secrets, the same four calls an AWS rotation function makes through the API.
// The engine implements it over the secret's Durable Object (which stays the only writer of labels); tests in memory.

export const AWSCURRENT = "AWSCURRENT";
export const AWSPENDING = "AWSPENDING";
export const AWSPREVIOUS = "AWSPREVIOUS";

export interface SecretVersionValue {
  versionId: string;
  secretString: string;
}

export interface RotationSecrets {
  /**
   * A version's SecretString, chosen by id and/or staging label as GetSecretValue chooses it; undefined where
   * GetSecretValue answers ResourceNotFoundException (no such version or label, or the value-less AWSPENDING placeholder).
   * `secretId` may name another secret (the alternating strategy's master secret, by ARN).
   */
  getValue(secretId: string, select: { versionId?: string; stage?: string }): Promise<SecretVersionValue | undefined>;
  /** PutSecretValue(ClientRequestToken=token, VersionStages=[AWSPENDING]): fills the rotation's placeholder. */
  putPendingValue(secretId: string, token: string, secretString: string): Promise<void>;
  /** UpdateSecretVersionStage moving AWSCURRENT to `token` (AWSPREVIOUS follows); nothing when it is already there. */
  finish(secretId: string, token: string): Promise<void>;
}
