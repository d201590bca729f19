// Hono middleware: refuses every operation that changes state while the key ring is unknown to the state
// (ring-guard.ts). Reads go on: what the ring can still decrypt stays readable.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { AwsError } from "../protocol/errors";
import { admitWrites, describeProblem } from "./ring-guard";

const READ_ONLY = /^secretsmanager\.(Get|Describe|List|BatchGet|Validate)[A-Za-z]*$/;

export const keyRingGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!READ_ONLY.test(c.req.header("x-amz-target") ?? "")) {
    const problem = await admitWrites(c.env.DB, c.env.KMS_KEYS);
    if (problem) throw new AwsError("InternalServiceError", describeProblem(problem));
  }
  await next();
};
