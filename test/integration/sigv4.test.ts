import { describe, expect, it } from "vitest";
import { uniqueName } from "../support/fixtures";
import { errorOf, signedRequest, sm, token } from "../support/sm";

const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

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
