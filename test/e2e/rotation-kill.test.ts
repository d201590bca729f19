// A rotation cut off by SIGKILL: the whole local server process group is killed while the function is in setSecret,
// restarted on the same STATE_DIR, and the rotation must complete (or be reattempted) from the object's stored state
// and alarm, never leaving two versions labelled AWSCURRENT. Own server and state directory (it kills its server).
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, RotateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, expect, it } from "vitest";
import { client, uniqueName } from "./client";
import { type FunctionServer, startFunctionServer } from "./rotation/function-server";
import { freePort, freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:slow-rotator";
const sorted = (stages: Record<string, string[]>) => Object.fromEntries(Object.entries(stages).map(([id, labels]) => [id, [...labels].sort()]));
const stateDir = freshStateDir();
let server: LocalServer;
let fn: FunctionServer;

beforeAll(async () => {
  const port = await freePort();
  fn = await startFunctionServer({ endpoint: `http://127.0.0.1:${port}`, handler: "slow_function.lambda_handler" });
  // A short step timeout: a step cut off by the kill is retried once its timeout has passed.
  const functions = { [FUNCTION]: { url: fn.invokeUrl, timeoutSeconds: 8 } };
  server = await startServer({ stateDir, port, env: { ROTATION_FUNCTIONS: JSON.stringify(functions) } });
});

afterAll(async () => {
  await server?.stop();
  await fn?.stop();
  removeStateDir(stateDir);
});

it("SIGKILL during setSecret, restart: the rotation completes, with exactly one AWSCURRENT", async () => {
  const sm = client(server.endpoint);
  const v1 = crypto.randomUUID();
  const c = await sm.send(new CreateSecretCommand({ Name: uniqueName("rot-kill"), SecretString: "initial", ClientRequestToken: v1 }));
  const token = crypto.randomUUID();
  await sm.send(new RotateSecretCommand({ SecretId: c.Name, ClientRequestToken: token, RotationLambdaARN: FUNCTION }));
  // Wait until createSecret has put the pending value: the function is then in (or entering) its slow setSecret.
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const ok = await sm.send(new GetSecretValueCommand({ SecretId: c.Name, VersionStage: "AWSPENDING" })).then(() => true, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.kill();
  await server.start();

  const after = client(server.endpoint);
  let described = await after.send(new DescribeSecretCommand({ SecretId: c.Name }));
  const deadline = Date.now() + 60_000;
  while (described.LastRotatedDate === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    described = await after.send(new DescribeSecretCommand({ SecretId: c.Name }));
  }
  expect(sorted(described.VersionIdsToStages!)).toEqual({ [v1]: ["AWSPREVIOUS"], [token]: ["AWSCURRENT", "AWSPENDING"] });
  const versions = (await after.send(new ListSecretVersionIdsCommand({ SecretId: c.Name, IncludeDeprecated: true }))).Versions ?? [];
  expect(versions.filter((v) => v.VersionStages?.includes("AWSCURRENT"))).toHaveLength(1);
  const steps = (await fn.invocations()).filter((i) => i.event.SecretId === c.ARN).map((i) => i.event.Step);
  expect(steps.at(-1)).toBe("finishSecret");
});
