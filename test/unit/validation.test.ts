// zod issues → AWS's ValidationException / SerializationException text, one case per issue kind, using the
// real shape atoms of src/domain/schemas.ts.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ClientRequestToken, Description, MaxResults, Name, SecretBinary, SecretId, SecretString, Tags, VersionStages,
} from "../../src/domain/schemas";
import { memberPath, toAwsError } from "../../src/protocol/validation";

/** Validates `input` against `schema` and returns the AWS error it maps to. */
function awsErrorOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be invalid");
  const error = toAwsError(parsed.error, input);
  return { code: error.code, message: error.message, status: error.status };
}

const one = (detail: string) => `1 validation error detected: ${detail}`;

describe("ValidationException per zod issue kind", () => {
  it("a string shorter than its minimum: 'Member must have length greater than or equal to'", () => {
    expect(awsErrorOf(z.object({ Name }), { Name: "" })).toEqual({
      code: "ValidationException",
      status: 400,
      message: one("Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    });
    const token = "short-token";
    expect(awsErrorOf(z.object({ ClientRequestToken }), { ClientRequestToken: token }).message).toBe(
      one(`Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32`),
    );
  });

  it("a string longer than its maximum: 'Member must have length less than or equal to'", () => {
    const description = "d".repeat(2049);
    expect(awsErrorOf(z.object({ Description }), { Description: description }).message).toBe(
      one(`Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048`),
    );
  });

  it("a number below its minimum: 'Member must have value greater than or equal to'", () => {
    expect(awsErrorOf(z.object({ MaxResults }), { MaxResults: 0 }).message).toBe(
      one("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    );
  });

  it("a number above its maximum: 'Member must have value less than or equal to'", () => {
    expect(awsErrorOf(z.object({ MaxResults }), { MaxResults: 101 }).message).toBe(
      one("Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"),
    );
  });

  it("a list shorter than its minimum: length constraint, value shown as [..]", () => {
    expect(awsErrorOf(z.object({ VersionStages }), { VersionStages: [] }).message).toBe(
      one("Value '[]' at 'versionStages' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
  });

  it("a list longer than its maximum: length constraint, value shown as [a, b, …]", () => {
    const stages = Array.from({ length: 21 }, (_, i) => `S${i}`);
    expect(awsErrorOf(z.object({ VersionStages }), { VersionStages: stages }).message).toBe(
      one(`Value '[${stages.join(", ")}]' at 'versionStages' failed to satisfy constraint: Member must have length less than or equal to 20`),
    );
  });

  it("a pattern mismatch: 'Member must satisfy regular expression pattern' followed by the bare pattern", () => {
    // The ListSecrets filter value pattern of the API model.
    const FilterValue = z.string().max(512).regex(/^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$/);
    expect(awsErrorOf(z.object({ Filters: z.array(z.object({ Values: z.array(FilterValue) })) }), { Filters: [{ Values: ["a*b"] }] }).message).toBe(
      one(
        "Value 'a*b' at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
      ),
    );
  });

  it("a value outside an enum: 'Member must satisfy enum value set: [..]'", () => {
    const SortOrder = z.enum(["asc", "desc"]);
    expect(awsErrorOf(z.object({ SortOrder }), { SortOrder: "up" }).message).toBe(
      one("Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]"),
    );
  });

  it("a missing required member: \"Value null at '<member>' ... Member must not be null\"", () => {
    expect(awsErrorOf(z.object({ SecretId }), {})).toEqual({
      code: "ValidationException",
      status: 400,
      message: one("Value null at 'secretId' failed to satisfy constraint: Member must not be null"),
    });
  });

  it("two violations: '2 validation errors detected: …; …' in member order", () => {
    expect(awsErrorOf(z.object({ SecretId, MaxResults: MaxResults.optional() }), { MaxResults: 500 }).message).toBe(
      "2 validation errors detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null; " +
        "Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it("a nested list member is addressed as tags.1.member.key (1-based, camelCase)", () => {
    const input = { Tags: [{ Key: "ok", Value: "v" }, { Key: "", Value: "v" }] };
    expect(awsErrorOf(z.object({ Tags }), input).message).toBe(
      one("Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
    expect(awsErrorOf(z.object({ Tags }), { Tags: [{ Key: "k" }] }).message).toBe(
      one("Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"),
    );
    expect(memberPath(["Tags", 0, "Key"])).toBe("tags.1.member.key");
  });
});

describe("sensitive members", () => {
  it("a SecretString over 65536 characters is reported without its value", () => {
    const secret = `s3cr3t-${"x".repeat(65536)}`;
    const error = awsErrorOf(z.object({ SecretString }), { SecretString: secret });
    expect(error.code).toBe("ValidationException");
    expect(error.message).not.toContain("s3cr3t");
    // Coral's form for a sensitive member names no value at all ("Value at 'password' …", as AWS answers for Cognito passwords).
    expect(error.message).toBe(
      one("Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536"),
    );
  });

  it("an empty SecretBinary is reported without its value", () => {
    const error = awsErrorOf(z.object({ SecretBinary }), { SecretBinary: "" });
    expect(error.code).toBe("ValidationException");
    expect(error.message).toBe(one("Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1"));
  });

  it("a RotationToken that breaks its pattern is reported without its value", () => {
    const RotationToken = z.string().min(36).max(256).regex(/^[a-zA-Z0-9-]+$/);
    const rotationToken = `rotation_token_${"t".repeat(40)}`;
    const error = awsErrorOf(z.object({ RotationToken }), { RotationToken: rotationToken });
    expect(error.message).not.toContain("rotation_token_");
    expect(error.message).toBe(
      one("Value at 'rotationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$"),
    );
  });
});

describe("SerializationException for values of the wrong JSON type", () => {
  it("a number where a string belongs", () => {
    const error = awsErrorOf(z.object({ SecretId }), { SecretId: 42 });
    expect(error.code).toBe("SerializationException");
    expect(error.status).toBe(400);
    expect(error.message).toContain("secretId");
  });

  it("a string where a boolean belongs, even alongside constraint violations", () => {
    const schema = z.object({ Name, ForceDeleteWithoutRecovery: z.boolean().optional() });
    expect(awsErrorOf(schema, { Name: "", ForceDeleteWithoutRecovery: "yes" }).code).toBe("SerializationException");
  });

  it("an object where a list belongs", () => {
    expect(awsErrorOf(z.object({ Tags }), { Tags: { Key: "k", Value: "v" } }).code).toBe("SerializationException");
  });

  it("a SecretBinary that is not base64, without echoing it", () => {
    const error = awsErrorOf(z.object({ SecretBinary }), { SecretBinary: "not base64!" });
    expect(error.code).toBe("SerializationException");
    expect(error.message).not.toContain("not base64!");
  });
});
