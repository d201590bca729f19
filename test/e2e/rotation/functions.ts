// The rotation functions the shared e2e server knows: the template-style Python function, and one copy of it per
// step that fails that step (FAIL_STEP; every step, or those asked for), each served over the Lambda Invoke API on
// loopback, and the built-in postgresql rotator with each strategy; ROTATION_FUNCTIONS maps their ARNs to them.
import { type FunctionServer, startFunctionServer } from "./function-server";

export const FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:template-rotator";
export const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export const failingArn = (step: string) => `arn:aws:lambda:us-east-1:111122223333:function:fails-at-${step}`;
export const POSTGRESQL_SINGLE_USER_ARN = "arn:aws:lambda:us-east-1:111122223333:function:postgresql-single-user";
export const POSTGRESQL_ALTERNATING_USERS_ARN = "arn:aws:lambda:us-east-1:111122223333:function:postgresql-alternating-users";
const BUILTIN = {
  [POSTGRESQL_SINGLE_USER_ARN]: { builtin: "postgresql" },
  [POSTGRESQL_ALTERNATING_USERS_ARN]: { builtin: "postgresql", strategy: "alternating-users" },
};

export interface RotationFunctions {
  /** ROTATION_FUNCTIONS for the server. */
  config: string;
  /** The good function's server. */
  good: FunctionServer;
  /** Function ARN → the URL where its server lists the steps it saw. */
  invocationUrls: Record<string, string>;
  stop(): Promise<void>;
}

export async function startRotationFunctions(endpoint: string, failSteps: readonly string[] = STEPS): Promise<RotationFunctions> {
  const good = await startFunctionServer({ endpoint });
  const failing = await Promise.all(failSteps.map((failStep) => startFunctionServer({ endpoint, failStep })));
  const config: Record<string, object> = { ...BUILTIN, [FUNCTION_ARN]: { url: good.invokeUrl, timeoutSeconds: 30 } };
  failSteps.forEach((step, i) => (config[failingArn(step)] = { url: failing[i]!.invokeUrl, timeoutSeconds: 30 }));
  const listUrl = (server: FunctionServer) => server.invokeUrl.replace(/\/2015-03-31\/.*$/, "/invocations");
  const invocationUrls: Record<string, string> = { [FUNCTION_ARN]: listUrl(good) };
  failSteps.forEach((step, i) => (invocationUrls[failingArn(step)] = listUrl(failing[i]!)));
  return {
    config: JSON.stringify(config),
    good,
    invocationUrls,
    stop: async () => void (await Promise.all([good, ...failing].map((s) => s.stop()))),
  };
}
