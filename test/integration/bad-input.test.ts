// Malformed and out-of-contract requests: each gets the AWS error a Coral JSON service answers (SerializationException,
// ValidationException, or the recorded Secrets Manager error), and never a 500. reference/aws-behaviour.md §1–2.
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { type SmResponse, sm, token } from "../support/sm";

const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";
const INVALID_NAMES = ["Inv Name", " Inv Name", " Inv*Name? ", " Inv *?!]Name\\-"];
const BOTH_VALUES = "You can't specify both a binary secret value and a string secret value in the same secret.";
const missing = (member: string) =>
  `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`;

function expectError(res: SmResponse, code: string, message?: string) {
  expect(res.status).toBe(400);
  expect(res.body.__type).toBe(code);
  if (message !== undefined) expect(res.body.Message).toBe(message);
}

const rawBody = (op: string, body: string) => sm(op, undefined, { rawBody: body });

describe("bad input", () => {
  describe("unparsable bodies", () => {
    it.each([
      ["malformed JSON", '{"SecretId": }'],
      ["truncated JSON", '{"SecretId": "abc"'],
      ["a JSON array", '["SecretId"]'],
      ["an empty JSON array", "[]"],
      ["a JSON string", '"SecretId"'],
      ["a JSON number", "5"],
      ["text that is not JSON", "SecretId=abc"],
    ])("%s returns SerializationException", async (_, body) => {
      expectError(await rawBody("GetSecretValue", body), "SerializationException");
    });

    it("an empty body is an empty request (missing SecretId)", async () => {
      expectError(await rawBody("GetSecretValue", ""), "ValidationException", missing("secretId"));
    });

    it("a body nested 10000 levels deep returns SerializationException", async () => {
      const deep = `{"SecretId":"x","Extra":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
      expectError(await rawBody("GetSecretValue", deep), "SerializationException");
      const deepObject = `{"SecretId":"x","Extra":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
      expectError(await rawBody("DescribeSecret", deepObject), "SerializationException");
    });

    it("a body over 1 MiB is refused with a 400", async () => {
      const body = JSON.stringify({ SecretId: "x", Padding: "p".repeat((1 << 20) + 10) });
      const res = await rawBody("GetSecretValue", body);
      expect(res.status).toBe(400);
      expect(typeof res.body.__type).toBe("string");
    });
  });

  describe("wrong JSON types", () => {
    it.each([
      ["GetSecretValue", { SecretId: 5 }],
      ["GetSecretValue", { SecretId: { Name: "x" } }],
      ["DescribeSecret", { SecretId: ["x"] }],
      ["TagResource", { SecretId: "x", Tags: "x" }],
      ["TagResource", { SecretId: "x", Tags: [{ Key: 1, Value: "v" }] }],
      ["UntagResource", { SecretId: "x", TagKeys: "k" }],
      ["DeleteSecret", { SecretId: "x", ForceDeleteWithoutRecovery: "yes" }],
      ["DeleteSecret", { SecretId: "x", RecoveryWindowInDays: "7" }],
      ["ListSecretVersionIds", { SecretId: "x", IncludeDeprecated: "true" }],
      ["ListSecretVersionIds", { SecretId: "x", MaxResults: "10" }],
      ["PutSecretValue", { SecretId: "x", SecretString: "v", ClientRequestToken: token(), VersionStages: "AWSCURRENT" }],
      ["CreateSecret", { Name: "x", SecretString: 42, ClientRequestToken: token() }],
      ["CreateSecret", { Name: true }],
    ])("%s with %j returns SerializationException", async (op, input) => {
      expectError(await sm(op, input), "SerializationException");
    });
  });

  describe("missing required members", () => {
    it.each(["GetSecretValue", "DescribeSecret", "PutSecretValue", "UpdateSecret", "DeleteSecret", "RestoreSecret", "ListSecretVersionIds"])(
      "%s without SecretId returns ValidationException for 'secretId'",
      async (op) => {
        expectError(await sm(op, {}), "ValidationException", missing("secretId"));
      },
    );

    it("CreateSecret without Name returns ValidationException for 'name'", async () => {
      expectError(await sm("CreateSecret", { SecretString: "v", ClientRequestToken: token() }), "ValidationException", missing("name"));
    });

    it("JSON null for a required member counts as missing", async () => {
      expectError(await sm("GetSecretValue", { SecretId: null }), "ValidationException", missing("secretId"));
    });
  });

  describe("value sizes", () => {
    it("a SecretString of 65536 characters is accepted and round-trips", async () => {
      const name = uniqueName("bad");
      const value = "x".repeat(65_536);
      expect((await sm("CreateSecret", { Name: name, SecretString: value, ClientRequestToken: token() })).status).toBe(200);
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(value);
    });

    it("a SecretString of 65537 characters returns ValidationException without echoing the value", async () => {
      const name = uniqueName("bad");
      await createSecret(name);
      const value = "TOPSECRET".repeat(7282).padEnd(65_537, "!");
      for (const [op, input] of [
        ["CreateSecret", { Name: uniqueName("bad"), SecretString: value, ClientRequestToken: token() }],
        ["PutSecretValue", { SecretId: name, SecretString: value, ClientRequestToken: token() }],
        ["UpdateSecret", { SecretId: name, SecretString: value, ClientRequestToken: token() }],
      ] as const) {
        const res = await sm(op, input);
        expectError(res, "ValidationException");
        expect(res.body.Message).toMatch(/^1 validation error detected: .*'secretString'/);
        expect(res.body.Message).not.toContain("TOPSECRET");
      }
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v1");
    });

    it("an empty SecretString returns ValidationException", async () => {
      expectError(await sm("CreateSecret", { Name: uniqueName("bad"), SecretString: "", ClientRequestToken: token() }), "ValidationException");
    });

    it("a SecretBinary over 65536 bytes returns ValidationException without echoing the value", async () => {
      const encoded = btoa("B".repeat(65_537));
      const res = await sm("CreateSecret", { Name: uniqueName("bad"), SecretBinary: encoded, ClientRequestToken: token() });
      expectError(res, "ValidationException");
      expect(res.body.Message).not.toContain(encoded.slice(0, 40));
    });
  });

  describe("names", () => {
    const byOp: [string, (id: string) => Record<string, unknown>][] = [
      ["CreateSecret", (id) => ({ Name: id, SecretString: "v", ClientRequestToken: token() })],
      ["DeleteSecret", (id) => ({ SecretId: id, ForceDeleteWithoutRecovery: true })],
      ["DescribeSecret", (id) => ({ SecretId: id })],
      ["GetSecretValue", (id) => ({ SecretId: id })],
      ["ListSecretVersionIds", (id) => ({ SecretId: id, IncludeDeprecated: true })],
      ["PutSecretValue", (id) => ({ SecretId: id, SecretString: "v", ClientRequestToken: token() })],
      ["TagResource", (id) => ({ SecretId: id, Tags: [{ Key: "k", Value: "v" }] })],
      ["UntagResource", (id) => ({ SecretId: id, TagKeys: ["k"] })],
      ["UpdateSecret", (id) => ({ SecretId: id, Description: "d" })],
      ["RestoreSecret", (id) => ({ SecretId: id })],
      ["UpdateSecretVersionStage", (id) => ({ SecretId: id, VersionStage: "X", MoveToVersionId: token() })],
    ];

    it.each(byOp)("%s with an invalid name returns ValidationException before any lookup", async (op, input) => {
      for (const name of INVALID_NAMES) {
        const res = await sm(op, input(name));
        expect({ name, status: res.status, body: res.body }).toEqual({ name, status: 400, body: { __type: "ValidationException", Message: INVALID_NAME } });
      }
    });
  });

  describe("secret values", () => {
    it.each([
      ["CreateSecret", () => ({ Name: uniqueName("bad") })],
      ["PutSecretValue", (name: string) => ({ SecretId: name })],
      ["UpdateSecret", (name: string) => ({ SecretId: name })],
    ] as const)("%s with both SecretString and SecretBinary returns InvalidParameterException", async (op, base) => {
      const name = uniqueName("bad");
      await createSecret(name);
      const res = await sm(op, { ...base(name), SecretString: "s", SecretBinary: "AAEC", ClientRequestToken: token() });
      expectError(res, "InvalidParameterException", BOTH_VALUES);
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v1");
    });

    it.each(["not base64!", "%%%%", "a", "AAE=C"])("SecretBinary %j returns SerializationException", async (binary) => {
      const res = await sm("CreateSecret", { Name: uniqueName("bad"), SecretBinary: binary, ClientRequestToken: token() });
      expectError(res, "SerializationException");
    });
  });

  describe("ClientRequestToken", () => {
    it.each([31, 65])("a token of %i characters returns ValidationException", async (length) => {
      const res = await sm("CreateSecret", { Name: uniqueName("bad"), SecretString: "v", ClientRequestToken: "t".repeat(length) });
      expectError(res, "ValidationException");
      expect(res.body.Message).toMatch(/^1 validation error detected: .*'clientRequestToken'/);
    });

    it("a token of 32 characters is accepted and becomes the VersionId", async () => {
      const crt = "t".repeat(32);
      const res = await sm("CreateSecret", { Name: uniqueName("bad"), SecretString: "v", ClientRequestToken: crt });
      expect(res.status).toBe(200);
      expect(res.body.VersionId).toBe(crt);
    });
  });

  describe("lenient parts of the contract", () => {
    it("unknown members are ignored", async () => {
      const name = uniqueName("bad");
      await createSecret(name);
      const res = await sm("GetSecretValue", { SecretId: name, NotAMember: 1, Nested: { deep: [1, 2] } });
      expect(res.status).toBe(200);
      expect(res.body.SecretString).toBe("v1");
    });

    it("JSON null members are treated as absent", async () => {
      const name = uniqueName("bad");
      await createSecret(name);
      const got = await sm("GetSecretValue", { SecretId: name, VersionId: null, VersionStage: null });
      expect(got.status).toBe(200);
      expect(got.body.VersionStages).toEqual(["AWSCURRENT"]);

      const bare = uniqueName("bad");
      const created = await sm("CreateSecret", { Name: bare, Description: null, SecretString: null, SecretBinary: null, Tags: null });
      expect(created.status).toBe(200);
      expect(Object.keys(created.body).sort()).toEqual(["ARN", "Name"]);
      expect(Object.keys((await sm("DescribeSecret", { SecretId: bare })).body).sort()).toEqual(["ARN", "CreatedDate", "LastChangedDate", "Name"]);
    });
  });

  it("no odd body sent to any operation produces a 500", async () => {
    const ops = [
      "CreateSecret", "DeleteSecret", "DescribeSecret", "GetRandomPassword", "GetSecretValue", "ListSecretVersionIds",
      "PutSecretValue", "RestoreSecret", "TagResource", "UntagResource", "UpdateSecret", "UpdateSecretVersionStage",
    ];
    const bodies = [
      "{",
      "[]",
      "null",
      "true",
      '{"SecretId":{},"Name":{}}',
      '{"SecretId":"","Name":""}',
      '{"SecretId":"x","Name":"x","Tags":[null],"TagKeys":[null],"VersionStages":[]}',
      '{"SecretId":"arn:aws:secretsmanager:us-east-1:111122223333:secret:","Name":"x","SecretBinary":""}',
      '{"SecretId":"x","PasswordLength":1e308,"MaxResults":-1,"RecoveryWindowInDays":1.5,"NextToken":"!"}',
      '{"__proto__":{"SecretId":"x"},"constructor":{"prototype":{}}}',
    ];
    for (const op of ops) {
      for (const body of bodies) {
        const res = await rawBody(op, body);
        expect(res.status, `${op} ${body}`).toBeLessThan(500);
        if (res.status !== 200) expect(typeof res.body.__type, `${op} ${body}`).toBe("string");
      }
    }
  });
});
