// Hono middleware: refuses every operation that changes state while the key ring is unknown to the state
// (ring-guard.ts). Reads go on: what the ring can still decrypt stays readable, and the audit trail too.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { AwsError } from "../protocol/errors";
import { CLOUDTRAIL_PREFIXES } from "../protocol/targets";
import { admitWrites, describeProblem } from "./ring-guard";

const READ_ONLY = /^secretsmanager\.(Get|Describe|List|BatchGet|Validate)[A-Za-z]*$/;
const READS = (target: string) => READ_ONLY.test(target) || CLOUDTRAIL_PREFIXES.some((prefix) => target === `${prefix}LookupEvents`);

export const keyRingGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!READS(c.req.header("x-amz-target") ?? "")) {
    const problem = await admitWrites(c.env.DB, c.env.KMS_KEYS);
    // EncryptionFailure (400), the model's error for a KMS key Secrets Manager cannot use: not retried by the SDKs,
    // which retry InternalServiceError's 500 several times before failing (docs/parity.md).
    if (problem) throw new AwsError("EncryptionFailure", describeProblem(problem));
  }
  await next();
};
