// Policy documents: what parses (and into what), and every malformed form with the message
// MalformedPolicyDocumentException carries and the detail ValidateResourcePolicy reports.
import { describe, expect, it } from "vitest";
import { MESSAGES, parsePolicy, type PolicyKind } from "../../src/authz";

const V = "2012-10-17";
const ACCT = "111122223333";
const read = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" };
const granted = { ...read, Principal: { AWS: ACCT } };

function parsed(input: unknown, kind: PolicyKind) {
  const result = parsePolicy(input, kind);
  if (!result.ok) throw new Error(result.problems.map((p) => p.detail).join("; "));
  return result.policy;
}

describe("documents that parse", () => {
  it("the ValidateResourcePolicy example of the API reference parses as a resource policy", () => {
    const text =
      '{\n"Version":"2012-10-17",\n"Statement":[{\n"Effect":"Allow",\n"Principal":{\n"AWS":"arn:aws:iam::123456789012:root"\n},\n"Action":"secretsmanager:GetSecretValue",\n"Resource":"*"\n}]\n}';
    const policy = parsed(text, "resource");
    expect(policy.statements).toHaveLength(1);
    expect(policy.statements[0]!.principal).toEqual({ anyone: false, aws: ["arn:aws:iam::123456789012:root"], service: [] });
  });

  it("a single Statement object and single strings become lists", () => {
    const policy = parsed({ Version: V, Statement: { Sid: "Read", ...read } }, "identity");
    expect(policy).toEqual({
      version: V,
      id: undefined,
      statements: [{ index: 0, sid: "Read", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: ["*"], conditions: [] }],
    });
  });

  it("a missing Version means 2008-10-17, and Id is kept", () => {
    const policy = parsed({ Id: "p1", Statement: [read] }, "identity");
    expect(policy.version).toBe("2008-10-17");
    expect(policy.id).toBe("p1");
  });

  it("Version 2008-10-17 is accepted", () => {
    expect(parsed({ Version: "2008-10-17", Statement: [read] }, "identity").version).toBe("2008-10-17");
  });

  it("NotAction, NotResource and NotPrincipal are kept as such", () => {
    const statement = { Effect: "Deny", NotAction: "secretsmanager:Describe*", NotResource: ["arn:aws:secretsmanager:*:*:secret:a-*"], NotPrincipal: { AWS: [ACCT] } };
    const [s] = parsed({ Version: V, Statement: [statement] }, "resource").statements;
    expect(s).toMatchObject({ effect: "Deny", notActions: ["secretsmanager:Describe*"], notResources: ["arn:aws:secretsmanager:*:*:secret:a-*"], notPrincipal: { anyone: false, aws: [ACCT] } });
  });

  it("every Principal form of a resource policy", () => {
    const principals = [
      ["*", { anyone: true, aws: [], service: [] }],
      [{ AWS: "*" }, { anyone: true, aws: [], service: [] }],
      [{ AWS: [ACCT, "*"] }, { anyone: true, aws: [ACCT], service: [] }],
      [{ AWS: `arn:aws:iam::${ACCT}:user/path/alice` }, { anyone: false, aws: [`arn:aws:iam::${ACCT}:user/path/alice`], service: [] }],
      [{ AWS: `arn:aws:iam::${ACCT}:role/Reader` }, { anyone: false, aws: [`arn:aws:iam::${ACCT}:role/Reader`], service: [] }],
      [{ AWS: `arn:aws:sts::${ACCT}:assumed-role/Reader/ci` }, { anyone: false, aws: [`arn:aws:sts::${ACCT}:assumed-role/Reader/ci`], service: [] }],
      [{ Service: ["lambda.amazonaws.com"], AWS: ACCT }, { anyone: false, aws: [ACCT], service: ["lambda.amazonaws.com"] }],
    ] as const;
    for (const [principal, expected] of principals) {
      expect(parsed({ Version: V, Statement: { ...read, Principal: principal } }, "resource").statements[0]!.principal).toEqual(expected);
    }
  });

  it("conditions are split into qualifier, operator and IfExists, with values as strings", () => {
    const condition = { "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["a*", "b"] }, NumericLessThan: { "secretsmanager:RecoveryWindowInDays": 10 }, Bool: { "aws:SecureTransport": true } };
    const [s] = parsed({ Version: V, Statement: { ...read, Condition: condition } }, "identity").statements;
    expect(s!.conditions).toEqual([
      { operator: "ForAnyValue:StringLikeIfExists", base: "StringLike", qualifier: "ForAnyValue", ifExists: true, key: "aws:TagKeys", values: ["a*", "b"] },
      { operator: "NumericLessThan", base: "NumericLessThan", qualifier: undefined, ifExists: false, key: "secretsmanager:RecoveryWindowInDays", values: ["10"] },
      { operator: "Bool", base: "Bool", qualifier: undefined, ifExists: false, key: "aws:SecureTransport", values: ["true"] },
    ]);
  });

  it("an identity policy may be given as an object (the ACCESS_KEYS form) or as JSON text", () => {
    const object = { Version: V, Statement: [read] };
    expect(parsed(object, "identity")).toEqual(parsed(JSON.stringify(object), "identity"));
  });
});

type Malformed = [name: string, kind: PolicyKind, document: unknown, message: string, detail: RegExp];

const statement = (extra: Record<string, unknown>, base: Record<string, unknown> = granted) => ({ Version: V, Statement: [{ ...base, ...extra }] });
const without = (key: string, base: Record<string, unknown> = granted) => ({ Version: V, Statement: [Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))] });

const MALFORMED: Malformed[] = [
  ["text that is not JSON", "resource", '{"Version": "2012-10-17",', MESSAGES.syntax, /not valid JSON/],
  ["a JSON array", "resource", "[]", MESSAGES.syntax, /must be a JSON object/],
  ["an unknown top-level element", "resource", { Version: V, Statement: [granted], Statements: [] }, MESSAGES.syntax, /Unknown policy element "Statements"/],
  ["an unknown Version", "resource", { Version: "2019-10-19", Statement: [granted] }, MESSAGES.syntax, /Version must be "2012-10-17" or "2008-10-17", got "2019-10-19"/],
  ["a non-string Id", "resource", { Version: V, Id: 7, Statement: [granted] }, MESSAGES.syntax, /Id must be a string/],
  ["no Statement", "resource", { Version: V }, MESSAGES.syntax, /Statement must be/],
  ["an empty Statement list", "resource", { Version: V, Statement: [] }, MESSAGES.syntax, /Statement must be/],
  ["a statement that is not an object", "resource", { Version: V, Statement: ["allow all"] }, MESSAGES.syntax, /Statement 0 must be an object/],
  ["an unknown statement element", "resource", statement({ Effects: "Allow" }), MESSAGES.syntax, /unknown element "Effects"/],
  ["a non-string Sid", "resource", statement({ Sid: 1 }), MESSAGES.syntax, /Sid must be a string/],
  ["no Effect", "resource", without("Effect"), MESSAGES.syntax, /Effect must be "Allow" or "Deny"; it is missing/],
  ["an Effect in the wrong case", "resource", statement({ Effect: "allow" }), MESSAGES.syntax, /got "allow"/],
  ["no Action", "resource", without("Action"), MESSAGES.noActions, /Action or NotAction is required/],
  ["an empty Action list", "resource", statement({ Action: [] }), MESSAGES.noActions, /Action must not be empty/],
  ["both Action and NotAction", "resource", statement({ NotAction: "secretsmanager:DeleteSecret" }), MESSAGES.syntax, /Action and NotAction cannot be used together/],
  ["an Action that is not a string", "resource", statement({ Action: 5 }), MESSAGES.syntax, /Action must be a string or a list of strings/],
  ["an action without a service prefix", "resource", statement({ Action: "GetSecretValue" }), MESSAGES.vendor, /needs a service prefix/],
  ["an action with two colons", "resource", statement({ Action: "secretsmanager:Get:Value" }), MESSAGES.oneColon, /more than one colon/],
  ["an action with an invalid service prefix", "resource", statement({ Action: "secrets manager:Get" }), "Vendor secrets manager is not valid", /invalid service prefix/],
  ["no Resource", "resource", without("Resource"), MESSAGES.noResources, /Resource or NotResource is required/],
  ["both Resource and NotResource", "resource", statement({ NotResource: "*" }), MESSAGES.syntax, /Resource and NotResource cannot be used together/],
  ["a Resource that is not an ARN", "resource", statement({ Resource: "my-secret" }), MESSAGES.resourceFormat("my-secret"), /must be in ARN format/],
  ["duplicate Sids", "resource", { Version: V, Statement: [{ ...granted, Sid: "A" }, { ...granted, Sid: "A" }] }, MESSAGES.uniqueSids, /Sid "A" is used by more than one statement/],
  ["an identity policy naming a Principal", "identity", statement({}), MESSAGES.identityPrincipal, /identity policy cannot name a Principal/],
  ["an identity policy naming a NotPrincipal", "identity", statement({ NotPrincipal: { AWS: ACCT } }, read), MESSAGES.identityPrincipal, /identity policy cannot name a Principal/],
  ["a resource policy without a Principal", "resource", without("Principal"), MESSAGES.missingPrincipal, /needs a Principal/],
  ["both Principal and NotPrincipal", "resource", statement({ NotPrincipal: { AWS: ACCT } }), MESSAGES.syntax, /Principal and NotPrincipal cannot be used together/],
  ["a Principal string other than *", "resource", statement({ Principal: ACCT }), MESSAGES.principal, /must be "\*" or an object/],
  ["an empty Principal object", "resource", statement({ Principal: {} }), MESSAGES.principal, /must be "\*" or an object/],
  ["a Federated principal", "resource", statement({ Principal: { Federated: "cognito-identity.amazonaws.com" } }), MESSAGES.principal, /principal type "Federated" is not supported/],
  ["a wildcard inside a principal ARN", "resource", statement({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/*` } }), MESSAGES.principal, /is not "\*", an account id, or an IAM/],
  ["a principal that is a bare user name", "resource", statement({ Principal: { AWS: "alice" } }), MESSAGES.principal, /"alice" is not/],
  ["an empty AWS principal list", "resource", statement({ Principal: { AWS: [] } }), MESSAGES.principal, /non-empty list/],
  ["a Service principal that is not a service", "resource", statement({ Principal: { Service: "lambda" } }), MESSAGES.principal, /"lambda" is not a service principal/],
  ["an unknown condition operator", "resource", statement({ Condition: { StringEqual: { "aws:PrincipalAccount": ACCT } } }), MESSAGES.syntax, /unknown condition operator "StringEqual"/],
  ["an unknown set qualifier", "resource", statement({ Condition: { "ForSomeValues:StringEquals": { "aws:TagKeys": "a" } } }), MESSAGES.syntax, /unknown condition operator/],
  ["a condition operator in the wrong case", "resource", statement({ Condition: { stringequals: { "aws:PrincipalAccount": ACCT } } }), MESSAGES.syntax, /unknown condition operator "stringequals"/],
  ["a Condition that is not an object", "resource", statement({ Condition: "aws:SecureTransport" }), MESSAGES.syntax, /Condition must be an object/],
  ["a condition block that is not an object", "resource", statement({ Condition: { Bool: "true" } }), MESSAGES.syntax, /must map condition keys to values/],
  ["a condition value that is an object", "resource", statement({ Condition: { StringEquals: { "aws:PrincipalAccount": { id: ACCT } } } }), MESSAGES.syntax, /must be strings, numbers or booleans/],
  ["a condition key without a prefix", "resource", statement({ Condition: { StringEquals: { team: "pay" } } }), MESSAGES.vendor, /condition key "team" needs a prefix/],
];

describe("malformed documents (MalformedPolicyDocumentException)", () => {
  for (const [name, kind, document, message, detail] of MALFORMED) {
    it(`${name}: "${message}"`, () => {
      const result = parsePolicy(typeof document === "string" ? document : JSON.stringify(document), kind);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems[0]!.message).toBe(message);
      expect(result.problems.map((p) => p.detail).join("\n")).toMatch(detail);
    });
  }

  it("every problem is reported, each with its statement and Sid", () => {
    const result = parsePolicy({ Version: V, Statement: [{ ...granted, Sid: "Ok" }, { ...granted, Sid: "Bad", Effect: "Maybe" }, { Sid: "Worse", Principal: "*" }] }, "resource");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.statement, p.detail])).toEqual([
      [1, 'Statement 1 (Sid "Bad"): Effect must be "Allow" or "Deny"; got "Maybe".'],
      [2, 'Statement 2 (Sid "Worse"): Effect must be "Allow" or "Deny"; it is missing.'],
      [2, 'Statement 2 (Sid "Worse"): Action or NotAction is required.'],
      [2, 'Statement 2 (Sid "Worse"): Resource or NotResource is required.'],
    ]);
  });

  it("AWS's recorded texts: an invalid Version and an unsupported principal", () => {
    expect(MESSAGES.syntax).toBe("This policy has invalid syntax.");
    expect(MESSAGES.principal).toBe("This resource policy contains an unsupported principal.");
  });
});
