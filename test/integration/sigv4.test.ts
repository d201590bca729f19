import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { uniqueName } from "../support/fixtures";
import { errorOf, sign, signedRequest, sm, type SmResponse, token } from "../support/sm";

const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const BAD_PAYLOAD_HASH = "The provided 'x-amz-content-sha256' header does not match what was computed.";

describe("SigV4 authentication", () => {
  it("a request signed by a configured key is accepted", async () => {
    const res = await sm("GetRandomPassword", {});
    expect(res.status).toBe(200);
  });

  it("a request without an Authorization header returns MissingAuthenticationTokenException", async () => {
    const res = await sm("GetRandomPassword", {}, { unsigned: true });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({ code: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
  });

  it("an unsigned request learns nothing about a secret, existing or not", async () => {
    const name = uniqueName("hidden");
    await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
    const existing = await sm("GetSecretValue", { SecretId: name }, { unsigned: true });
    const missing = await sm("GetSecretValue", { SecretId: `${name}-nope` }, { unsigned: true });
    expect(existing.body).toEqual(missing.body);
    expect(JSON.stringify(existing.body)).not.toContain(name);
  });

  it.each([
    ["no Signature", (h: string) => h.replace(/, Signature=[0-9a-f]+/, ""), "Authorization header requires 'Signature' parameter."],
    ["no Credential", (h: string) => h.replace(/Credential=[^,]+, /, ""), "Authorization header requires 'Credential' parameter."],
    ["a malformed Credential", (h: string) => h.replace(/Credential=[^,]+/, "Credential=AKIDTESTLOCAL/today"), undefined],
    ["another algorithm", (h: string) => h.replace("AWS4-HMAC-SHA256", "AWS3"), undefined],
  ])("an Authorization header with %s returns IncompleteSignatureException", async (_what, mangle, message) => {
    const res = await sm("GetRandomPassword", {}, { afterSigning: (r) => void (r.headers.authorization = mangle(r.headers.authorization!)) });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe("IncompleteSignatureException");
    if (message) expect(errorOf(res).message).toBe(message);
  });

  it("an unknown access key returns UnrecognizedClientException", async () => {
    const res = await sm("GetRandomPassword", {}, { accessKeyId: "AKIDNOBODY", secretAccessKey: "whatever" });
    expect(errorOf(res)).toEqual({ code: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
  });

  it("a wrong secret access key returns InvalidSignatureException", async () => {
    const res = await sm("GetRandomPassword", {}, { secretAccessKey: "not-the-secret" });
    expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: BAD_SIGNATURE });
  });

  it("a body altered after signing is refused", async () => {
    const name = uniqueName("altered");
    const res = await sm(
      "CreateSecret",
      { Name: name, SecretString: "signed", ClientRequestToken: token() },
      { afterSigning: (r) => void (r.body = r.body.replace("signed", "forged")) },
    );
    expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: BAD_SIGNATURE });
    expect(errorOf(await sm("DescribeSecret", { SecretId: name })).code).toBe("ResourceNotFoundException");
  });

  it("a body altered after signing with a signed x-amz-content-sha256 is refused", async () => {
    const res = await sm(
      "GetRandomPassword",
      { PasswordLength: 10 },
      {
        headers: { "x-amz-content-sha256": await sha256Hex(JSON.stringify({ PasswordLength: 10 })) },
        afterSigning: (r) => void (r.body = JSON.stringify({ PasswordLength: 11 })),
      },
    );
    expect(errorOf(res).code).toBe("InvalidSignatureException");
  });

  it("a header altered after signing is refused", async () => {
    const res = await sm("GetRandomPassword", {}, { afterSigning: (r) => void (r.headers["x-amz-target"] = "secretsmanager.ListSecrets") });
    expect(errorOf(res).code).toBe("InvalidSignatureException");
  });

  describe("the signature covers the body's bytes, not their decoded text", () => {
    const utf8 = new TextEncoder();
    /** Signs `signedBody` and sends `sent` (bytes) in its place. */
    async function send(signedBody: string, sent: Uint8Array) {
      const request = await signedRequest("GetRandomPassword", undefined, { rawBody: signedBody });
      const response = await SELF.fetch("http://127.0.0.1/", { method: "POST", headers: request.headers, body: sent });
      return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers } as SmResponse;
    }
    const body = JSON.stringify({ PasswordLength: 12, ExcludeCharacters: "\uFFFD" });

    it("a byte-order mark prepended after signing is refused", async () => {
      const res = await send(body, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode(body)]));
      expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: BAD_SIGNATURE });
    });

    it("an invalid byte in place of a signed replacement character (which it decodes to) is refused", async () => {
      const signed = utf8.encode(body.replace("\\uFFFD", "\uFFFD"));
      const at = signed.indexOf(0xef);
      const forged = new Uint8Array([...signed.slice(0, at), 0xff, ...signed.slice(at + 3)]);
      expect(new TextDecoder().decode(forged)).toBe(new TextDecoder().decode(signed));
      const res = await send(body.replace("\\uFFFD", "\uFFFD"), forged);
      expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: BAD_SIGNATURE });
    });

    it("a signed body with a byte-order mark is read without it; signed bytes that are not UTF-8 are a SerializationException", async () => {
      const withMark = await sm("GetRandomPassword", undefined, { rawBody: `\uFEFF${JSON.stringify({ PasswordLength: 12 })}` });
      expect(withMark.status, JSON.stringify(withMark.body)).toBe(200);
      expect(String(withMark.body.RandomPassword)).toHaveLength(12);
      // The test signer hashes bytes as well as text.
      const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
      const request = await sign({ "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetRandomPassword" }, bytes as unknown as string);
      const response = await SELF.fetch("http://127.0.0.1/", { method: "POST", headers: request.headers, body: bytes });
      expect(await response.json()).toEqual({ __type: "SerializationException", Message: "The request body is not valid UTF-8." });
    });
  });

  it("a header listed in SignedHeaders but absent from the request is InvalidSignatureException", async () => {
    const res = await sm("GetRandomPassword", {}, {
      afterSigning: (r) => void (r.headers.authorization = r.headers.authorization!.replace("SignedHeaders=", "SignedHeaders=x-absent;")),
    });
    expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: BAD_SIGNATURE });
  });

  it("a replay signed more than 15 minutes ago returns InvalidSignatureException 'Signature expired'", async () => {
    const res = await sm("GetRandomPassword", {}, { signingDate: new Date(Date.now() - 16 * 60_000) });
    expect(errorOf(res).code).toBe("InvalidSignatureException");
    expect(errorOf(res).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it("a request signed more than 15 minutes in the future returns 'Signature not yet current'", async () => {
    const res = await sm("GetRandomPassword", {}, { signingDate: new Date(Date.now() + 16 * 60_000) });
    expect(errorOf(res).code).toBe("InvalidSignatureException");
    expect(errorOf(res).message).toMatch(/^Signature not yet current: /);
  });

  it("a request signed 10 minutes ago is still inside the window", async () => {
    expect((await sm("GetRandomPassword", {}, { signingDate: new Date(Date.now() - 10 * 60_000) })).status).toBe(200);
  });

  it("a credential scoped to another service is refused", async () => {
    const request = await signedRequest("GetRandomPassword", {});
    const res = await sm("GetRandomPassword", {}, {
      afterSigning: (r) => void (r.headers.authorization = request.headers.authorization!.replace("/secretsmanager/", "/kms/")),
    });
    expect(errorOf(res)).toEqual({ code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'secretsmanager'." });
  });

  it("a key configured with a session token needs X-Amz-Security-Token", async () => {
    expect((await sm("GetRandomPassword", {}, { accessKeyId: "ASIDTESTSESSION" })).status).toBe(200);
    const withoutToken = await sm("GetRandomPassword", {}, {
      accessKeyId: "ASIDTESTSESSION",
      afterSigning: (r) => void delete r.headers["x-amz-security-token"],
    });
    expect(errorOf(withoutToken).code).toBe("UnrecognizedClientException");
  });

  it("failed attempts are logged without the secret key or the signature", async () => {
    const logged: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await sm("GetRandomPassword", {}, { secretAccessKey: "leaky-secret-value" });
    } finally {
      console.warn = original;
    }
    // The Worker runs in this isolate, so its console.warn is the one replaced above.
    const line = logged.find((l) => l.includes("authentication_failed"));
    expect(line).toBeDefined();
    expect(line).toContain("AKIDTESTLOCAL");
    expect(line).not.toMatch(/leaky-secret-value|Signature=|[0-9a-f]{64}/);
  });

  it("x-amz-content-sha256: UNSIGNED-PAYLOAD is refused, so the signature always covers the body", async () => {
    const name = uniqueName("unsigned-payload");
    const input = { Name: name, SecretString: "signed", ClientRequestToken: token() };
    const headers = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    const untouched = await sm("CreateSecret", input, { headers });
    expect(untouched.status).toBe(400);
    expect(errorOf(untouched)).toEqual({ code: "InvalidSignatureException", message: BAD_PAYLOAD_HASH });
    const forged = await sm("CreateSecret", input, { headers, afterSigning: (r) => void (r.body = r.body.replace("signed", "forged")) });
    expect(forged.status).toBe(400);
    expect(errorOf(forged)).toEqual({ code: "InvalidSignatureException", message: BAD_PAYLOAD_HASH });
    expect(errorOf(await sm("DescribeSecret", { SecretId: name })).code).toBe("ResourceNotFoundException");
  });

  it.each([
    ["an empty name", "host;;x-amz-date;x-amz-target"],
    ["a name with a space", "content type;host;x-amz-date;x-amz-target"],
    ["a name with a non-token character", "content/type;host;x-amz-date;x-amz-target"],
    ["a trailing separator", "host;x-amz-date;x-amz-target;"],
  ])("a SignedHeaders list with %s returns IncompleteSignatureException and is logged", async (_what, signedHeaders) => {
    const logged: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void logged.push(args.join(" "));
    let res: SmResponse;
    try {
      res = await sm("GetRandomPassword", {}, {
        afterSigning: (r) => void (r.headers.authorization = r.headers.authorization!.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${signedHeaders}`)),
      });
    } finally {
      console.warn = original;
    }
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({ code: "IncompleteSignatureException", message: "SignedHeaders must be a ';'-separated list of lower-case header names." });
    const line = logged.find((l) => l.includes("authentication_failed"));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ code: "IncompleteSignatureException", accessKeyId: "AKIDTESTLOCAL" });
  });

  it("an x-amz-target left out of SignedHeaders is refused, so a captured request cannot be replayed as another operation", async () => {
    // Signed without x-amz-target, which is then added: without the rule, any operation could be named afterwards.
    const request = await sign({ "content-type": "application/x-amz-json-1.1" }, "{}", {
      afterSigning: (r) => void (r.headers["x-amz-target"] = "secretsmanager.GetRandomPassword"),
    });
    expect(request.headers.authorization).not.toContain("x-amz-target");
    const response = await SELF.fetch("http://127.0.0.1/", { method: "POST", headers: request.headers, body: request.body });
    const res = { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({ code: "IncompleteSignatureException", message: "The request must sign the 'X-Amz-Target' header." });
  });

  it("the session token is compared in constant time, like the signature", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    try {
      const res = await sm("GetRandomPassword", {}, {
        accessKeyId: "ASIDTESTSESSION",
        afterSigning: (r) => void (r.headers["x-amz-security-token"] = "test-session-tokeX"),
      });
      expect(res.status).toBe(400);
      expect(errorOf(res)).toEqual({ code: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
      const decode = (v: ArrayBuffer | ArrayBufferView) => new TextDecoder().decode(v);
      expect(spy.mock.calls.map(([a, b]) => [decode(a), decode(b)])).toContainEqual(["test-session-tokeX", "test-session-token"]);
    } finally {
      spy.mockRestore();
    }
    expect((await sm("GetRandomPassword", {}, { accessKeyId: "ASIDTESTSESSION" })).status).toBe(200);
  });

  it("an ACCESS_KEYS that is not valid JSON is reported and logged without quoting any of it", async () => {
    // The JSON parser's own message would quote the text around the error: here, the secret access key.
    const brokenEnv = { ...env, ACCESS_KEYS: '[{"accessKeyId":"AKIDTESTLOCAL","secretAccessKey":SECRETKEYMATERIAL,"accountId":"111122223333"}]' };
    const request = await signedRequest("GetRandomPassword", {});
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    let response: Response;
    try {
      response = await app.fetch(new Request("http://127.0.0.1/", { method: "POST", headers: request.headers, body: request.body }), brokenEnv);
    } finally {
      console.error = original;
    }
    expect(response.status).toBe(500);
    expect(((await response.json()) as { __type: string }).__type).toBe("InternalServiceError");
    const line = logged.find((l) => l.includes("internal_error"));
    expect(line).toContain("ACCESS_KEYS is not valid JSON");
    expect(line).not.toMatch(/SECRET|KEYMAT/);
  });
});

describe("accounts and regions are isolated", () => {
  it("a secret in one account is invisible to another account by name", async () => {
    const name = uniqueName("isolated");
    const created = await sm("CreateSecret", { Name: name, SecretString: "mine", ClientRequestToken: token() });
    expect(created.body.ARN).toContain(":111122223333:");
    const other = await sm("GetSecretValue", { SecretId: name }, { accessKeyId: "AKIDOTHERACCOUNT" });
    expect(errorOf(other).code).toBe("ResourceNotFoundException");
    const own = await sm("CreateSecret", { Name: name, SecretString: "theirs", ClientRequestToken: token() }, { accessKeyId: "AKIDOTHERACCOUNT" });
    expect(own.body.ARN).toContain(":444455556666:");
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("mine");
    expect((await sm("GetSecretValue", { SecretId: name }, { accessKeyId: "AKIDOTHERACCOUNT" })).body.SecretString).toBe("theirs");
  });

  it("another account's ARN is refused with AccessDeniedException", async () => {
    const name = uniqueName("by-arn");
    const created = await sm("CreateSecret", { Name: name, SecretString: "mine", ClientRequestToken: token() });
    const res = await sm("GetSecretValue", { SecretId: created.body.ARN }, { accessKeyId: "AKIDOTHERACCOUNT" });
    expect(errorOf(res).code).toBe("AccessDeniedException");
    expect(JSON.stringify(res.body)).not.toContain("mine");
  });

  it("the region comes from the credential scope and ARNs carry it", async () => {
    const name = uniqueName("regional");
    const east = await sm("CreateSecret", { Name: name, SecretString: "east", ClientRequestToken: token() });
    const west = await sm("CreateSecret", { Name: name, SecretString: "west", ClientRequestToken: token() }, { region: "eu-west-1" });
    expect(east.body.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:/);
    expect(west.body.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:111122223333:secret:/);
    expect((await sm("GetSecretValue", { SecretId: name }, { region: "eu-west-1" })).body.SecretString).toBe("west");
    expect(errorOf(await sm("GetSecretValue", { SecretId: west.body.ARN })).code).toBe("ResourceNotFoundException");
  });
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
