// IAM condition operators, table-driven: each row is a Condition block, a request context and whether the
// block holds, following the IAM User Guide's rules for missing keys, IfExists and set qualifiers.
import { describe, expect, it } from "vitest";
import { type ConditionContext, parsePolicy } from "../../src/authz";
import { conditionsHold, contextLookup } from "../../src/authz/conditions";

type Condition = Record<string, Record<string, unknown>>;
type Row = [name: string, condition: Condition, context: ConditionContext, holds: boolean];

function holds(condition: Condition, context: ConditionContext, version = "2012-10-17"): boolean {
  const parsed = parsePolicy({ Version: version, Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: condition } }, "identity");
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.detail).join("; "));
  return conditionsHold(parsed.policy.statements[0]!.conditions, contextLookup(context), version === "2012-10-17");
}

function table(rows: Row[]) {
  for (const [name, condition, context, expected] of rows) {
    it(`${name} → ${expected}`, () => expect(holds(condition, context)).toBe(expected));
  }
}

const TAG = "aws:ResourceTag/env";
const tag = (value?: string): ConditionContext => ({ [TAG]: value });

describe("string operators", () => {
  table([
    ["StringEquals, same value", { StringEquals: { [TAG]: "prod" } }, tag("prod"), true],
    ["StringEquals is case-sensitive", { StringEquals: { [TAG]: "prod" } }, tag("Prod"), false],
    ["StringEquals, policy values are OR-ed", { StringEquals: { [TAG]: ["dev", "prod"] } }, tag("prod"), true],
    ["StringEquals, missing key", { StringEquals: { [TAG]: "prod" } }, {}, false],
    ["StringEquals treats * literally", { StringEquals: { [TAG]: "pr*" } }, tag("prod"), false],
    ["StringNotEquals, different value", { StringNotEquals: { [TAG]: "prod" } }, tag("dev"), true],
    ["StringNotEquals, same value", { StringNotEquals: { [TAG]: ["dev", "prod"] } }, tag("prod"), false],
    ["StringNotEquals, missing key", { StringNotEquals: { [TAG]: "prod" } }, {}, true],
    ["StringEqualsIgnoreCase", { StringEqualsIgnoreCase: { [TAG]: "PROD" } }, tag("prod"), true],
    ["StringEqualsIgnoreCase, missing key", { StringEqualsIgnoreCase: { [TAG]: "PROD" } }, {}, false],
    ["StringNotEqualsIgnoreCase, same value in another case", { StringNotEqualsIgnoreCase: { [TAG]: "PROD" } }, tag("prod"), false],
    ["StringNotEqualsIgnoreCase, different value", { StringNotEqualsIgnoreCase: { [TAG]: "PROD" } }, tag("dev"), true],
    ["StringNotEqualsIgnoreCase, missing key", { StringNotEqualsIgnoreCase: { [TAG]: "PROD" } }, {}, true],
    ["StringLike with *", { StringLike: { "secretsmanager:Name": "prod/*" } }, { "secretsmanager:Name": "prod/db/main" }, true],
    ["StringLike with ? matches one character", { StringLike: { "secretsmanager:Name": "db-?" } }, { "secretsmanager:Name": "db-1" }, true],
    ["StringLike with ? needs exactly one", { StringLike: { "secretsmanager:Name": "db-?" } }, { "secretsmanager:Name": "db-12" }, false],
    ["StringLike is case-sensitive", { StringLike: { "secretsmanager:Name": "prod/*" } }, { "secretsmanager:Name": "Prod/db" }, false],
    ["StringLike, missing key", { StringLike: { "secretsmanager:Name": "*" } }, {}, false],
    ["StringNotLike, matching value", { StringNotLike: { "secretsmanager:Name": "prod/*" } }, { "secretsmanager:Name": "prod/db" }, false],
    ["StringNotLike, other value", { StringNotLike: { "secretsmanager:Name": ["prod/*", "stage/*"] } }, { "secretsmanager:Name": "dev/db" }, true],
    ["StringNotLike, missing key", { StringNotLike: { "secretsmanager:Name": "prod/*" } }, {}, true],
  ]);
});

const DAYS = "secretsmanager:RecoveryWindowInDays";
const days = (value?: string): ConditionContext => ({ [DAYS]: value });

describe("numeric operators", () => {
  table([
    ["NumericEquals with a JSON number", { NumericEquals: { [DAYS]: 30 } }, days("30"), true],
    ["NumericEquals compares numbers, not text", { NumericEquals: { [DAYS]: "30" } }, days("30.0"), true],
    ["NumericEquals, other number", { NumericEquals: { [DAYS]: "30" } }, days("7"), false],
    ["NumericEquals, non-numeric context value", { NumericEquals: { [DAYS]: "30" } }, days("thirty"), false],
    ["NumericEquals, missing key", { NumericEquals: { [DAYS]: "30" } }, {}, false],
    ["NumericNotEquals, other number", { NumericNotEquals: { [DAYS]: "30" } }, days("7"), true],
    ["NumericNotEquals, same number", { NumericNotEquals: { [DAYS]: ["7", "30"] } }, days("30"), false],
    ["NumericNotEquals, missing key", { NumericNotEquals: { [DAYS]: "30" } }, {}, true],
    ["NumericLessThan, smaller", { NumericLessThan: { [DAYS]: "10" } }, days("7"), true],
    ["NumericLessThan, equal", { NumericLessThan: { [DAYS]: "7" } }, days("7"), false],
    ["NumericLessThanEquals, equal", { NumericLessThanEquals: { [DAYS]: "7" } }, days("7"), true],
    ["NumericLessThanEquals, larger", { NumericLessThanEquals: { [DAYS]: "7" } }, days("8"), false],
    ["NumericGreaterThan, larger", { NumericGreaterThan: { [DAYS]: "7" } }, days("30"), true],
    ["NumericGreaterThan, equal", { NumericGreaterThan: { [DAYS]: "7" } }, days("7"), false],
    ["NumericGreaterThanEquals, equal", { NumericGreaterThanEquals: { [DAYS]: "7" } }, days("7"), true],
    ["NumericGreaterThanEquals, smaller", { NumericGreaterThanEquals: { [DAYS]: "7" } }, days("6.5"), false],
    ["NumericGreaterThan, missing key", { NumericGreaterThan: { [DAYS]: "7" } }, {}, false],
  ]);
});

const NOW = "aws:CurrentTime";
const at = (iso?: string): ConditionContext => ({ [NOW]: iso });

describe("date operators (ISO 8601 or epoch seconds)", () => {
  table([
    ["DateLessThan, earlier", { DateLessThan: { [NOW]: "2030-01-01T00:00:00Z" } }, at("2024-06-01T12:00:00Z"), true],
    ["DateLessThan, later", { DateLessThan: { [NOW]: "2020-01-01T00:00:00Z" } }, at("2024-06-01T12:00:00Z"), false],
    ["DateLessThan, same instant", { DateLessThan: { [NOW]: "2024-06-01T12:00:00Z" } }, at("2024-06-01T12:00:00Z"), false],
    ["DateLessThanEquals, same instant", { DateLessThanEquals: { [NOW]: "2024-06-01T12:00:00Z" } }, at("2024-06-01T12:00:00Z"), true],
    ["DateGreaterThan with an epoch policy value", { DateGreaterThan: { [NOW]: "1700000000" } }, at("2024-06-01T12:00:00Z"), true],
    ["DateGreaterThan, earlier", { DateGreaterThan: { [NOW]: "2025-01-01" } }, at("2024-06-01T12:00:00Z"), false],
    ["DateGreaterThanEquals, same instant in two formats", { DateGreaterThanEquals: { [NOW]: 1717243200 } }, at("2024-06-01T12:00:00Z"), true],
    ["DateEquals, same instant in two formats", { DateEquals: { [NOW]: "2024-06-01T12:00:00Z" } }, at("1717243200"), true],
    ["DateEquals, other instant", { DateEquals: { [NOW]: "2024-06-01T12:00:01Z" } }, at("2024-06-01T12:00:00Z"), false],
    ["DateNotEquals, other instant", { DateNotEquals: { [NOW]: "2024-06-01T12:00:01Z" } }, at("2024-06-01T12:00:00Z"), true],
    ["DateNotEquals, same instant", { DateNotEquals: { [NOW]: "2024-06-01T12:00:00Z" } }, at("2024-06-01T12:00:00Z"), false],
    ["DateLessThan, unparsable context value", { DateLessThan: { [NOW]: "2030-01-01T00:00:00Z" } }, at("yesterday"), false],
    ["DateLessThan, missing key", { DateLessThan: { [NOW]: "2030-01-01T00:00:00Z" } }, {}, false],
    ["DateNotEquals, missing key", { DateNotEquals: { [NOW]: "2030-01-01T00:00:00Z" } }, {}, true],
  ]);
});

const TLS = "aws:SecureTransport";

describe("Bool and BinaryEquals", () => {
  table([
    ["Bool true", { Bool: { [TLS]: "true" } }, { [TLS]: "true" }, true],
    ["Bool false against true", { Bool: { [TLS]: "false" } }, { [TLS]: "true" }, false],
    ["Bool with a JSON boolean", { Bool: { [TLS]: false } }, { [TLS]: "false" }, true],
    ["Bool is case-insensitive", { Bool: { [TLS]: "TRUE" } }, { [TLS]: "true" }, true],
    ["Bool, missing key", { Bool: { [TLS]: "false" } }, {}, false],
    ["BinaryEquals, same base64", { BinaryEquals: { "secretsmanager:SecretBinary": "QUJD" } }, { "secretsmanager:SecretBinary": "QUJD" }, true],
    ["BinaryEquals, other base64", { BinaryEquals: { "secretsmanager:SecretBinary": "QUJD" } }, { "secretsmanager:SecretBinary": "QUJE" }, false],
  ]);
});

const IP = "aws:SourceIp";
const from = (ip?: string): ConditionContext => ({ [IP]: ip });

describe("IpAddress and NotIpAddress (IPv4 and IPv6)", () => {
  table([
    ["an IPv4 address inside the block", { IpAddress: { [IP]: "203.0.113.0/24" } }, from("203.0.113.77"), true],
    ["an IPv4 address outside the block", { IpAddress: { [IP]: "203.0.113.0/24" } }, from("203.0.114.1"), false],
    ["a bare address is a /32", { IpAddress: { [IP]: "198.51.100.7" } }, from("198.51.100.7"), true],
    ["a bare address does not match its neighbour", { IpAddress: { [IP]: "198.51.100.7" } }, from("198.51.100.8"), false],
    ["blocks are OR-ed", { IpAddress: { [IP]: ["10.0.0.0/8", "192.168.0.0/16"] } }, from("192.168.4.2"), true],
    ["0.0.0.0/0 holds for any IPv4 address", { IpAddress: { [IP]: "0.0.0.0/0" } }, from("8.8.8.8"), true],
    ["an IPv6 address inside the block", { IpAddress: { [IP]: "2001:db8::/32" } }, from("2001:db8:abcd:12::1"), true],
    ["an IPv6 address outside the block", { IpAddress: { [IP]: "2001:db8::/32" } }, from("2001:db9::1"), false],
    ["a fully written IPv6 address", { IpAddress: { [IP]: "2001:db8:0:0:0:0:0:0/64" } }, from("2001:0db8:0000:0000:ffff:0000:0000:0001"), true],
    ["an IPv6 address with an embedded IPv4 tail", { IpAddress: { [IP]: "::ffff:192.0.2.0/120" } }, from("::ffff:192.0.2.9"), true],
    ["an IPv4 address never lies in an IPv6 block", { IpAddress: { [IP]: "::/0" } }, from("203.0.113.1"), false],
    ["an invalid policy block matches nothing", { IpAddress: { [IP]: "203.0.113.0/33" } }, from("203.0.113.1"), false],
    ["an invalid context address matches nothing", { IpAddress: { [IP]: "0.0.0.0/0" } }, from("not-an-ip"), false],
    ["IpAddress, missing key", { IpAddress: { [IP]: "0.0.0.0/0" } }, {}, false],
    ["NotIpAddress, address outside", { NotIpAddress: { [IP]: "203.0.113.0/24" } }, from("198.51.100.1"), true],
    ["NotIpAddress, address inside", { NotIpAddress: { [IP]: "203.0.113.0/24" } }, from("203.0.113.1"), false],
    ["NotIpAddress, missing key", { NotIpAddress: { [IP]: "203.0.113.0/24" } }, {}, true],
  ]);
});

const PARN = "aws:PrincipalArn";
const ROLE = "arn:aws:iam::111122223333:role/team/Reader";
const by = (arn?: string): ConditionContext => ({ [PARN]: arn });

describe("ARN operators", () => {
  table([
    ["ArnEquals, same ARN", { ArnEquals: { [PARN]: ROLE } }, by(ROLE), true],
    ["ArnEquals, other ARN", { ArnEquals: { [PARN]: ROLE } }, by("arn:aws:iam::111122223333:role/team/Writer"), false],
    ["ArnLike with a wildcard account", { ArnLike: { [PARN]: "arn:aws:iam::*:role/team/*" } }, by(ROLE), true],
    ["ArnLike with ? in a segment", { ArnLike: { [PARN]: "arn:aws:iam::11112222333?:role/team/Reader" } }, by(ROLE), true],
    ["ArnLike is case-sensitive", { ArnLike: { [PARN]: "arn:aws:iam::*:role/Team/*" } }, by(ROLE), false],
    ["ArnLike matches each segment on its own", { ArnLike: { [PARN]: "arn:aws:iam:*:role/team/Reader" } }, by(ROLE), false],
    ["ArnLike * covers the rest of the ARN", { ArnLike: { [PARN]: "arn:aws:iam::*" } }, by(ROLE), true],
    ["ArnLike against a value that is not an ARN", { ArnLike: { [PARN]: "arn:aws:iam::*:role/*" } }, by("Reader"), false],
    ["ArnLike, missing key", { ArnLike: { [PARN]: "arn:*" } }, {}, false],
    ["ArnNotEquals, other ARN", { ArnNotEquals: { [PARN]: ROLE } }, by("arn:aws:iam::111122223333:user/alice"), true],
    ["ArnNotEquals, same ARN", { ArnNotEquals: { [PARN]: ROLE } }, by(ROLE), false],
    ["ArnNotLike, matching ARN", { ArnNotLike: { [PARN]: "arn:aws:iam::*:role/*" } }, by(ROLE), false],
    ["ArnNotLike, other ARN", { ArnNotLike: { [PARN]: "arn:aws:iam::*:role/*" } }, by("arn:aws:iam::111122223333:user/alice"), true],
    ["ArnNotLike, missing key", { ArnNotLike: { [PARN]: "arn:aws:iam::*:role/*" } }, {}, true],
  ]);
});

describe("Null", () => {
  table([
    ['Null "true" on a missing key', { Null: { [TAG]: "true" } }, {}, true],
    ['Null "true" on a present key', { Null: { [TAG]: "true" } }, tag("prod"), false],
    ['Null "false" on a present key', { Null: { [TAG]: "false" } }, tag("prod"), true],
    ['Null "false" on a missing key', { Null: { [TAG]: "false" } }, {}, false],
    ["Null with a JSON boolean", { Null: { [TAG]: true } }, {}, true],
    ['an empty aws:TagKeys list counts as missing for Null "true"', { Null: { "aws:TagKeys": "true" } }, { "aws:TagKeys": [] }, true],
  ]);
});

describe("...IfExists", () => {
  table([
    ["StringEqualsIfExists, missing key", { StringEqualsIfExists: { [TAG]: "prod" } }, {}, true],
    ["StringEqualsIfExists, other value", { StringEqualsIfExists: { [TAG]: "prod" } }, tag("dev"), false],
    ["StringEqualsIfExists, same value", { StringEqualsIfExists: { [TAG]: "prod" } }, tag("prod"), true],
    ["StringNotLikeIfExists, matching value", { StringNotLikeIfExists: { [TAG]: "pr*" } }, tag("prod"), false],
    ["StringLikeIfExists, missing key", { StringLikeIfExists: { [TAG]: "pr*" } }, {}, true],
    ["NumericLessThanIfExists, missing key", { NumericLessThanIfExists: { [DAYS]: "10" } }, {}, true],
    ["NumericLessThanIfExists, larger value", { NumericLessThanIfExists: { [DAYS]: "10" } }, days("30"), false],
    ["DateLessThanIfExists, missing key", { DateLessThanIfExists: { [NOW]: "2020-01-01T00:00:00Z" } }, {}, true],
    ["DateLessThanIfExists, later value", { DateLessThanIfExists: { [NOW]: "2020-01-01T00:00:00Z" } }, at("2024-01-01T00:00:00Z"), false],
    ["BoolIfExists, missing key", { BoolIfExists: { [TLS]: "true" } }, {}, true],
    ["BoolIfExists, false value", { BoolIfExists: { [TLS]: "true" } }, { [TLS]: "false" }, false],
    ["IpAddressIfExists, missing key", { IpAddressIfExists: { [IP]: "10.0.0.0/8" } }, {}, true],
    ["IpAddressIfExists, address outside", { IpAddressIfExists: { [IP]: "10.0.0.0/8" } }, from("11.0.0.1"), false],
    ["ArnLikeIfExists, missing key", { ArnLikeIfExists: { [PARN]: "arn:aws:iam::*:role/*" } }, {}, true],
    ["ArnNotEqualsIfExists, same ARN", { ArnNotEqualsIfExists: { [PARN]: ROLE } }, by(ROLE), false],
  ]);
});

const KEYS = "aws:TagKeys";
const keys = (...values: string[]): ConditionContext => ({ [KEYS]: values });

describe("ForAnyValue / ForAllValues", () => {
  table([
    ["ForAllValues: every request key is allowed", { "ForAllValues:StringEquals": { [KEYS]: ["team", "env"] } }, keys("env"), true],
    ["ForAllValues: one request key is not allowed", { "ForAllValues:StringEquals": { [KEYS]: ["team", "env"] } }, keys("env", "owner"), false],
    ["ForAllValues: a missing key holds", { "ForAllValues:StringEquals": { [KEYS]: ["team"] } }, {}, true],
    ["ForAllValues: an empty list holds", { "ForAllValues:StringEquals": { [KEYS]: ["team"] } }, keys(), true],
    ["ForAnyValue: one request key matches", { "ForAnyValue:StringEquals": { [KEYS]: ["team", "env"] } }, keys("owner", "env"), true],
    ["ForAnyValue: no request key matches", { "ForAnyValue:StringEquals": { [KEYS]: ["team"] } }, keys("owner", "env"), false],
    ["ForAnyValue: a missing key does not hold", { "ForAnyValue:StringEquals": { [KEYS]: ["team"] } }, {}, false],
    ["ForAnyValue: an empty list does not hold", { "ForAnyValue:StringLike": { [KEYS]: "*" } }, keys(), false],
    ["ForAllValues:StringNotLike, every key avoids the prefix", { "ForAllValues:StringNotLike": { [KEYS]: "key1*" } }, keys("key2:audit"), true],
    ["ForAllValues:StringNotLike, a key has the prefix", { "ForAllValues:StringNotLike": { [KEYS]: "key1*" } }, keys("key1:hr", "key2:x"), false],
    ["ForAllValues:StringNotLike, a missing key holds", { "ForAllValues:StringNotLike": { [KEYS]: "key1*" } }, {}, true],
    ["ForAnyValue:StringNotEquals, one key differs", { "ForAnyValue:StringNotEquals": { [KEYS]: "team" } }, keys("team", "env"), true],
    ["ForAnyValue:StringNotEquals, no key differs", { "ForAnyValue:StringNotEquals": { [KEYS]: "team" } }, keys("team"), false],
    ["ForAnyValue:StringNotEquals, a missing key does not hold", { "ForAnyValue:StringNotEquals": { [KEYS]: "team" } }, {}, false],
    ["ForAnyValue:StringLikeIfExists, a missing key holds", { "ForAnyValue:StringLikeIfExists": { [KEYS]: "t*" } }, {}, true],
    ["ForAllValues:StringLike with wildcards", { "ForAllValues:StringLike": { [KEYS]: "Created*" } }, keys("CreatedBy", "CreatedAt"), true],
    ["no qualifier, multivalued: any value matching holds", { StringEquals: { [KEYS]: "env" } }, keys("owner", "env"), true],
    ["no qualifier, multivalued negation: holds only when no value matches", { StringNotEquals: { [KEYS]: "env" } }, keys("owner", "env"), false],
  ]);
});

describe("case rules and combination", () => {
  table([
    ["condition key names are case-insensitive", { StringEquals: { "AWS:RESOURCETAG/ENV": "prod" } }, { "aws:ResourceTag/env": "prod" }, true],
    ["the tag-key part is case-insensitive too", { StringEquals: { "aws:ResourceTag/Env": "prod" } }, { "aws:resourcetag/ENV": "prod" }, true],
    ["values stay case-sensitive", { StringEquals: { "AWS:RESOURCETAG/ENV": "Prod" } }, { "aws:ResourceTag/env": "prod" }, false],
    ["two keys under one operator are AND-ed (both hold)", { StringEquals: { [TAG]: "prod", "aws:ResourceTag/team": "pay" } }, { [TAG]: "prod", "aws:ResourceTag/team": "pay" }, true],
    ["two keys under one operator are AND-ed (one fails)", { StringEquals: { [TAG]: "prod", "aws:ResourceTag/team": "pay" } }, { [TAG]: "prod", "aws:ResourceTag/team": "search" }, false],
    ["two operators are AND-ed", { StringEquals: { [TAG]: "prod" }, Bool: { [TLS]: "true" } }, { [TAG]: "prod", [TLS]: "false" }, false],
    ["values of one key are OR-ed", { StringLike: { [TAG]: ["dev*", "prod*"] } }, tag("production"), true],
  ]);
});

describe("policy variables in condition values", () => {
  const team = (resource?: string, caller?: string): ConditionContext => ({ "aws:ResourceTag/team": resource, "aws:PrincipalTag/team": caller });
  const sameTeam = { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } };
  table([
    ["a variable resolves to the caller's tag", sameTeam, team("pay", "pay"), true],
    ["a variable resolving to another value", sameTeam, team("pay", "search"), false],
    ["an unresolvable variable matches nothing", sameTeam, team("pay"), false],
    ["a default applies when the key is missing", { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}" } }, team("shared"), true],
    ["a substituted * is literal in StringLike", { StringLike: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } }, team("pay", "*"), false],
    ["${*} is a literal * (in StringEquals)", { StringEquals: { "aws:ResourceTag/team": "a${*}b" } }, team("a*b"), true],
    ["a variable inside a StringLike pattern", { StringLike: { "secretsmanager:Name": "${aws:username}/*" } }, { "secretsmanager:Name": "app/db", "aws:username": "app" }, true],
    ["a variable inside an ArnLike pattern", { ArnLike: { [PARN]: "arn:aws:iam::${aws:PrincipalAccount}:role/*" } }, { [PARN]: ROLE, "aws:PrincipalAccount": "111122223333" }, true],
  ]);

  it("variables are literal text in a 2008-10-17 policy", () => {
    expect(holds(sameTeam, team("${aws:PrincipalTag/team}", "pay"), "2008-10-17")).toBe(true);
    expect(holds(sameTeam, team("pay", "pay"), "2008-10-17")).toBe(false);
  });
});

describe("tag keys that differ only in case fail closed (docs/parity.md)", () => {
  function judged(effect: "Allow" | "Deny", condition: Condition, context: ConditionContext): boolean {
    const parsed = parsePolicy({ Version: "2012-10-17", Statement: { Effect: effect, Action: "*", Resource: "*", Condition: condition } }, "identity");
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.detail).join("; "));
    return conditionsHold(parsed.policy.statements[0]!.conditions, contextLookup(context), true, effect);
  }
  const variants = (a: string, b: string): ConditionContext => ({ "aws:ResourceTag/team": a, "aws:ResourceTag/Team": b });
  type CaseRow = [name: string, effect: "Allow" | "Deny", condition: Condition, context: ConditionContext, holds: boolean];
  const rows: CaseRow[] = [
    ["Deny StringEquals, one variant matches", "Deny", { StringEquals: { "aws:ResourceTag/team": "red" } }, variants("blue", "red"), true],
    ["Deny StringEquals, the other order", "Deny", { StringEquals: { "aws:ResourceTag/team": "red" } }, variants("red", "blue"), true],
    ["Deny StringNotEquals, one variant differs", "Deny", { StringNotEquals: { "aws:ResourceTag/team": "blue" } }, variants("blue", "red"), true],
    ["Allow StringEquals, one variant differs", "Allow", { StringEquals: { "aws:ResourceTag/team": "blue" } }, variants("blue", "red"), false],
    ["Allow StringEquals, the other order", "Allow", { StringEquals: { "aws:ResourceTag/team": "blue" } }, variants("red", "blue"), false],
    ["Allow StringEquals, every variant matches", "Allow", { StringEquals: { "aws:ResourceTag/team": "blue" } }, variants("blue", "blue"), true],
    ["Allow StringNotEquals, one variant equals", "Allow", { StringNotEquals: { "aws:ResourceTag/team": "red" } }, variants("blue", "red"), false],
    ["Allow StringLike, one variant differs", "Allow", { StringLike: { "aws:ResourceTag/team": "bl*" } }, variants("blue", "red"), false],
    ["a single tag is judged as before", "Allow", { StringEquals: { "aws:ResourceTag/TEAM": "blue" } }, { "aws:ResourceTag/team": "blue" }, true],
    [
      "Deny aws:RequestTag, a request carrying two variants",
      "Deny",
      { StringNotEquals: { "aws:RequestTag/team": "blue" } },
      { "aws:RequestTag/team": "blue", "aws:RequestTag/TEAM": "red" },
      true,
    ],
    [
      "Allow aws:RequestTag, a request carrying two variants",
      "Allow",
      { StringEquals: { "aws:RequestTag/team": "blue" } },
      { "aws:RequestTag/TEAM": "red", "aws:RequestTag/team": "blue" },
      false,
    ],
    ["Deny ForAnyValue:StringEquals aws:TagKeys sees a case variant", "Deny", { "ForAnyValue:StringEquals": { "aws:TagKeys": ["classification"] } }, { "aws:TagKeys": ["Classification"] }, true],
    ["Deny ForAnyValue:StringLike aws:TagKeys sees a case variant", "Deny", { "ForAnyValue:StringLike": { "aws:TagKeys": ["class*"] } }, { "aws:TagKeys": ["env", "CLASSIFICATION"] }, true],
    ["Deny ForAnyValue:StringEquals aws:TagKeys, another key", "Deny", { "ForAnyValue:StringEquals": { "aws:TagKeys": ["classification"] } }, { "aws:TagKeys": ["env"] }, false],
    ["Deny ForAllValues:StringEquals aws:TagKeys sees case variants", "Deny", { "ForAllValues:StringEquals": { "aws:TagKeys": ["classification"] } }, { "aws:TagKeys": ["Classification"] }, true],
    ["Deny ForAnyValue:StringNotEquals aws:TagKeys, only the allowed key", "Deny", { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["env"] } }, { "aws:TagKeys": ["env"] }, false],
    ["Allow ForAllValues:StringNotEquals aws:TagKeys refuses a case variant", "Allow", { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["approved"] } }, { "aws:TagKeys": ["Approved"] }, false],
    ["Allow ForAllValues:StringNotEquals aws:TagKeys, another key", "Allow", { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["approved"] } }, { "aws:TagKeys": ["owner"] }, true],
    ["Allow ForAllValues:StringEquals aws:TagKeys, the exact keys", "Allow", { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } }, { "aws:TagKeys": ["team"] }, true],
    ["Allow ForAllValues:StringEquals aws:TagKeys, a case variant", "Allow", { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } }, { "aws:TagKeys": ["TEAM"] }, false],
    ["Deny, a policy variable naming two case variants", "Deny", { StringEquals: { "aws:PrincipalTag/team": "${aws:ResourceTag/team}" } }, { ...variants("red", "blue"), "aws:PrincipalTag/team": "green" }, true],
    ["Allow, a policy variable naming two case variants", "Allow", { StringEquals: { "aws:PrincipalTag/team": "${aws:ResourceTag/team}" } }, { ...variants("blue", "blue"), "aws:PrincipalTag/team": "blue" }, false],
    ["Allow, a policy variable naming one tag", "Allow", { StringEquals: { "aws:PrincipalTag/team": "${aws:ResourceTag/team}" } }, { "aws:ResourceTag/team": "blue", "aws:PrincipalTag/team": "blue" }, true],
    ["Allow ForAnyValue:StringNotLike aws:TagKeys, only a case variant of the excluded key", "Allow", { "ForAnyValue:StringNotLike": { "aws:TagKeys": ["secret*"] } }, { "aws:TagKeys": ["SECRETLY"] }, false],
  ];
  for (const [name, effect, condition, context, expected] of rows) {
    it(`${name} → ${expected}`, () => expect(judged(effect, condition, context)).toBe(expected));
  }
});
