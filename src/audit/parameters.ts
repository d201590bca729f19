// requestParameters, responseElements and resources of a record (pure), as CloudTrail logs Secrets Manager calls:
// the request's modeled members with lower-camel keys, sensitive members (values, rotation tokens, passwords)
// left out entirely at any depth, and the secrets a call named or answered for.

/** Members whose values never reach a record: the model's sensitive shapes. */
export const SENSITIVE_MEMBERS: ReadonlySet<string> = new Set(["SecretString", "SecretBinary", "RotationToken", "RandomPassword"]);

export const SECRET_TYPE = "AWS::SecretsManager::Secret";

/** Past this size (JSON characters) requestParameters is recorded as null, so no request can bloat the trail. */
export const MAX_PARAMETERS_CHARS = 32_768;
/** At most this many resources per record (BatchGetSecretValue names up to 20). */
const MAX_RESOURCES = 20;

export interface TrailResource {
  type: string;
  name: string;
}

/** "ARN" → "arn", "SecretId" → "secretId", "KmsKeyId" → "kmsKeyId". */
export const lowerCamel = (key: string): string => (key === key.toUpperCase() ? key.toLowerCase() : key[0]!.toLowerCase() + key.slice(1));

/** The request's modeled members, lower-camel, without sensitive members; null when there are none. */
export function requestParameters(request: unknown, members: readonly string[]): Record<string, unknown> | null {
  if (!isObject(request)) return null;
  const kept = Object.entries(request).filter(([key]) => members.includes(key) && !SENSITIVE_MEMBERS.has(key));
  if (kept.length === 0) return null;
  const parameters = Object.fromEntries(kept.map(([key, value]) => [lowerCamel(key), scrub(value)]));
  return JSON.stringify(parameters).length > MAX_PARAMETERS_CHARS ? null : parameters;
}

/** A mutation's answer (ARN, Name, VersionId, …), lower-camel, without sensitive members. */
export function responseElements(response: unknown): Record<string, unknown> | null {
  if (!isObject(response)) return null;
  const elements = scrub(response) as Record<string, unknown>;
  return Object.keys(elements).length > 0 ? elements : null;
}

/** Structures get lower-camel keys and lose sensitive members; everything else is kept as sent. */
function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SENSITIVE_MEMBERS.has(key))
      .map(([key, member]) => [lowerCamel(key), scrub(member)]),
  );
}

/**
 * The secrets a call is about: the ARNs in its answer (ARN, SecretValues[].ARN) when it succeeded, else what the
 * request named (SecretId, SecretIdList): an ARN, or a name when the call never learnt the ARN.
 */
export function secretResources(request: unknown, response: unknown): TrailResource[] {
  const names = new Set<string>();
  if (isObject(response)) {
    if (typeof response.ARN === "string") names.add(response.ARN);
    if (Array.isArray(response.SecretValues)) for (const entry of response.SecretValues) if (isObject(entry) && typeof entry.ARN === "string") names.add(entry.ARN);
  }
  if (names.size === 0 && isObject(request)) {
    if (typeof request.SecretId === "string") names.add(request.SecretId);
    if (Array.isArray(request.SecretIdList)) for (const id of request.SecretIdList) if (typeof id === "string") names.add(id);
  }
  return [...names]
    .filter((name) => name.length > 0 && name.length <= 2048)
    .slice(0, MAX_RESOURCES)
    .map((name) => ({ type: SECRET_TYPE, name }));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
