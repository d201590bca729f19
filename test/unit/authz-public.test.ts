// BlockPublicPolicy's notion of a public (broad-access) resource policy, and ValidateResourcePolicy's
// three documented checks: syntax, broad access and caller lockout.
import { describe, expect, it } from "vitest";
import { CHECKS, isPublic, parsePolicy, PUBLIC_POLICY_MESSAGE, publicStatements, validateResourcePolicy } from "../../src/authz";

const V = "2012-10-17";
const ACCT = "111122223333";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:app/db-AbCdEf`;
type Stmt = Record<string, unknown>;

const open = (extra: Stmt = {}, principal: unknown = "*"): Stmt => ({ Effect: "Allow", Principal: principal, Action: "secretsmanager:GetSecretValue", Resource: "*", ...extra });
const when = (condition: Record<string, Record<string, unknown>>, principal: unknown = "*") => open({ Condition: condition }, principal);

function policy(statements: Stmt[]) {
  const result = parsePolicy({ Version: V, Statement: statements }, "resource");
  if (!result.ok) throw new Error(result.problems.map((p) => p.detail).join("; "));
  return result.policy;
}

const CASES: Array<[name: string, statements: Stmt[], isPublic: boolean]> = [
  ['Allow to Principal "*"', [open()], true],
  ['Allow to {"AWS": "*"}', [open({}, { AWS: "*" })], true],
  ["Allow to a list holding *", [open({}, { AWS: [ACCT, "*"] })], true],
  ["Allow with NotPrincipal (everyone but the listed)", [{ Effect: "Allow", NotPrincipal: { AWS: ACCT }, Action: "secretsmanager:*", Resource: "*" }], true],
  ["Deny to *", [{ ...open(), Effect: "Deny" }], false],
  ["Allow to an account", [open({}, { AWS: ACCT })], false],
  ["Allow to a role", [open({}, { AWS: `arn:aws:iam::${ACCT}:role/Reader` })], false],
  ["Allow to a service principal", [open({}, { Service: "lambda.amazonaws.com" })], false],
  ["* limited by aws:PrincipalAccount", [when({ StringEquals: { "aws:PrincipalAccount": ACCT } })], false],
  ["* limited by aws:PrincipalAccount written in another case", [when({ StringEquals: { "AWS:principalaccount": ACCT } })], false],
  ["* limited by aws:PrincipalAccount = ${aws:ResourceAccount}", [when({ StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } })], false],
  ["* with aws:PrincipalAccount given as a wildcard", [when({ StringLike: { "aws:PrincipalAccount": "1111*" } })], true],
  ["* limited by aws:PrincipalOrgID", [when({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } })], false],
  ["* with aws:PrincipalOrgID = *", [when({ StringLike: { "aws:PrincipalOrgID": "*" } })], true],
  ["* limited by ForAnyValue aws:PrincipalOrgPaths", [when({ "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } })], false],
  ["* with ForAllValues aws:PrincipalOrgPaths (holds when the key is missing)", [when({ "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*" } })], true],
  ["* limited by aws:PrincipalArn in one account", [when({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCT}:role/*` } })], false],
  ["* with aws:PrincipalArn in any account", [when({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Reader" } })], true],
  ["* limited by aws:SourceAccount", [when({ StringEquals: { "aws:SourceAccount": ACCT } })], false],
  ["* limited by aws:SourceVpce", [when({ StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } })], false],
  ["* limited by aws:SourceIp to a /24", [when({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } })], false],
  ["* with aws:SourceIp 0.0.0.0/0", [when({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } })], true],
  ["* with aws:SourceIp wider than /8", [when({ IpAddress: { "aws:SourceIp": "10.0.0.0/4" } })], true],
  ["* with an ...IfExists limit (holds when the key is missing)", [when({ StringEqualsIfExists: { "aws:PrincipalAccount": ACCT } })], true],
  ["* with a negated limit", [when({ StringNotEquals: { "aws:PrincipalAccount": ACCT } })], true],
  ["* with a condition unrelated to who calls", [when({ Bool: { "aws:SecureTransport": "true" } })], true],
  ["* limited, next to an unrelated condition", [when({ Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalAccount": ACCT } })], false],
  ["one open statement among restricted ones", [open({ Sid: "Ok" }, { AWS: ACCT }), open({ Sid: "Open" })], true],
];

describe("isPublic (what BlockPublicPolicy refuses)", () => {
  for (const [name, statements, expected] of CASES) {
    it(`${name} → ${expected ? "public" : "not public"}`, () => expect(isPublic(policy(statements))).toBe(expected));
  }

  it("publicStatements names the statements that make a policy public", () => {
    const found = publicStatements(policy([open({ Sid: "Ok" }, { AWS: ACCT }), open({ Sid: "Open" })]));
    expect(found.map((s) => [s.index, s.sid])).toEqual([[1, "Open"]]);
  });

  it("PublicPolicyException carries the user guide's message", () => {
    expect(PUBLIC_POLICY_MESSAGE).toBe("You can't attach a resource-based policy that allows broad access to the secret.");
  });
});

describe("validateResourcePolicy (ValidateResourcePolicy)", () => {
  const text = (statements: Stmt[]) => JSON.stringify({ Version: V, Statement: statements });
  const alice = { arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT };

  it("the API reference example passes with no errors", () => {
    const example = text([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    expect(validateResourcePolicy(example)).toMatchObject({ passed: true, errors: [] });
  });

  it("a document that is not JSON fails the syntax check", () => {
    expect(validateResourcePolicy("{")).toEqual({ passed: false, errors: [{ checkName: CHECKS.syntax, errorMessage: "The policy is not valid JSON." }] });
  });

  it("a policy without statements fails the syntax check", () => {
    const outcome = validateResourcePolicy(JSON.stringify({ Version: V }));
    expect(outcome.passed).toBe(false);
    expect(outcome.errors).toEqual([{ checkName: CHECKS.syntax, errorMessage: "Statement must be a statement object or a non-empty list of them." }]);
  });

  it("each grammar problem is its own syntax error", () => {
    const outcome = validateResourcePolicy(text([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }, { ...open(), Action: "GetSecretValue" }]));
    expect(outcome.errors.map((e) => e.checkName)).toEqual([CHECKS.syntax, CHECKS.syntax]);
    expect(outcome.errors.map((e) => e.errorMessage)).toEqual([
      "Statement 0: a resource policy statement needs a Principal.",
      'Statement 1: action "GetSecretValue" needs a service prefix, e.g. secretsmanager:GetSecretValue.',
    ]);
  });

  it("a public policy fails the broad-access check, naming the statement", () => {
    const outcome = validateResourcePolicy(text([open({ Sid: "Open" })]));
    expect(outcome.passed).toBe(false);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]!.checkName).toBe(CHECKS.broadAccess);
    expect(outcome.errors[0]!.errorMessage).toMatch(/^Statement 0 \(Sid "Open"\) allows broad access/);
  });

  it("a policy that denies the caller PutResourcePolicy fails the lockout check", () => {
    const lockout = text([{ Effect: "Deny", Principal: { AWS: alice.arn }, Action: "secretsmanager:*ResourcePolicy", Resource: "*" }]);
    const outcome = validateResourcePolicy(lockout, { principal: alice, secretArn: SECRET });
    expect(outcome.passed).toBe(false);
    expect(outcome.errors).toEqual([
      {
        checkName: CHECKS.lockout,
        errorMessage: `This policy would lock out ${alice.arn}: it could no longer call secretsmanager:PutResourcePolicy on the secret (with an explicit deny in a resource-based policy).`,
      },
    ]);
  });

  it("a policy that leaves the caller its access passes the lockout check", () => {
    const fine = text([{ Effect: "Deny", Principal: { AWS: alice.arn }, Action: "secretsmanager:DeleteSecret", Resource: "*" }]);
    expect(validateResourcePolicy(fine, { principal: alice, secretArn: SECRET }).passed).toBe(true);
  });

  it("a cross-account caller whose access comes only from the policy is locked out by a policy that drops them", () => {
    const bob = { arn: "arn:aws:iam::444455556666:user/bob", accountId: "444455556666" };
    const others = text([open({}, { AWS: "777788889999" })]);
    const outcome = validateResourcePolicy(others, { principal: bob, secretArn: SECRET });
    expect(outcome.errors.map((e) => e.checkName)).toEqual([CHECKS.lockout]);
    expect(outcome.errors[0]!.errorMessage).toMatch(/because no resource-based policy allows the secretsmanager:PutResourcePolicy action/);
  });
});
