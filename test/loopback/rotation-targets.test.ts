// Rotation targets from ROTATION_FUNCTIONS, run in workerd: the Lambda Invoke API against a stub on loopback (success,
// function error, HTTP failure, timeout, SigV4), a service binding speaking the same API, and a built-in rotator.
import { describe, expect, inject, it } from "vitest";
import type { RotationEvent } from "../../src/rotation/event";
import { rotationFunctions, targetFor } from "../../src/rotation/targets/config";
import { INVOKE_PATH, runStep, type StepContext } from "../../src/rotation/targets/invoke";
import { MemorySecrets } from "../support/memory-secrets";

const stub = inject("lambdaStub");
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
const event = (Step: RotationEvent["Step"] = "createSecret"): RotationEvent => ({
  Step,
  SecretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
  ClientRequestToken: crypto.randomUUID(),
  RotationToken: crypto.randomUUID(),
});
const context = (bindings: Record<string, unknown> = {}): StepContext => ({ fetch: (r) => fetch(r), bindings, secrets: new MemorySecrets() });
const target = (config: unknown) => targetFor(rotationFunctions(JSON.stringify({ [ARN]: config })), { lambdaArn: ARN })!;

async function invocations(): Promise<{ path: string; headers: Record<string, string>; body: string }[]> {
  return (await fetch(`${stub}/invocations`)).json();
}

describe("Lambda Invoke API target", () => {
  it("POSTs the event as JSON; a 2xx without X-Amz-Function-Error is success", async () => {
    const sent = event("setSecret");
    expect(await runStep(target({ url: `${stub}/ok${INVOKE_PATH}` }), sent, context())).toEqual({ ok: true });
    const seen = (await invocations()).filter((i) => i.path === `/ok${INVOKE_PATH}`).at(-1)!;
    expect(JSON.parse(seen.body)).toEqual(sent);
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("records X-Amz-Function-Error and the payload's errorType as the step's error, never the payload", async () => {
    expect(await runStep(target({ url: `${stub}/fail${INVOKE_PATH}` }), event(), context())).toEqual({
      ok: false,
      error: "The function failed: FunctionError Unhandled, errorType ValueError.",
    });
  });

  it("records a non-2xx status as a failure", async () => {
    expect(await runStep(target({ url: `${stub}/status${INVOKE_PATH}` }), event(), context())).toEqual({ ok: false, error: "The function failed: HTTP 502." });
  });

  it("gives up on a function that does not answer within its timeout", async () => {
    expect(await runStep(target({ url: `${stub}/slow${INVOKE_PATH}`, timeoutSeconds: 0.3 }), event(), context())).toEqual({
      ok: false,
      error: "The function did not answer within 0.3 seconds.",
    });
  });

  it("records an unreachable function as a failure", async () => {
    const outcome = await runStep(target({ url: `http://127.0.0.1:9${INVOKE_PATH}` }), event(), context());
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.error).toMatch(/^The function could not be reached: /);
  });

  it("signs with SigV4 for service lambda when the target has credentials", async () => {
    const credentials = { accessKeyId: "AKIAROTATIONTEST", secretAccessKey: "rotation-test-secret", region: "eu-west-1" };
    expect(await runStep(target({ url: `${stub}/ok/signed${INVOKE_PATH}`, credentials }), event(), context())).toEqual({ ok: true });
    const seen = (await invocations()).filter((i) => i.path === `/ok/signed${INVOKE_PATH}`).at(-1)!;
    expect(seen.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAROTATIONTEST\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(seen.headers["x-amz-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("service binding and built-in targets", () => {
  it("calls a service binding on the Invoke API path", async () => {
    const seen: Request[] = [];
    const binding = { fetch: async (request: Request) => (seen.push(request), new Response("null", { status: 200 })) };
    const sent = event("testSecret");
    expect(await runStep(target({ service: "ROTATOR" }), sent, context({ ROTATOR: binding }))).toEqual({ ok: true });
    expect(new URL(seen[0]!.url).pathname).toBe(INVOKE_PATH);
    expect(await seen[0]!.json()).toEqual(sent);
  });

  it("fails the step when the binding is missing, or answers a function error", async () => {
    expect(await runStep(target({ service: "ROTATOR" }), event(), context())).toEqual({ ok: false, error: "The service binding ROTATOR is not configured." });
    const failing = { fetch: async () => new Response('{"errorMessage":"no"}', { headers: { "X-Amz-Function-Error": "Handled" } }) };
    expect(await runStep(target({ service: "ROTATOR" }), event(), context({ ROTATOR: failing }))).toEqual({ ok: false, error: "The function failed: FunctionError Handled." });
  });

  it("runs a built-in rotator against the secrets it is given; its failures are outcomes, not exceptions", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", "old");
    const token = secrets.startRotation("s");
    const step = (Step: RotationEvent["Step"]) => ({ Step, SecretId: "s", ClientRequestToken: token, RotationToken: crypto.randomUUID() });
    const builtin = target({ builtin: "random-password", PasswordLength: 16 });
    expect(await runStep(builtin, step("testSecret"), { ...context(), secrets })).toEqual({
      ok: false,
      error: `testSecret: the pending version ${token} has no value`,
    });
    for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
      expect(await runStep(builtin, step(s), { ...context(), secrets })).toEqual({ ok: true });
    }
    expect(secrets.valueAt("s", "AWSCURRENT")).toHaveLength(16);
  });
});
