// IAM evaluation, table-driven: each case gives the policies and the request, and expects IAM's decision
// with its reason (AWS's "because no … policy allows …" / "with an explicit deny in …" clause).
import { describe, expect, it } from "vitest";
import { accessDeniedMessage, buildContext, evaluate, mayAllowSomeResource, parsePolicy } from "../../src/authz";
import type { AuthzRequest, ConditionContext, Decision, PolicyDocument, Principal } from "../../src/authz";

const ACCT = "111122223333";
const OTHER = "444455556666";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:app/db-AbCdEf`;
const OTHER_SECRET = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:shared/api-XyZ123`;
const GET = "secretsmanager:GetSecretValue";

const user = (name: string, accountId = ACCT): Principal => ({ arn: `arn:aws:iam::${accountId}:user/${name}`, accountId });
const root = (accountId = ACCT): Principal => ({ arn: `arn:aws:iam::${accountId}:root`, accountId });
const session = (role: string, name: string, accountId = ACCT): Principal => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${name}`,
  accountId,
});
const alice = user("alice");
const bob = user("bob", OTHER);

type Stmt = Record<string, unknown>;

function doc(kind: "identity" | "resource", statements: Stmt[], version = "2012-10-17"): PolicyDocument {
  const parsed = parsePolicy({ Version: version, Statement: statements }, kind);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.detail).join("; "));
  return parsed.policy;
}

const allow = (action: unknown = GET, resource: unknown = "*", extra: Stmt = {}): Stmt => ({ Effect: "Allow", Action: action, Resource: resource, ...extra });
const deny = (action: unknown = GET, resource: unknown = "*", extra: Stmt = {}): Stmt => ({ Effect: "Deny", Action: action, Resource: resource, ...extra });
const grant = (principal: unknown, extra: Stmt = {}): Stmt => allow(GET, "*", { Principal: principal, ...extra });

interface Case {
  name: string;
  /** Identity policy statements; omitted = the key has no policy (project default). */
  identity?: Stmt[];
  resource?: Stmt[];
  principal?: Principal;
  action?: string;
  target?: string;
  context?: ConditionContext;
  version?: string;
  decision: Decision;
  reason: string | RegExp;
  sid?: string;
}

const NO_IDENTITY_ALLOW = `because no identity-based policy allows the ${GET} action`;
const NO_RESOURCE_ALLOW = `because no resource-based policy allows the ${GET} action`;
const EXPLICIT_IDENTITY = "with an explicit deny in an identity-based policy";
const EXPLICIT_RESOURCE = "with an explicit deny in a resource-based policy";
const NOTHING: Stmt[] = [allow("secretsmanager:ListSecrets")];

function run(c: Case) {
  const request: AuthzRequest = {
    principal: c.principal ?? alice,
    action: c.action ?? GET,
    resource: c.target ?? SECRET,
    identityPolicy: c.identity && doc("identity", c.identity, c.version),
    resourcePolicy: c.resource && doc("resource", c.resource, c.version),
    context: c.context,
  };
  return evaluate(request);
}

function check(cases: Case[]) {
  for (const c of cases) {
    it(`${c.name} → ${c.decision}`, () => {
      const result = run(c);
      expect(result.decision).toBe(c.decision);
      if (typeof c.reason === "string") expect(result.reason).toBe(c.reason);
      else expect(result.reason).toMatch(c.reason);
      if (c.sid) expect(result.matchedStatement?.sid).toBe(c.sid);
    });
  }
}

describe("decision logic", () => {
  check([
    { name: "a key with no policy has full access to its own account", decision: "Allow", reason: /default full access/ },
    { name: "a key with no policy, cross-account, with no resource policy", target: OTHER_SECRET, decision: "ImplicitDeny", reason: NO_RESOURCE_ALLOW },
    { name: "a key with no policy, cross-account, allowed by the resource policy", principal: bob, resource: [grant({ AWS: OTHER })], decision: "Allow", reason: /across accounts/ },
    { name: "an identity policy Allow for the action", identity: [allow(GET, "*", { Sid: "Read" })], decision: "Allow", reason: /Sid "Read"/, sid: "Read" },
    { name: "an identity policy without an Allow for the action", identity: [allow("secretsmanager:DescribeSecret")], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "an identity Deny beats an identity Allow", identity: [allow("*"), deny(GET, "*", { Sid: "NoRead" })], decision: "ExplicitDeny", reason: EXPLICIT_IDENTITY, sid: "NoRead" },
    { name: "a resource Deny beats an identity Allow", identity: [allow("*")], resource: [deny(GET, "*", { Principal: "*", Sid: "Lock" })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE, sid: "Lock" },
    { name: "a resource Deny beats the no-policy default", resource: [deny(GET, "*", { Principal: { AWS: ACCT } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
    { name: "a resource Deny naming the account applies to each of its users", identity: [allow()], resource: [deny(GET, "*", { Principal: { AWS: `arn:aws:iam::${ACCT}:root` } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
    { name: "an identity Deny beats a resource Allow", identity: [deny()], resource: [grant({ AWS: alice.arn })], decision: "ExplicitDeny", reason: EXPLICIT_IDENTITY },
    { name: "a Deny whose condition fails does not apply", identity: [allow(), deny(GET, "*", { Condition: { StringEquals: { "aws:ResourceTag/env": "prod" } } })], context: { "aws:ResourceTag/env": "dev" }, decision: "Allow", reason: /statement 0/ },
    { name: "the first applicable Allow is reported", identity: [allow("secretsmanager:List*", "*", { Sid: "A" }), allow(GET, "*", { Sid: "B" }), allow("*", "*", { Sid: "C" })], decision: "Allow", reason: /Sid "B"/, sid: "B" },
  ]);
});

describe("same account: an Allow in either policy suffices", () => {
  check([
    { name: "a resource policy naming the user allows without an identity Allow", identity: NOTHING, resource: [grant({ AWS: alice.arn }, { Sid: "Alice" })], decision: "Allow", reason: /\(Sid "Alice"\) of the resource-based policy/, sid: "Alice" },
    { name: "a resource policy with Principal * allows", identity: NOTHING, resource: [grant("*")], decision: "Allow", reason: /resource-based policy/ },
    { name: "a resource policy with {AWS: *} allows", identity: NOTHING, resource: [grant({ AWS: "*" })], decision: "Allow", reason: /resource-based policy/ },
    { name: "a resource policy naming only the account delegates to the identity policy", identity: NOTHING, resource: [grant({ AWS: ACCT })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "the account root is named directly by its account id", principal: root(), identity: NOTHING, resource: [grant({ AWS: ACCT })], decision: "Allow", reason: /resource-based policy/ },
    { name: "a resource policy naming another user does not allow", identity: NOTHING, resource: [grant({ AWS: `arn:aws:iam::${ACCT}:user/carol` })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "an identity Allow is enough when the resource policy names someone else", identity: [allow()], resource: [grant({ AWS: `arn:aws:iam::${ACCT}:user/carol` })], decision: "Allow", reason: /identity-based policy/ },
  ]);
});

describe("cross-account: both policies must allow", () => {
  check([
    { name: "identity and resource policy (by user ARN) both allow", principal: bob, identity: [allow("secretsmanager:*", `arn:aws:secretsmanager:*:${ACCT}:secret:*`)], resource: [grant({ AWS: bob.arn })], decision: "Allow", reason: /across accounts/ },
    { name: "identity and resource policy (by account id) both allow", principal: bob, identity: [allow()], resource: [grant({ AWS: OTHER })], decision: "Allow", reason: /across accounts/ },
    { name: "identity and resource policy (by account root ARN) both allow", principal: bob, identity: [allow()], resource: [grant({ AWS: `arn:aws:iam::${OTHER}:root` })], decision: "Allow", reason: /across accounts/ },
    { name: "the resource policy allows but the identity policy does not", principal: bob, identity: NOTHING, resource: [grant({ AWS: OTHER })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "the resource policy names the caller directly but the identity policy does not allow", principal: bob, identity: NOTHING, resource: [grant({ AWS: bob.arn })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a public resource policy still needs the caller's identity Allow", principal: bob, identity: NOTHING, resource: [grant("*")], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "the identity policy allows but the secret has no resource policy", principal: bob, identity: [allow()], decision: "ImplicitDeny", reason: NO_RESOURCE_ALLOW },
    { name: "the resource policy names a third account", principal: bob, identity: [allow()], resource: [grant({ AWS: "777788889999" })], decision: "ImplicitDeny", reason: NO_RESOURCE_ALLOW },
    { name: "the identity policy's Resource names another account's secrets only", principal: bob, identity: [allow(GET, `arn:aws:secretsmanager:*:${OTHER}:secret:*`)], resource: [grant({ AWS: OTHER })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a same-account user reading another account's secret with no policy anywhere", target: OTHER_SECRET, identity: [allow()], decision: "ImplicitDeny", reason: NO_RESOURCE_ALLOW },
    { name: "a resource Deny still wins across accounts", principal: bob, identity: [allow()], resource: [grant({ AWS: OTHER }), deny(GET, "*", { Principal: { AWS: bob.arn } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
  ]);
});

describe("Action and NotAction", () => {
  check([
    { name: "secretsmanager:Get* matches GetSecretValue", identity: [allow("secretsmanager:Get*")], decision: "Allow", reason: /identity/ },
    { name: "secretsmanager:Get* does not match DescribeSecret", identity: [allow("secretsmanager:Get*")], action: "secretsmanager:DescribeSecret", decision: "ImplicitDeny", reason: "because no identity-based policy allows the secretsmanager:DescribeSecret action" },
    { name: "? matches one character", identity: [allow("secretsmanager:?etSecretValue")], decision: "Allow", reason: /identity/ },
    { name: "* in the middle", identity: [allow("secretsmanager:*Secret*")], action: "secretsmanager:PutSecretValue", decision: "Allow", reason: /identity/ },
    { name: "* alone matches every action", identity: [allow("*")], decision: "Allow", reason: /identity/ },
    { name: "actions match case-insensitively", identity: [allow("SecretsManager:getsecretVALUE")], decision: "Allow", reason: /identity/ },
    { name: "another service's action does not match", identity: [allow("kms:*")], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a list of actions is OR-ed", identity: [allow(["secretsmanager:DescribeSecret", GET])], decision: "Allow", reason: /identity/ },
    { name: "NotAction allows every other action", identity: [{ Effect: "Allow", NotAction: "secretsmanager:DeleteSecret", Resource: "*" }], decision: "Allow", reason: /identity/ },
    { name: "NotAction does not allow the listed action", identity: [{ Effect: "Allow", NotAction: "secretsmanager:DeleteSecret", Resource: "*" }], action: "secretsmanager:DeleteSecret", decision: "ImplicitDeny", reason: "because no identity-based policy allows the secretsmanager:DeleteSecret action" },
    { name: "Deny with NotAction denies everything else", identity: [allow("*"), { Effect: "Deny", NotAction: ["secretsmanager:Describe*", "secretsmanager:List*"], Resource: "*" }], decision: "ExplicitDeny", reason: EXPLICIT_IDENTITY },
    { name: "Deny with NotAction spares the listed actions", identity: [allow("*"), { Effect: "Deny", NotAction: "secretsmanager:Describe*", Resource: "*" }], action: "secretsmanager:DescribeSecret", decision: "Allow", reason: /identity/ },
  ]);
});

const arn = (rest: string) => `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:${rest}`;

describe("Resource and NotResource", () => {
  check([
    { name: "the exact ARN", identity: [allow(GET, SECRET)], decision: "Allow", reason: /identity/ },
    { name: "name-* matches the ARN with its random suffix", identity: [allow(GET, arn("app/db-*"))], decision: "Allow", reason: /identity/ },
    { name: "name-?????? matches exactly six suffix characters", identity: [allow(GET, arn("app/db-??????"))], decision: "Allow", reason: /identity/ },
    { name: "name-????? (five) does not match", identity: [allow(GET, arn("app/db-?????"))], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "the name without its suffix does not match the secret's ARN", identity: [allow(GET, arn("app/db"))], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a path prefix app/*", identity: [allow(GET, arn("app/*"))], decision: "Allow", reason: /identity/ },
    { name: "ARN matching is case-sensitive", identity: [allow(GET, arn("App/db-*"))], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "wildcards in region and account segments", identity: [allow(GET, "arn:aws:secretsmanager:*:*:secret:*")], decision: "Allow", reason: /identity/ },
    { name: "a * ending a segment expands across colons", identity: [allow(GET, "arn:aws:secretsmanager:*")], decision: "Allow", reason: /identity/ },
    { name: "a * inside a segment stays in it", identity: [allow(GET, "arn:aws:secretsmanager:us-*-1:111122223333:secret:app/db-*")], decision: "Allow", reason: /identity/ },
    { name: "a * inside a segment does not cross colons", identity: [allow(GET, "arn:aws:secretsmanager:us-east-*3:secret:app/db-*")], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "another region does not match", identity: [allow(GET, "arn:aws:secretsmanager:eu-west-1:*:secret:*")], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a list of resources is OR-ed", identity: [allow(GET, [arn("other-*"), arn("app/*")])], decision: "Allow", reason: /identity/ },
    { name: "Resource * matches a resource-less action (ListSecrets)", identity: [allow("secretsmanager:ListSecrets")], action: "secretsmanager:ListSecrets", target: "*", decision: "Allow", reason: /identity/ },
    { name: "an ARN pattern does not match a resource-less action", identity: [allow("secretsmanager:ListSecrets", "arn:aws:secretsmanager:*:*:secret:*")], action: "secretsmanager:ListSecrets", target: "*", decision: "ImplicitDeny", reason: "because no identity-based policy allows the secretsmanager:ListSecrets action" },
    { name: "NotResource allows secrets outside it", identity: [{ Effect: "Allow", Action: GET, NotResource: arn("prod/*") }], decision: "Allow", reason: /identity/ },
    { name: "NotResource does not allow secrets inside it", identity: [{ Effect: "Allow", Action: GET, NotResource: arn("prod/*") }], target: arn("prod/key-123456"), decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a policy variable in Resource (2012-10-17)", principal: user("app"), identity: [allow(GET, arn("${aws:username}/*"))], decision: "Allow", reason: /identity/ },
    { name: "a policy variable that resolves elsewhere does not match", principal: user("web"), identity: [allow(GET, arn("${aws:username}/*"))], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    {
      name: "a Resource variable naming two case variants of a tag: a Deny applies",
      identity: [allow(), deny(GET, arn("${aws:ResourceTag/path}*"))],
      context: { "aws:ResourceTag/path": "other/", "aws:ResourceTag/PATH": "app/" },
      decision: "ExplicitDeny",
      reason: EXPLICIT_IDENTITY,
    },
    {
      name: "a Resource variable naming two case variants of a tag: an Allow does not",
      identity: [allow(GET, arn("${aws:ResourceTag/path}*"))],
      context: { "aws:ResourceTag/path": "app/", "aws:ResourceTag/PATH": "app/" },
      decision: "ImplicitDeny",
      reason: NO_IDENTITY_ALLOW,
    },
    {
      name: "a NotResource variable naming two case variants of a tag: an Allow does not apply",
      identity: [{ Effect: "Allow", Action: GET, NotResource: arn("${aws:ResourceTag/path}*") }],
      context: { "aws:ResourceTag/path": "prod/", "aws:ResourceTag/PATH": "prod/" },
      decision: "ImplicitDeny",
      reason: NO_IDENTITY_ALLOW,
    },
    { name: "policy variables are literal text in 2008-10-17", principal: user("app"), version: "2008-10-17", identity: [allow(GET, arn("${aws:username}/*"))], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
  ]);
});

const ROLE_SESSION = session("Reader", "ci-42");

describe("Principal and NotPrincipal", () => {
  check([
    { name: "a role ARN matches its sessions", principal: ROLE_SESSION, identity: NOTHING, resource: [grant({ AWS: `arn:aws:iam::${ACCT}:role/Reader` })], decision: "Allow", reason: /resource/ },
    { name: "a role ARN with a path matches sessions whose roleArn has it", principal: { ...ROLE_SESSION, roleArn: `arn:aws:iam::${ACCT}:role/team/Reader` }, identity: NOTHING, resource: [grant({ AWS: `arn:aws:iam::${ACCT}:role/team/Reader` })], decision: "Allow", reason: /resource/ },
    { name: "a session ARN matches that session", principal: ROLE_SESSION, identity: NOTHING, resource: [grant({ AWS: ROLE_SESSION.arn })], decision: "Allow", reason: /resource/ },
    { name: "a session ARN does not match another session", principal: session("Reader", "other"), identity: NOTHING, resource: [grant({ AWS: ROLE_SESSION.arn })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "another role does not match", principal: ROLE_SESSION, identity: NOTHING, resource: [grant({ AWS: `arn:aws:iam::${ACCT}:role/Writer` })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a list of principals is OR-ed", identity: NOTHING, resource: [grant({ AWS: [`arn:aws:iam::${ACCT}:user/carol`, alice.arn] })], decision: "Allow", reason: /resource/ },
    { name: "a * inside the AWS list", identity: NOTHING, resource: [grant({ AWS: [bob.arn, "*"] })], decision: "Allow", reason: /resource/ },
    { name: "a Service principal does not match an access-key caller", identity: NOTHING, resource: [grant({ Service: "lambda.amazonaws.com" })], decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "Allow with NotPrincipal grants everyone not listed", identity: NOTHING, resource: [allow(GET, "*", { NotPrincipal: { AWS: bob.arn } })], decision: "Allow", reason: /resource/ },
    { name: "Deny with NotPrincipal spares a user listed with its account", identity: [allow()], resource: [deny(GET, "*", { NotPrincipal: { AWS: [alice.arn, ACCT] } })], decision: "Allow", reason: /identity/ },
    { name: "Deny with NotPrincipal listing the user but not its account still denies", identity: [allow()], resource: [deny(GET, "*", { NotPrincipal: { AWS: alice.arn } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
    { name: "Deny with NotPrincipal denies an unlisted user", principal: user("carol"), identity: [allow()], resource: [deny(GET, "*", { NotPrincipal: { AWS: [alice.arn, ACCT] } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
    { name: "Deny with NotPrincipal spares a session listed with its role and account", principal: ROLE_SESSION, identity: [allow()], resource: [deny(GET, "*", { NotPrincipal: { AWS: [ROLE_SESSION.arn, `arn:aws:iam::${ACCT}:role/Reader`, `arn:aws:iam::${ACCT}:root`] } })], decision: "Allow", reason: /identity/ },
    { name: "Deny with NotPrincipal listing only the role still denies its session", principal: ROLE_SESSION, identity: [allow()], resource: [deny(GET, "*", { NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Reader`, ACCT] } })], decision: "ExplicitDeny", reason: EXPLICIT_RESOURCE },
  ]);
});

describe("conditions inside evaluation", () => {
  const tagged = (team: string, callerTeam: string) =>
    buildContext({ principal: alice, resourceTags: { team }, principalTags: { team: callerTeam } });
  const byTeam = allow(GET, "*", { Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}" } } });
  check([
    { name: "a tag-based policy allows a secret tagged with the caller's team", identity: [byTeam], context: tagged("payments", "payments"), decision: "Allow", reason: /identity/ },
    { name: "a tag-based policy does not allow another team's secret", identity: [byTeam], context: tagged("search", "payments"), decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "a tag-based policy does not allow an untagged secret", identity: [byTeam], context: buildContext({ principal: alice, principalTags: { team: "payments" } }), decision: "ImplicitDeny", reason: NO_IDENTITY_ALLOW },
    { name: "aws:PrincipalAccount is derived from the caller", principal: bob, identity: [allow()], resource: [grant("*", { Condition: { StringEquals: { "aws:PrincipalAccount": OTHER } } })], decision: "Allow", reason: /across accounts/ },
    { name: "aws:PrincipalArn of a session is its role", principal: ROLE_SESSION, identity: [allow(GET, "*", { Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCT}:role/Read*` } } })], decision: "Allow", reason: /identity/ },
  ]);
});

describe("AccessDeniedException messages", () => {
  const request = { principal: alice, action: GET, resource: SECRET };
  it("an implicit deny names the missing identity-based Allow", () => {
    const result = run({ name: "", identity: NOTHING, decision: "ImplicitDeny", reason: "" });
    expect(accessDeniedMessage(request, result)).toBe(
      `User: ${alice.arn} is not authorized to perform: ${GET} on resource: ${SECRET} because no identity-based policy allows the ${GET} action`,
    );
  });

  it("an explicit deny in a resource-based policy says so", () => {
    const result = run({ name: "", resource: [deny(GET, "*", { Principal: "*" })], decision: "ExplicitDeny", reason: "" });
    expect(accessDeniedMessage(request, result)).toBe(
      `User: ${alice.arn} is not authorized to perform: ${GET} on resource: ${SECRET} with an explicit deny in a resource-based policy`,
    );
  });

  it("a resource-less action (ListSecrets) has no 'on resource' part", () => {
    const list = { principal: alice, action: "secretsmanager:ListSecrets", resource: "*" };
    const result = evaluate({ ...list, identityPolicy: doc("identity", [allow(GET)]) });
    expect(accessDeniedMessage(list, result)).toBe(
      `User: ${alice.arn} is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action`,
    );
  });

  it("explicit and implicit denials report which kind of policy denied", () => {
    expect(run({ name: "", identity: [deny()], decision: "ExplicitDeny", reason: "" }).denyKind).toBe("identity-based policy");
    expect(run({ name: "", principal: bob, identity: [allow()], decision: "ImplicitDeny", reason: "" }).denyKind).toBe("resource-based policy");
  });
});

describe("mayAllowSomeResource: could an Allow hold for some resource, judging only the request's own keys", () => {
  const LIST = "secretsmanager:ListSecrets";
  const fromOffice = { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } };
  const blueOnly = { StringEquals: { "secretsmanager:ResourceTag/team": "blue" } };
  const cases: { name: string; statements: Stmt[]; sourceIp: string; expected: boolean }[] = [
    { name: "an Allow on a resource pattern, whatever the pattern", statements: [allow(LIST, `arn:aws:secretsmanager:*:${ACCT}:secret:app/*`)], sourceIp: "198.51.100.1", expected: true },
    { name: "an Allow that depends on the resource's tags", statements: [allow(LIST, "*", { Condition: blueOnly })], sourceIp: "198.51.100.1", expected: true },
    { name: "an Allow whose source-address condition holds", statements: [allow(LIST, "*", { Condition: fromOffice })], sourceIp: "203.0.113.9", expected: true },
    { name: "an Allow whose source-address condition fails", statements: [allow(LIST, "*", { Condition: fromOffice })], sourceIp: "198.51.100.1", expected: false },
    { name: "tags and a failing source address together", statements: [allow(LIST, "*", { Condition: { ...blueOnly, ...fromOffice } })], sourceIp: "198.51.100.1", expected: false },
    { name: "no Allow naming the action", statements: [allow(GET)], sourceIp: "203.0.113.9", expected: false },
  ];
  it.each(cases)("$name → $expected", ({ statements, sourceIp, expected }) => {
    const context = buildContext({ principal: alice, sourceIp, now: new Date(0) });
    expect(mayAllowSomeResource({ principal: alice, action: LIST, identityPolicy: doc("identity", statements), context })).toBe(expected);
  });

  it("a key without a policy (project default) always may", () => {
    expect(mayAllowSomeResource({ principal: alice, action: LIST })).toBe(true);
  });
});
