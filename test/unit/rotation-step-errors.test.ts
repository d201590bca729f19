// What a failed rotation step records and logs: a value-free summary. A function's payload (whose errorMessage or
// stack trace may quote the secret) is reduced to its status, function error, service error code and errorType; a
// built-in rotator's unexpected error to its type and stack frames; a database's refusal to its SQLSTATE.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RotationEvent } from "../../src/rotation/event";
import { databaseFailure } from "../../src/rotation/rotators/postgresql/connection";
import type { RotationSecrets } from "../../src/rotation/secrets";
import { runStep } from "../../src/rotation/targets/invoke";
import { MemorySecrets } from "../support/memory-secrets";

const MARKER = `leaked-${crypto.randomUUID()}`;
const event: RotationEvent = { Step: "createSecret", SecretId: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", ClientRequestToken: crypto.randomUUID(), RotationToken: crypto.randomUUID() };

/** The step's outcome on a service-bound function that answers `response`. */
const outcomeOf = (response: () => Response) =>
  runStep({ service: "FN" }, event, { fetch: (r) => fetch(r), bindings: { FN: { fetch: async () => response() } }, secrets: new MemorySecrets() });

afterEach(() => vi.restoreAllMocks());

describe("a failing rotation function", () => {
  it("is recorded by X-Amz-Function-Error and errorType, never its payload", async () => {
    const payload = JSON.stringify({ errorMessage: `bad password ${MARKER}`, errorType: "ValueError", stackTrace: [MARKER] });
    expect(await outcomeOf(() => new Response(payload, { headers: { "X-Amz-Function-Error": "Unhandled" } }))).toEqual({
      ok: false,
      error: "The function failed: FunctionError Unhandled, errorType ValueError.",
    });
  });

  it("is recorded by its status and the Lambda service's error code", async () => {
    const answer = () => new Response(`{"Type":"User","message":"${MARKER}"}`, { status: 404, headers: { "x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/" } });
    expect(await outcomeOf(answer)).toEqual({ ok: false, error: "The function failed: HTTP 404, ResourceNotFoundException." });
    expect(await outcomeOf(() => new Response(`oops ${MARKER}`, { status: 500 }))).toEqual({ ok: false, error: "The function failed: HTTP 500." });
  });

  it("leaves out an errorType or function error that is not a name (it could hold anything)", async () => {
    const payload = JSON.stringify({ errorType: `Value ${MARKER}` });
    expect(await outcomeOf(() => new Response(payload, { headers: { "X-Amz-Function-Error": `${MARKER} !` } }))).toEqual({
      ok: false,
      error: "The function failed: FunctionError (unnamed).",
    });
  });
});

describe("a built-in rotator's unexpected error", () => {
  it("is logged and recorded by its type and stack frames, never its message", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failing = { getValue: async () => { throw new TypeError(`driver echoed ${MARKER}`); } } as unknown as RotationSecrets;
    const outcome = await runStep({ builtin: "random-password", PasswordLength: 16 } as never, event, { fetch: (r) => fetch(r), bindings: {}, secrets: failing });
    expect(outcome).toEqual({ ok: false, error: "createSecret: the built-in rotator failed (TypeError)." });
    const lines = error.mock.calls.map((args) => args.map(String).join(" "));
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0]!);
    expect(logged).toMatchObject({ event: "rotation_builtin_failed", step: "createSecret", arn: event.SecretId, errorType: "TypeError" });
    expect(logged.frames.length).toBeGreaterThan(0);
    expect(lines[0]).not.toContain(MARKER);
  });
});

describe("a database's refusal", () => {
  it("is described by its SQLSTATE and condition, never the server's text", () => {
    const server = Object.assign(new Error(`syntax error at or near "${MARKER}"`), { code: "42601", severity: "ERROR" });
    expect(databaseFailure(server).message).toBe("the database answered SQLSTATE 42601");
    const login = Object.assign(new Error(`password authentication failed ${MARKER}`), { code: "28P01", severity: "FATAL" });
    expect(databaseFailure(login).message).toBe("the database answered invalid_password (SQLSTATE 28P01)");
    expect(databaseFailure(new Error("Connection terminated due to connection timeout")).message).toBe("Connection terminated due to connection timeout");
  });
});
