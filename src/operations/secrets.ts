// What operations share: finding a secret's Durable Object from a SecretId, the authorization facts sent with each
// call, reading a request's value, and turning a Result from the object into a response or an AwsError.
import { INVALID_NAME, type SecretRef, buildArn, isValidSecretId, parseSecretId } from "../domain/secret-id";
import { noting } from "../audit/prepared-call";
import { objectAt } from "../secret-object/object-at";
import type { Result } from "../domain/result";
import { AwsError, SECRET_NOT_FOUND } from "../protocol/errors";
import { type Auth, type RequestKeys, absentArn, deniedBeforeLookup, judge } from "../authz/secret";
import type { SecretValue, Target } from "../secret-object/types";
import type { Context } from "./operation";

export function secretObject(ctx: Context, ref: SecretRef) {
  const stub = objectAt(ctx.env.SECRETS, ref);
  return ctx.audit ? noting(stub, ctx.audit.slot) : stub;
}

/** The authorization facts of this request for `operation` (authz/secret.ts); denials name `named`. */
export function authFor(ctx: Context, operation: string, named: string, request?: RequestKeys): Auth {
  const c = ctx.caller;
  return {
    principal: { arn: c.principalArn, accountId: c.accountId, roleArn: c.roleArn },
    identityPolicy: c.identityPolicy,
    principalTags: c.principalTags,
    sourceIp: c.sourceIp,
    secureTransport: c.secureTransport,
    requestedRegion: c.region,
    now: ctx.now,
    action: `secretsmanager:${operation}`,
    named,
    request,
    audit: ctx.audit?.call,
  };
}

/**
 * Authorizes an operation that names no secret (ListSecrets, BatchGetSecretValue, GetRandomPassword, …) against
 * resource `*` with the identity policy: the AwsError to throw when denied, else undefined.
 */
export function deniedWithoutResource(ctx: Context, operation: string): AwsError | undefined {
  const denied = judge(authFor(ctx, operation, "*"), { arn: "*" });
  return denied && AwsError.from(denied);
}

/**
 * Resolves a SecretId (name, full ARN or partial ARN) to its object, the incarnation it names and the
 * authorization facts the object judges. Another account's ARN routes to that account's object, whose
 * resource policy must then allow the caller as well (IAM's cross-account rule).
 */
export function locate(ctx: Context, secretId: string, operation: string, request?: RequestKeys) {
  if (!isValidSecretId(secretId)) throw new AwsError("ValidationException", INVALID_NAME);
  const ref = parseSecretId(secretId, ctx.caller);
  const target: Target = { suffix: ref.suffix, arn: absentArn(ref.region, ref.accountId, ref.name, ref.suffix) };
  const auth = authFor(ctx, operation, secretId, request);
  if (ref.region !== ctx.caller.region) {
    // Each region is its own namespace, so nothing there is reachable; IAM is still asked first, as for any secret.
    const denied = judge(auth, { arn: target.arn });
    throw denied ? AwsError.from(denied) : new AwsError("ResourceNotFoundException", SECRET_NOT_FOUND);
  }
  // Two suffixes with no character in common: a Resource pattern matching both matches every suffix.
  const arns = ref.suffix ? [target.arn] : ["AAAAAA", "zz9z9z"].map((s) => buildArn(ref.region, ref.accountId, ref.name, s));
  const denied = deniedBeforeLookup(auth, arns);
  if (denied) throw AwsError.from(denied);
  return { ref, target, auth, secret: secretObject(ctx, ref) };
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw AwsError.from(result.error);
  return result.value;
}

const encoder = new TextEncoder();

/** The value of a Create/Put/UpdateSecret request, if it has one. */
export function secretValue(input: { SecretString?: string; SecretBinary?: Uint8Array }): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new AwsError("InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (input.SecretString !== undefined) return { kind: "string", bytes: encoder.encode(input.SecretString) };
  if (input.SecretBinary !== undefined) return { kind: "binary", bytes: input.SecretBinary };
  return undefined;
}

/** SDKs always send a ClientRequestToken with a value; a raw request without one is refused as AWS does. */
export function requireToken(token: string | undefined): string {
  if (token === undefined) {
    throw new AwsError("InvalidRequestException", "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
  }
  return token;
}
