// The request context for Secrets Manager requests: each condition key buildContext() derives from the
// request's facts, and the principal keys IAM always sets, checked through real Condition blocks.
import { describe, expect, it } from "vitest";
import { buildContext, type ConditionContext, parsePolicy, principalContext, type RequestFacts } from "../../src/authz";
import { conditionsHold, contextLookup } from "../../src/authz/conditions";

type Condition = Record<string, Record<string, unknown>>;

function holds(condition: Condition, context: ConditionContext): boolean {
  const parsed = parsePolicy({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: condition } }, "identity");
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.detail).join("; "));
  return conditionsHold(parsed.policy.statements[0]!.conditions, contextLookup(context), true);
}

describe("the Secrets Manager keys, from buildContext", () => {
  const alice = { arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" };
  const base: RequestFacts = {
    principal: alice,
    principalTags: { team: "pay" },
    sourceIp: "203.0.113.9",
    secureTransport: true,
    now: new Date("2024-06-01T12:00:00.250Z"),
    resourceTags: { env: "prod" },
    requestTags: { owner: "ops", cost: "42" },
    secret: { name: "prod/db", secretId: "prod/db", versionId: "v-1", versionStage: "AWSCURRENT", description: "main db", kmsKeyId: "alias/payments" },
  };
  const rows: Array<[string, unknown, boolean]> = [
    ["secretsmanager:ResourceTag/env", "prod", true],
    ["aws:ResourceTag/env", "prod", true],
    ["aws:ResourceTag/team", "pay", false],
    ["aws:RequestTag/owner", "ops", true],
    ["aws:PrincipalTag/team", "pay", true],
    ["secretsmanager:Name", "prod/db", true],
    ["secretsmanager:SecretId", "prod/db", true],
    ["secretsmanager:VersionId", "v-1", true],
    ["secretsmanager:VersionStage", "AWSCURRENT", true],
    ["secretsmanager:Description", "main db", true],
    ["secretsmanager:KmsKeyId", "alias/payments", true],
    ["aws:PrincipalArn", alice.arn, true],
    ["aws:PrincipalAccount", "111122223333", true],
    ["aws:PrincipalType", "User", true],
    ["aws:username", "alice", true],
    ["aws:CurrentTime", "2024-06-01T12:00:00Z", true],
    ["aws:EpochTime", "1717243200", true],
  ];
  for (const [key, value, expected] of rows) {
    it(`StringEquals on ${key} → ${expected}`, () => expect(holds({ StringEquals: { [key]: value } }, buildContext(base))).toBe(expected));
  }

  it("aws:TagKeys lists the request's tag keys (or the keys given)", () => {
    expect(holds({ "ForAllValues:StringEquals": { "aws:TagKeys": ["owner", "cost"] } }, buildContext(base))).toBe(true);
    expect(holds({ "ForAnyValue:StringEquals": { "aws:TagKeys": "env" } }, buildContext({ ...base, tagKeys: ["env"] }))).toBe(true);
  });

  it("aws:SourceIp, aws:SecureTransport and aws:CurrentTime take their operators", () => {
    const context = buildContext(base);
    expect(holds({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, context)).toBe(true);
    expect(holds({ Bool: { "aws:SecureTransport": "true" } }, context)).toBe(true);
    expect(holds({ DateGreaterThan: { "aws:CurrentTime": "2024-06-01T11:59:59Z" } }, context)).toBe(true);
  });

  it("the principal keys of a role session and of the account root", () => {
    const session = { arn: "arn:aws:sts::111122223333:assumed-role/Reader/ci", accountId: "111122223333" };
    expect(principalContext(session)).toEqual({
      "aws:PrincipalArn": "arn:aws:iam::111122223333:role/Reader",
      "aws:PrincipalAccount": "111122223333",
      "aws:PrincipalType": "AssumedRole",
    });
    const root = { arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" };
    expect(principalContext(root)).toMatchObject({ "aws:PrincipalArn": root.arn, "aws:PrincipalType": "Account" });
  });

  it("keys the request does not carry are absent", () => {
    const context = buildContext({ principal: alice });
    for (const key of ["aws:ResourceTag/env", "aws:TagKeys", "aws:SourceIp", "secretsmanager:VersionStage", "aws:SecureTransport"]) {
      expect(holds({ Null: { [key]: "true" } }, context)).toBe(true);
    }
  });
});
