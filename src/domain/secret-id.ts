// Secret identity: ARNs with their 6-character suffix, and SecretId parsing (name, full ARN, partial ARN).

export const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]+$/;
export const INVALID_NAME =
  "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

/** Where a secret lives and, when the caller used a full ARN, which incarnation it meant. */
export interface SecretRef {
  accountId: string;
  region: string;
  name: string;
  /** The ARN's 6-character suffix, present only when the SecretId was a full ARN. */
  suffix?: string;
}

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomSuffix(): string {
  let suffix = "";
  while (suffix.length < 6) {
    for (const byte of crypto.getRandomValues(new Uint8Array(8))) {
      // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && suffix.length < 6) suffix += SUFFIX_ALPHABET[byte % 62];
    }
  }
  return suffix;
}

export function buildArn(region: string, accountId: string, name: string, suffix: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

const ARN = /^arn:([^:]+):secretsmanager:([^:]+):(\d{12}):secret:(.+)$/;
// AWS treats a trailing "-" + 6 alphanumerics as the suffix, so a partial ARN of a name that ends like
// one does not resolve (reference/aws-behaviour.md E2).
const WITH_SUFFIX = /^(.+)-([A-Za-z0-9]{6})$/;

/** True when the SecretId is a well-formed name or ARN; otherwise AWS answers ValidationException. */
export function isValidSecretId(secretId: string): boolean {
  const arn = ARN.exec(secretId);
  return NAME_PATTERN.test(arn ? arn[4]! : secretId);
}

/** Resolves a SecretId against the caller's account and region. */
export function parseSecretId(secretId: string, caller: { accountId: string; region: string }): SecretRef {
  const arn = ARN.exec(secretId);
  if (!arn) return { accountId: caller.accountId, region: caller.region, name: secretId };
  const [, , region, accountId, resource] = arn as unknown as [string, string, string, string, string];
  const suffixed = WITH_SUFFIX.exec(resource);
  if (suffixed) return { accountId, region, name: suffixed[1]!, suffix: suffixed[2]! };
  return { accountId, region, name: resource };
}

/** The Durable Object name of a secret: one object per account/region/name. */
export const objectName = (ref: SecretRef): string => `${ref.accountId}/${ref.region}/${ref.name}`;

/** The same secret's ARN in another region (a replica's ARN from its primary's, and back). */
export const arnInRegion = (arn: string, region: string): string => arn.replace(/^(arn:[^:]+:secretsmanager:)[^:]+:/, `$1${region}:`);

/** The region an ARN names. */
export const regionOfArn = (arn: string): string => arn.split(":")[3]!;
