// Hostile HTTP against the running server, below any SDK: content types, deep nesting and huge bodies, unknown
// operations, methods and paths, header injection (CR/LF in X-Amz-Target, duplicate and huge headers) and bodies
// that end early. Every answer that reaches the Worker is 200 for valid input or 400 with AWS's JSON error envelope;
// malformed HTTP is refused with a 4xx before it; never a 5xx, a hang or a crash, and the server keeps serving.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { expectAnswer, expectAwsError, expectSuccess } from "./hostile/envelope";
import { createFixture, expectStillServing, hostileFixture } from "./hostile/fixture";
import { OPERATIONS } from "./hostile/model";
import { asRawResponse, rawCall, registeredOperations, signedHeaders, socketRequest } from "./raw";

const endpoint = inject("endpoint");
const registered = await registeredOperations(endpoint);
const fixture = hostileFixture("hostile-http");
const unique = fixture.unique;
const MIB = 1 << 20;

beforeAll(() => createFixture(endpoint, fixture));

const raw = (op: string, body: string, options: Parameters<typeof rawCall>[3] = {}) => rawCall(endpoint, op, {}, { ...options, body });

describe("content types", () => {
  const valid = JSON.stringify({ PasswordLength: 12 });
  /** Sent over a socket, so that no client adds a Content-Type of its own. */
  async function withContentType(contentType: string | null, body = valid) {
    const headers = await signedHeaders(endpoint, "GetRandomPassword", body, { contentType });
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
    return asRawResponse(await socketRequest(endpoint, `POST / HTTP/1.1\r\n${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`));
  }

  it.each([["no Content-Type", null], ["application/json", "application/json"], ["text/plain", "text/plain"], ["application/x-amz-json-1.0", "application/x-amz-json-1.0"], ["a charset parameter", "application/x-amz-json-1.1; charset=utf-8"], ["multipart/form-data", "multipart/form-data; boundary=x"]])(
    "a valid request with %s answers 200 or a 400 AWS error, never a 5xx",
    async (_title, contentType) => {
      expectAnswer(await withContentType(contentType));
    },
  );

  it("a form-encoded (query protocol) body answers SerializationException", async () => {
    expectAwsError(await withContentType("application/x-www-form-urlencoded", "Action=GetRandomPassword&PasswordLength=12"), "SerializationException");
  });
});

describe("nesting and size", () => {
  it("100,000 levels of nested arrays in an unknown member are refused with a 400 AWS error", async () => {
    const body = `{"SecretId":"${fixture.secretId}","Deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expectAwsError(await raw("DescribeSecret", body));
  });

  it("100,000 levels of nested objects are refused with a 400 AWS error", async () => {
    const body = `{"SecretId":"${fixture.secretId}","Deep":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`;
    expectAwsError(await raw("DescribeSecret", body));
  });

  it.each([
    ["1 MiB + 1 byte", MIB + 1],
    ["10 MiB", 10 * MIB],
  ])("a %s body is refused with a 400 AWS error", async (_title, size) => {
    const prefix = `{"SecretId":"${fixture.secretId}","Pad":"`;
    const body = `${prefix}${"a".repeat(size - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(size);
    expectAwsError(await raw("DescribeSecret", body));
  });

  it("an unsigned 10 MiB body is refused with a 400 AWS error", async () => {
    expectAwsError(await raw("DescribeSecret", `{"Pad":"${"a".repeat(10 * MIB)}"}`, { unsigned: true }));
  });

  it("a 2 MiB body sent chunked, without Content-Length, is refused with a 400 AWS error", async () => {
    const chunk = "a".repeat(64 * 1024);
    const body = `{"Pad":"${chunk.repeat(32)}"}`;
    const headers = await signedHeaders(endpoint, "DescribeSecret", body);
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
    const chunks = [body.slice(0, MIB), body.slice(MIB)].map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join("");
    expectAwsError(asRawResponse(await socketRequest(endpoint, `POST / HTTP/1.1\r\n${head}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${chunks}0\r\n\r\n`)));
  });

  it("a SecretString of 64 KiB of 4-byte characters is stored and read back exactly", async () => {
    const value = "🔐".repeat(16_384); // 32,768 UTF-16 units, 65,536 bytes
    const name = unique();
    expectSuccess(await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: value, ClientRequestToken: crypto.randomUUID() }));
    expect(expectSuccess(await rawCall(endpoint, "GetSecretValue", { SecretId: name })).SecretString).toBe(value);
  });
});

describe("unknown operations", () => {
  const targets: [string, string | null][] = [
    ["an operation that does not exist", "secretsmanager.NoSuchOperation"],
    ["the bare prefix", "secretsmanager."],
    ["an empty target", ""],
    ["no X-Amz-Target header", null],
    ["another service's prefix", "kms.Encrypt"],
    ["a lowercase operation name", "secretsmanager.getSecretValue"],
    ["a different prefix case", "SecretsManager.GetSecretValue"],
    ["__proto__", "secretsmanager.__proto__"],
    ["constructor", "secretsmanager.constructor"],
    ["hasOwnProperty", "secretsmanager.hasOwnProperty"],
    ["toString", "secretsmanager.toString"],
    ["two targets in one header", "secretsmanager.GetSecretValue, secretsmanager.DeleteSecret"],
    ["an 8 KB operation name", `secretsmanager.${"A".repeat(8192)}`],
  ];
  it.each(targets)("%s answers UnknownOperationException", async (_title, target) => {
    const response = await rawCall(endpoint, "GetSecretValue", { SecretId: fixture.secretId }, { target });
    const { message } = expectAwsError(response, "UnknownOperationException");
    expect(message.length).toBeLessThan(512);
  });

  const unregistered = Object.keys(OPERATIONS).filter((op) => !registered.has(op));
  it.skipIf(unregistered.length === 0).each(unregistered)("%s, in the model but not implemented, answers UnknownOperationException", async (op) => {
    expectAwsError(await rawCall(endpoint, op, { SecretId: fixture.secretId }), "UnknownOperationException");
  });

  it.each(["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])("%s / answers UnknownOperationException with a request id", async (method) => {
    expectAwsError(await rawCall(endpoint, "GetSecretValue", { SecretId: fixture.secretId }, { method }), "UnknownOperationException");
  });

  it("POST to a path other than / answers UnknownOperationException with a request id", async () => {
    expectAwsError(await rawCall(endpoint, "GetSecretValue", { SecretId: fixture.secretId }, { path: "/2017-10-17/secrets" }), "UnknownOperationException");
  });
});

describe("headers", () => {
  // By VersionId: other cases in this file put newer versions on the fixture.
  const body = JSON.stringify({ SecretId: fixture.secretId, VersionId: fixture.versionId });
  /** A signed GetSecretValue as raw bytes, with `mutate` applied to its header lines before sending. */
  async function rawRequest(mutate: (lines: string[]) => string[], extraBody = body) {
    const headers = await signedHeaders(endpoint, "GetSecretValue", extraBody);
    const lines = mutate(Object.entries(headers).map(([k, v]) => `${k}: ${v}`));
    return socketRequest(endpoint, `POST / HTTP/1.1\r\n${lines.join("\r\n")}\r\ncontent-length: ${Buffer.byteLength(extraBody)}\r\nconnection: close\r\n\r\n${extraBody}`);
  }
  const target = (lines: string[], value: string) => lines.map((l) => (l.startsWith("x-amz-target:") ? `x-amz-target: ${value}` : l));

  it("the unmodified raw request is answered 200 (the baseline for the cases below)", async () => {
    expect(expectSuccess(asRawResponse(await rawRequest((l) => l))).SecretString).toBe("fixture");
  });

  it.each([
    ["CRLF and a second X-Amz-Target injected into X-Amz-Target", (l: string[]) => target(l, "secretsmanager.GetSecretValue\r\nX-Amz-Target: secretsmanager.DeleteSecret")],
    ["CRLF and a forged header injected into X-Amz-Target", (l: string[]) => target(l, "secretsmanager.GetSecretValue\r\nX-Amz-Security-Token: forged")],
    ["a bare LF and a second X-Amz-Target injected into X-Amz-Target", (l: string[]) => target(l, "secretsmanager.GetSecretValue\nX-Amz-Target: secretsmanager.DeleteSecret")],
    ["a bare CR inside X-Amz-Target", (l: string[]) => target(l, "secretsmanager.GetSecretValue\rX-Evil: 1")],
    ["NUL inside X-Amz-Target", (l: string[]) => target(l, "secretsmanager.Get\u0000SecretValue")],
    ["a folded (obs-fold) X-Amz-Target continuation", (l: string[]) => [...l, " secretsmanager.DeleteSecret"]],
    ["a second, unsigned X-Amz-Target header", (l: string[]) => [...l, "x-amz-target: secretsmanager.DeleteSecret"]],
    ["a second, different Content-Length", (l: string[]) => [...l, "content-length: 3"]],
    ["a header line without a colon", (l: string[]) => [...l, "garbage-line"]],
    ["a second X-Amz-Date", (l: string[]) => [...l, "x-amz-date: 20200101T000000Z"]],
  ])("%s is refused with 400 and deletes nothing", async (_title, mutate) => {
    const answer = asRawResponse(await rawRequest(mutate));
    expect(answer.status, answer.text).toBe(400);
    // Malformed HTTP is refused by the runtime's HTTP parser before the Worker (text/plain); what reaches the Worker
    // gets the AWS envelope.
    if (answer.headers.get("content-type")?.startsWith("application/x-amz-json")) expectAwsError(answer);
    expectSuccess(await rawCall(endpoint, "GetSecretValue", { SecretId: fixture.secretId }));
  });

  it.each([
    ["a 100 KB header", (l: string[]) => [...l, `x-pad: ${"a".repeat(100_000)}`]],
    ["1,000 extra headers", (l: string[]) => [...l, ...Array.from({ length: 1000 }, (_, i) => `x-extra-${i}: ${i}`)]],
  ])("%s is answered normally", async (_title, mutate) => {
    expect(expectSuccess(asRawResponse(await rawRequest(mutate))).SecretString).toBe("fixture");
  });

  it("a 1 MiB header is refused with a 4xx", async () => {
    const answer = await rawRequest((l) => [...l, `x-pad: ${"a".repeat(MIB)}`]);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });
});

describe("bodies that end early", () => {
  async function framed(head: string, rest: string) {
    const headers = await signedHeaders(endpoint, "GetSecretValue", JSON.stringify({ SecretId: fixture.secretId }));
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
    // The client then closes its side: the body it announced will never come.
    return socketRequest(endpoint, `POST / HTTP/1.1\r\n${lines}\r\n${head}connection: close\r\n\r\n${rest}`, { endAfterWrite: true });
  }
  it.each([
    ["a Content-Length longer than the body, then EOF", "content-length: 100\r\n", '{"SecretId"'],
    ["chunked encoding with a malformed chunk size", "transfer-encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n"],
    ["chunked encoding cut off mid-chunk", "transfer-encoding: chunked\r\n", "100\r\n{}"],
    ["both Content-Length and Transfer-Encoding", "content-length: 2\r\ntransfer-encoding: chunked\r\n", "{}"],
  ])("%s is refused with 400, not 5xx", async (_title, head, rest) => {
    const answer = await framed(head, rest);
    expect(answer.status, answer.head + answer.body).toBe(400);
  });
});

describe("after all of the above", () => {
  it("the server still answers GetSecretValue with the fixture's value", async () => {
    await expectStillServing(endpoint, fixture);
  });
});
