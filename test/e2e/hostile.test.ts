// Hostile input in the JSON itself, against the running server and below any SDK: malformed JSON and wrong member
// types, Unicode and control characters in names, tags and values, every bounded member at min-1/min/max/max+1 (from
// the API model), numbers out of range and unknown members. Every answer is 200 for valid input or 400 with AWS's
// JSON error envelope (never a 5xx, a hang or a crash), and the server keeps serving. HTTP-level hostility (content
// types, sizes, operations, headers, framing) is in hostile-http.test.ts.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type BoundaryCase, boundaryCases } from "./hostile/boundaries";
import { expectAnswer, expectAwsError, expectSuccess } from "./hostile/envelope";
import { createFixture, expectStillServing, hostileFixture } from "./hostile/fixture";
import { OPERATIONS } from "./hostile/model";
import { rawCall, registeredOperations } from "./raw";

const endpoint = inject("endpoint");
const registered = await registeredOperations(endpoint);
const fixture = hostileFixture("hostile");
const unique = fixture.unique;

const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

/** Members the model has but the server does not implement; each has its own test below instead of boundary cases. */
const UNIMPLEMENTED = new Set<string>();

beforeAll(() => createFixture(endpoint, fixture));

const raw = (op: string, body: string) => rawCall(endpoint, op, {}, { body });

describe("malformed JSON bodies answer SerializationException", () => {
  const bodies: [string, string][] = [
    ["not JSON at all", "hello"],
    ["truncated JSON", `{"SecretId":"${fixture.secretId}"`],
    ["JSON followed by garbage", `{"SecretId":"${fixture.secretId}"} trailing`],
    ["single-quoted JSON", `{'SecretId':'${fixture.secretId}'}`],
    ["JSON with a comment", `{"SecretId":"${fixture.secretId}" /* c */}`],
    ["a JSON array", "[]"],
    ["a JSON string", '"SecretId"'],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["an unterminated string", '{"SecretId":"abc'],
    ["a raw control character in a string", '{"SecretId":"a\u0001b"}'],
    ["an invalid escape", '{"SecretId":"a\\qb"}'],
  ];
  it.each(bodies)("%s", async (_title, body) => {
    expectAwsError(await raw("DescribeSecret", body), "SerializationException");
  });

  const wrongTypes: [string, string, string][] = [
    ["a number for a string member", "DescribeSecret", '{"SecretId": 5}'],
    ["an object for a string member", "DescribeSecret", '{"SecretId": {"a": 1}}'],
    ["a string for a list member", "UntagResource", `{"SecretId": "${fixture.secretId}", "TagKeys": "k"}`],
    ["a number inside a list of structures", "TagResource", `{"SecretId": "${fixture.secretId}", "Tags": [1]}`],
    ["a string for a boolean member", "ListSecretVersionIds", `{"SecretId": "${fixture.secretId}", "IncludeDeprecated": "true"}`],
    ["a number for a boolean member", "ListSecretVersionIds", `{"SecretId": "${fixture.secretId}", "IncludeDeprecated": 1}`],
    ['"NaN" as a string for a number member', "GetRandomPassword", '{"PasswordLength": "NaN"}'],
    ["a string for a number member", "GetRandomPassword", '{"PasswordLength": "12"}'],
    ["a blob that is not base64", "PutSecretValue", `{"SecretId": "${fixture.secretId}", "SecretBinary": "not base64!", "ClientRequestToken": "${crypto.randomUUID()}"}`],
  ];
  it.each(wrongTypes)("%s", async (_title, op, body) => {
    expectAwsError(await raw(op, body), "SerializationException");
  });

  it("a body that is not UTF-8 is refused with a 400 AWS error", async () => {
    const bytes = Buffer.concat([Buffer.from('{"SecretId":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}')]);
    expectAwsError(await rawCall(endpoint, "DescribeSecret", {}, { body: new Uint8Array(bytes) }));
  });

  it("an empty body is read as {} and refused for the missing required member", async () => {
    const { message } = expectAwsError(await raw("DescribeSecret", ""), "ValidationException");
    expect(message).toBe("1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
  });
});

describe("Unicode and control characters", () => {
  const odd: [string, string][] = [
    ["NUL", "\u0000"],
    ["newline", "\n"],
    ["tab", "\t"],
    ["DEL", "\u007f"],
    ["an accented letter", "é"],
    ["an emoji", "🔐"],
    ["right-to-left override", "\u202e"],
    ["Hebrew", "\u05e9"],
    ["a zero-width joiner", "\u200d"],
    ["a space", " "],
    ["an asterisk", "*"],
  ];

  it.each(odd)("a secret name containing %s is refused with ValidationException by CreateSecret and DescribeSecret", async (_title, ch) => {
    const name = `${unique()}${ch}x`;
    const created = await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: "x", ClientRequestToken: crypto.randomUUID() });
    expect(expectAwsError(created, "ValidationException").message).toBe(INVALID_NAME);
    expect(expectAwsError(await rawCall(endpoint, "DescribeSecret", { SecretId: name }), "ValidationException").message).toBe(INVALID_NAME);
  });

  it("a secret name containing a lone surrogate is refused with SerializationException before any name rule", async () => {
    const name = `${unique()}\ud800x`;
    const created = await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: "x", ClientRequestToken: crypto.randomUUID() });
    expectAwsError(created, "SerializationException");
  });

  it("a SecretString with NUL, control characters, emoji and right-to-left text is returned unchanged", async () => {
    const value = "a\u0000b\u0001\u001f\u007f \u202eevil\u202c \u05e9\u05dc\u05d5\u05dd 🔐🧪 \u200d \r\n\t \\ \"";
    const name = unique();
    expectSuccess(await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: value, ClientRequestToken: crypto.randomUUID() }));
    expect(expectSuccess(await rawCall(endpoint, "GetSecretValue", { SecretId: name })).SecretString).toBe(value);
  });

  it("tags and a description with control characters, emoji and right-to-left text are returned unchanged, or refused with a 400", async () => {
    const tags = [
      { Key: "k\u0000\u202e🔐", Value: "v\u0001\u05e9\n" },
      { Key: "é\u200d", Value: "🧪".repeat(64) },
    ];
    const description = "d\u0000\u001f\u202e🔐\u05e9";
    const name = unique();
    const created = await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: "x", ClientRequestToken: crypto.randomUUID(), Tags: tags, Description: description });
    if (created.status !== 200) return void expectAwsError(created);
    const described = expectSuccess(await rawCall(endpoint, "DescribeSecret", { SecretId: name }));
    expect({ Tags: described.Tags, Description: described.Description }).toEqual({ Tags: tags, Description: description });
  });

  // JSON can carry a lone surrogate ("\ud800") that no UTF-8 store can hold. The service must refuse it, or keep it:
  // answering 200 and then returning something else (U+FFFD) silently changes the secret.
  const surrogateCases: [string, string, Record<string, unknown>, (d: Record<string, unknown>) => unknown, string][] = [
    ["SecretString", "GetSecretValue", { SecretString: "a\ud800b" }, (d) => d.SecretString, "a\ud800b"],
    ["a tag value", "DescribeSecret", { SecretString: "x", Tags: [{ Key: "k", Value: "\ud800" }] }, (d) => (d.Tags as { Value: string }[])[0]?.Value, "\ud800"],
    ["a description", "DescribeSecret", { SecretString: "x", Description: "\udc00z" }, (d) => d.Description, "\udc00z"],
  ];
  it.each(surrogateCases)("a lone surrogate in %s is refused with a 400, or kept exactly", async (_title, readOp, input, read, expected) => {
    const name = unique();
    const created = await rawCall(endpoint, "CreateSecret", { Name: name, ClientRequestToken: crypto.randomUUID(), ...input });
    if (created.status !== 200) return void expectAwsError(created);
    expect(read(expectSuccess(await rawCall(endpoint, readOp, { SecretId: name })))).toBe(expected);
  });
});

describe("every bounded member at min-1, min, max and max+1 (from the API model)", () => {
  const cases = Object.keys(OPERATIONS)
    .filter((op) => registered.has(op))
    .flatMap((op) => boundaryCases(op, fixture))
    .filter((c) => !UNIMPLEMENTED.has(`${c.op}.${c.path[0]}`));

  const title = (c: BoundaryCase) =>
    `${c.op} ${c.memberPath} of ${c.kind} ${c.size} ${c.violation ? "is refused with ValidationException" : "passes validation"}`;

  it.each(cases.map((c) => [title(c), c] as const))("%s", async (_title, c) => {
    const response = await rawCall(endpoint, c.op, c.input);
    if (c.violation) {
      const { message } = expectAwsError(response, "ValidationException");
      expect(message).toContain(`at '${c.memberPath}' failed to satisfy constraint: ${c.violation}`);
    } else {
      expectAnswer(response);
      const body = response.json as { __type?: string; Message?: string };
      const aboutThisMember = body.__type === "ValidationException" && String(body.Message).includes(`'${c.memberPath}'`);
      expect(aboutThisMember, `refused in range: ${body.Message}`).toBe(false);
    }
  });

  it("the boundary cases cover every registered operation that has a bounded member", () => {
    expect(new Set(cases.map((c) => c.op)).size).toBeGreaterThanOrEqual(10);
  });
});

describe("numbers out of range", () => {
  const numbers: [string, string, string][] = [
    ["PasswordLength -1", "GetRandomPassword", '{"PasswordLength": -1}'],
    ["PasswordLength 2^63", "GetRandomPassword", '{"PasswordLength": 9223372036854775808}'],
    ["PasswordLength 1e400", "GetRandomPassword", '{"PasswordLength": 1e400}'],
    ["PasswordLength 5.5", "GetRandomPassword", '{"PasswordLength": 5.5}'],
    ["MaxResults -2^63", "ListSecretVersionIds", `{"SecretId": "${fixture.secretId}", "MaxResults": -9223372036854775809}`],
    ["MaxResults 0.5", "ListSecretVersionIds", `{"SecretId": "${fixture.secretId}", "MaxResults": 0.5}`],
    ["RecoveryWindowInDays -1", "DeleteSecret", `{"SecretId": "${fixture.secretId}", "RecoveryWindowInDays": -1}`],
    ["RecoveryWindowInDays 0", "DeleteSecret", `{"SecretId": "${fixture.secretId}", "RecoveryWindowInDays": 0}`],
    ["RecoveryWindowInDays 2^63", "DeleteSecret", `{"SecretId": "${fixture.secretId}", "RecoveryWindowInDays": 9223372036854775808}`],
    ["RecoveryWindowInDays 7.5", "DeleteSecret", `{"SecretId": "${fixture.secretId}", "RecoveryWindowInDays": 7.5}`],
  ];
  it.each(numbers)("%s is refused with a 400 AWS error", async (_title, op, body) => {
    const { code } = expectAwsError(await raw(op, body));
    expect(["ValidationException", "SerializationException", "InvalidParameterException"]).toContain(code);
  });

  it.each([
    ["PasswordLength", "GetRandomPassword", '{"PasswordLength": 9223372036854775808}', "passwordLength", 4096],
    ["MaxResults", "ListSecretVersionIds", `{"SecretId": "${fixture.secretId}", "MaxResults": 9223372036854775808}`, "maxResults", 100],
  ])("%s of 2^63 is described as a value over the maximum, not as a length", async (_title, op, body, member, max) => {
    const { code, message } = expectAwsError(await raw(op, body));
    if (code === "ValidationException") {
      expect(message).toMatch(new RegExp(`^1 validation error detected: Value '\\d+' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}$`));
    } else expect(code).toBe("SerializationException");
  });

  it("the secret survived every DeleteSecret with a bad recovery window", async () => {
    const described = expectSuccess(await rawCall(endpoint, "DescribeSecret", { SecretId: fixture.secretId }));
    expect(described).not.toHaveProperty("DeletedDate");
  });
});

describe("unknown members", () => {
  it("an unknown top-level member is ignored", async () => {
    const body = expectSuccess(await raw("GetRandomPassword", '{"PasswordLength": 12, "Bogus": {"deep": [1, 2]}, "passwordlength": 99}'));
    expect(body.RandomPassword).toHaveLength(12);
  });

  it("an unknown member inside a tag is ignored", async () => {
    const name = unique();
    const body = JSON.stringify({ Name: name, SecretString: "x", ClientRequestToken: crypto.randomUUID(), Tags: [{ Key: "k", Value: "v", Extra: 1 }] });
    expectSuccess(await raw("CreateSecret", body));
    expect(expectSuccess(await rawCall(endpoint, "DescribeSecret", { SecretId: name })).Tags).toEqual([{ Key: "k", Value: "v" }]);
  });

  it('a member named "__proto__" is an unknown member: it does not supply SecretId', async () => {
    const response = await raw("DescribeSecret", `{"__proto__": {"SecretId": "${fixture.secretId}"}}`);
    expect(expectAwsError(response, "ValidationException").message).toBe(
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('a member named "__proto__" does not supply a SecretString to CreateSecret', async () => {
    const name = unique();
    expectSuccess(await raw("CreateSecret", `{"Name": "${name}", "__proto__": {"SecretString": "smuggled"}}`));
    const got = await rawCall(endpoint, "GetSecretValue", { SecretId: name });
    expect(expectAwsError(got, "ResourceNotFoundException").message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
  });

  it('members named "constructor" and "toString" are ignored', async () => {
    expectSuccess(await raw("GetRandomPassword", '{"PasswordLength": 8, "constructor": 1, "toString": "x", "hasOwnProperty": null}'));
  });

  it("CreateSecret with AddReplicaRegions does not silently ignore them: it replicates or refuses", async () => {
    const name = unique();
    const response = await rawCall(endpoint, "CreateSecret", {
      Name: name,
      SecretString: "x",
      ClientRequestToken: crypto.randomUUID(),
      AddReplicaRegions: [{ Region: "eu-west-1" }],
    });
    if (response.status !== 200) return void expectAwsError(response);
    // AWS answers ReplicationStatus for each requested region.
    expect(response.json).toHaveProperty("ReplicationStatus");
  });
});

describe("after all of the above", () => {
  it("the server still answers GetSecretValue with the fixture's value", async () => {
    await expectStillServing(endpoint, fixture);
  });
});
