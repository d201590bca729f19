// The AWS JSON 1.1 wire protocol as the Worker speaks it: target routing, headers, the error envelope, timestamps,
// base64 binaries, and responses that never carry null (reference/aws-behaviour.md §1).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { uniqueName } from "../support/fixtures";
import { sign, sm, token } from "../support/sm";

const AMZ_JSON = "application/x-amz-json-1.1";

/** A signed request with exactly these parts (sm() always sets a valid target). */
async function raw(init: { method?: string; target?: string; body?: string; path?: string }) {
  const headers: Record<string, string> = { "content-type": AMZ_JSON };
  if (init.target !== undefined) headers["x-amz-target"] = init.target;
  const signed = await sign(headers, init.body ?? "");
  return SELF.fetch(`http://127.0.0.1${init.path ?? "/"}`, { method: init.method ?? "POST", headers: signed.headers, body: init.body });
}

async function expectEnvelope(response: Response, code: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe(AMZ_JSON);
  expect(response.headers.get("x-amzn-RequestId")).toBeTruthy();
  expect(response.headers.get("x-amzn-ErrorType")).toBe(code);
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(["Message", "__type"]);
  expect(body.__type).toBe(code);
  expect(typeof body.Message).toBe("string");
}

function findNulls(value: unknown, path = "$"): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => findNulls(v, `${path}[${i}]`));
  if (typeof value === "object") return Object.entries(value as object).flatMap(([k, v]) => findNulls(v, `${path}.${k}`));
  return [];
}

describe("AWS JSON 1.1 protocol", () => {
  it("a success carries x-amzn-RequestId and content type application/x-amz-json-1.1", async () => {
    const res = await sm("GetRandomPassword", {});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(AMZ_JSON);
    expect(res.headers.get("x-amzn-RequestId")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-amzn-ErrorType")).toBeNull();
  });

  it("every request gets its own request id", async () => {
    const [a, b] = await Promise.all([sm("GetRandomPassword", {}), sm("GetRandomPassword", {})]);
    expect(a.headers.get("x-amzn-RequestId")).not.toBe(b.headers.get("x-amzn-RequestId"));
  });

  it("an error is HTTP 400 with {__type, Message}, x-amzn-ErrorType and x-amzn-RequestId", async () => {
    const res = await raw({ target: "secretsmanager.GetSecretValue", body: JSON.stringify({ SecretId: uniqueName("missing") }) });
    await expectEnvelope(res, "ResourceNotFoundException");
  });

  describe("routing", () => {
    it("an unknown operation returns UnknownOperationException", async () => {
      await expectEnvelope(await raw({ target: "secretsmanager.NoSuchOperation", body: "{}" }), "UnknownOperationException");
    });

    it("a request without X-Amz-Target returns UnknownOperationException", async () => {
      await expectEnvelope(await raw({ body: "{}" }), "UnknownOperationException");
    });

    it.each(["kms.GetRandomPassword", "secretsmanagerGetRandomPassword", "GetRandomPassword", "secretsmanager.", "SecretsManager.GetRandomPassword"])(
      "the target %s returns UnknownOperationException",
      async (target) => {
        await expectEnvelope(await raw({ target, body: "{}" }), "UnknownOperationException");
      },
    );

    it.each(["__proto__", "constructor", "hasOwnProperty", "toString"])(
      "the target secretsmanager.%s (an Object.prototype member) returns UnknownOperationException",
      async (name) => {
        await expectEnvelope(await raw({ target: `secretsmanager.${name}`, body: "{}" }), "UnknownOperationException");
      },
    );

    it("GET / returns a 400 AWS error envelope", async () => {
      const res = await raw({ method: "GET", target: "secretsmanager.GetRandomPassword" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(["Message", "__type"]);
      expect(res.headers.get("content-type")).toBe(AMZ_JSON);
    });

    it("POST to another path returns a 400 AWS error envelope", async () => {
      const res = await raw({ path: "/other", target: "secretsmanager.GetRandomPassword", body: "{}" });
      expect(res.status).toBe(400);
      expect(Object.keys((await res.json()) as object).sort()).toEqual(["Message", "__type"]);
    });
  });

  describe("payloads", () => {
    it("timestamps are JSON numbers: epoch seconds with at most millisecond precision", async () => {
      const name = uniqueName("protocol");
      await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
      await sm("GetSecretValue", { SecretId: name });
      const res = await raw({ target: "secretsmanager.DescribeSecret", body: JSON.stringify({ SecretId: name }) });
      const text = await res.text();
      for (const field of ["CreatedDate", "LastChangedDate", "LastAccessedDate"]) {
        expect(text).toMatch(new RegExp(`"${field}":\\d{10}(\\.\\d{1,3})?[,}]`));
      }
      const body = JSON.parse(text) as { CreatedDate: number };
      expect(Math.abs(body.CreatedDate - Date.now() / 1000)).toBeLessThan(60);
    });

    it("SecretBinary travels as base64 and round-trips bytes 00 01 02 ff exactly", async () => {
      const name = uniqueName("protocol");
      await sm("CreateSecret", { Name: name, SecretBinary: "AAEC/w==", ClientRequestToken: token() });
      const res = await raw({ target: "secretsmanager.GetSecretValue", body: JSON.stringify({ SecretId: name }) });
      expect(await res.text()).toContain('"SecretBinary":"AAEC/w=="');
    });

    it("SecretBinary round-trips every byte value", async () => {
      const name = uniqueName("protocol");
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const encoded = btoa(String.fromCharCode(...bytes));
      await sm("CreateSecret", { Name: name, SecretBinary: encoded, ClientRequestToken: token() });
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretBinary).toBe(encoded);
    });

    it("SecretString round-trips unicode and JSON text unchanged", async () => {
      const name = uniqueName("protocol");
      const value = JSON.stringify({ user: "admin", password: "pä$$wörd 🔑 \"quoted\"\n" });
      await sm("CreateSecret", { Name: name, SecretString: value, ClientRequestToken: token() });
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(value);
    });

    it("no response carries a null field", async () => {
      const name = uniqueName("protocol");
      const bare = uniqueName("protocol");
      const responses = [
        await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() }),
        await sm("CreateSecret", { Name: bare }),
        await sm("DescribeSecret", { SecretId: bare }),
        await sm("GetSecretValue", { SecretId: name }),
        await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token(), VersionStages: ["CUSTOM"] }),
        await sm("UpdateSecret", { SecretId: name, Description: "d" }),
        await sm("UpdateSecret", { SecretId: name, SecretString: "v3", ClientRequestToken: token() }),
        await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true }),
        await sm("ListSecretVersionIds", { SecretId: name, MaxResults: 1 }),
        await sm("TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "" }] }),
        await sm("UntagResource", { SecretId: name, TagKeys: ["k"] }),
        await sm("DescribeSecret", { SecretId: name }),
        await sm("GetRandomPassword", {}),
        await sm("DeleteSecret", { SecretId: name }),
        await sm("DescribeSecret", { SecretId: name }),
        await sm("RestoreSecret", { SecretId: name }),
        await sm("DeleteSecret", { SecretId: uniqueName("never"), ForceDeleteWithoutRecovery: true }),
        await sm("GetSecretValue", { SecretId: uniqueName("missing") }),
      ];
      for (const res of responses) expect(findNulls(res.body)).toEqual([]);
    });
  });
});
