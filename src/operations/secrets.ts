// What operations share: finding a secret's Durable Object from a SecretId, reading a request's value,
// and turning a Result from the object into a response or an AwsError.
import { INVALID_NAME, type SecretRef, isValidSecretId, objectName, parseSecretId } from "../domain/secret-id";
import { locationHint } from "../domain/regions";
import type { Result } from "../domain/result";
import { AwsError, SECRET_NOT_FOUND } from "../protocol/errors";
import type { SecretValue, Target } from "../secret-object/types";
import type { Context } from "./operation";

export function secretObject(ctx: Context, ref: SecretRef) {
  const { SECRETS } = ctx.env;
  return SECRETS.get(SECRETS.idFromName(objectName(ref)), { locationHint: locationHint(ref.region) });
}

/** Resolves a SecretId (name, full ARN or partial ARN) to its object and the incarnation it names. */
export function locate(ctx: Context, secretId: string, action: string) {
  if (!isValidSecretId(secretId)) throw new AwsError("ValidationException", INVALID_NAME);
  const ref = parseSecretId(secretId, ctx.caller);
  if (ref.accountId !== ctx.caller.accountId) {
    // Until resource policies exist, no secret is shared across accounts (IAM's default deny).
    throw new AwsError(
      "AccessDeniedException",
      `User: ${ctx.caller.principalArn} is not authorized to perform: secretsmanager:${action} on resource: ${secretId} because no resource-based policy allows the secretsmanager:${action} action`,
    );
  }
  if (ref.region !== ctx.caller.region) throw new AwsError("ResourceNotFoundException", SECRET_NOT_FOUND);
  const target: Target = ref.suffix === undefined ? {} : { suffix: ref.suffix };
  return { ref, target, secret: secretObject(ctx, ref) };
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
