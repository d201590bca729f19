// The Python rotation function server used by the rotation e2e tests: it answers the Lambda Invoke API, records the
// steps, fails a chosen step with X-Amz-Function-Error, and its template-style handler reaches this service by boto3.
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, describe, expect, inject, it } from "vitest";
import { client, uniqueName } from "./client";
import { startFunctionServer, type FunctionServer } from "./rotation/function-server";

const servers: FunctionServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.stop())));
const start = async (options: Parameters<typeof startFunctionServer>[0]) => {
  const server = await startFunctionServer(options);
  servers.push(server);
  return server;
};
const invoke = (url: string, event: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) });
const event = (Step: string) => ({ Step, SecretId: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf", ClientRequestToken: crypto.randomUUID(), RotationToken: crypto.randomUUID() });

describe("rotation function server", () => {
  it("answers the Invoke API with the handler's result and records each step", async () => {
    const server = await start({ handler: "echo_function.lambda_handler" });
    const sent = event("createSecret");
    const response = await invoke(server.invokeUrl, sent);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amz-function-error")).toBeNull();
    expect(await response.json()).toEqual({ echo: sent });
    expect(await server.invocations()).toEqual([{ event: sent, outcome: "ok", error: null }]);
  });

  it("fails the chosen step with X-Amz-Function-Error and the error payload", async () => {
    const server = await start({ handler: "echo_function.lambda_handler", failStep: "setSecret" });
    expect((await invoke(server.invokeUrl, event("createSecret"))).headers.get("x-amz-function-error")).toBeNull();
    const failed = await invoke(server.invokeUrl, event("setSecret"));
    expect(failed.status).toBe(200);
    expect(failed.headers.get("x-amz-function-error")).toBe("Unhandled");
    expect(await failed.json()).toMatchObject({ errorType: "StepFailedOnPurpose", errorMessage: "setSecret failed on purpose (FAIL_STEP)" });
    expect((await server.invocations()).map((i) => [i.event.Step, i.outcome])).toEqual([
      ["createSecret", "ok"],
      ["setSecret", "error"],
    ]);
  });

  it("runs the template-style handler against this service: a secret without rotation fails its guard", async () => {
    const endpoint = inject("endpoint");
    const created = await client(endpoint).send(new CreateSecretCommand({ Name: uniqueName("rotation-fn"), SecretString: "v1" }));
    const server = await start({ endpoint });
    const response = await invoke(server.invokeUrl, { ...event("createSecret"), SecretId: created.ARN, ClientRequestToken: created.VersionId });
    expect(response.headers.get("x-amz-function-error")).toBe("Unhandled");
    // The generic template reads metadata['RotationEnabled'], which DescribeSecret omits until rotation is configured.
    expect(await response.json()).toMatchObject({ errorType: "KeyError", errorMessage: "'RotationEnabled'" });
  });
});
