// Authorization through the Worker: every operation judged by the caller's identity policy and the secret's resource
// policy with IAM's rules (explicit Deny wins; same account: either allows; across accounts: both must), denials in
// AWS's message form, existence hidden from callers without permission, cross-account access by ARN (incl. E60),
// ListSecrets filtered to what the caller may list, and BatchGetSecretValue's per-secret AccessDeniedException.
// The keys and their policies are in test/support/test-keys.ts.
import { runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { SecretObject } from "../../src/secret-object/secret-object";
import { accessKeys } from "../../src/auth/caller";
import { errorOf, signedRequest, sm, type SmOptions, token } from "../support/sm";

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BLUE_READER = `arn:aws:iam::${ACCOUNT}:user/blue-reader`;
const NO_VAULT = `arn:aws:iam::${ACCOUNT}:user/no-vault`;
const GREEN_DEV = `arn:aws:iam::${ACCOUNT}:user/green-dev`;
const PARTNER = `arn:aws:iam::${OTHER}:user/partner-reader`;
const NOT_FOUND = { __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." };
const E60 = "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const uniqueName = (prefix = "authz") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const as = (accessKeyId: string, options: SmOptions = {}) => (op: string, input: unknown) => sm(op, input, { ...options, accessKeyId });
const blue = as("AKIDBLUEREADER");
const noVault = as("AKIDNOVAULT");
const green = as("AKIDGREENTEAM");
const other = as("AKIDOTHERACCOUNT");
const partner = as("AKIDPARTNERREADER");

/** The message AWS gives for a denial; `resource` undefined for actions without one. */
const denial = (principal: string, action: string, resource: string | undefined, reason: string) =>
  `User: ${principal} is not authorized to perform: secretsmanager:${action}${resource === undefined ? "" : ` on resource: ${resource}`} ${reason}`;
const noIdentityAllow = (action: string) => `because no identity-based policy allows the secretsmanager:${action} action`;
const noResourceAllow = (action: string) => `because no resource-based policy allows the secretsmanager:${action} action`;

async function create(name: string, extra: Record<string, unknown> = {}, options: SmOptions = {}) {
  const res = await sm("CreateSecret", { Name: name, SecretString: `value-of-${name}`, ClientRequestToken: token(), ...extra }, options);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { ARN: string; Name: string; VersionId: string };
}
const tagged = (team: string) => ({ Tags: [{ Key: "team", Value: team }] });

async function putPolicy(secretId: string, statements: object[]) {
  const res = await sm("PutResourcePolicy", { SecretId: secretId, ResourcePolicy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

function expectDenied(res: { status: number; body: Record<string, unknown> }, message: string) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ __type: "AccessDeniedException", Message: message });
}

describe("an identity policy limited by resource tags", () => {
  it("reads a secret tagged team=blue", async () => {
    const name = uniqueName();
    await create(name, tagged("blue"));
    const res = await blue("GetSecretValue", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body.SecretString).toBe(`value-of-${name}`);
  });

  it("GetSecretValue of a secret without the tag returns AccessDeniedException in AWS's message form, naming the SecretId as sent", async () => {
    const name = uniqueName();
    const created = await create(name, tagged("red"));
    expectDenied(await blue("GetSecretValue", { SecretId: name }), denial(BLUE_READER, "GetSecretValue", name, noIdentityAllow("GetSecretValue")));
    expectDenied(await blue("GetSecretValue", { SecretId: created.ARN }), denial(BLUE_READER, "GetSecretValue", created.ARN, noIdentityAllow("GetSecretValue")));
  });

  it("DescribeSecret follows the tag too, and a re-tag changes the answer at once", async () => {
    const name = uniqueName();
    await create(name, tagged("red"));
    expect(errorOf(await blue("DescribeSecret", { SecretId: name })).code).toBe("AccessDeniedException");
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "team", Value: "blue" }] });
    expect((await blue("DescribeSecret", { SecretId: name })).status).toBe(200);
  });

  it("an action the policy does not name is denied even on a blue secret, and nothing changes", async () => {
    const name = uniqueName();
    const created = await create(name, tagged("blue"));
    const cases: [string, Record<string, unknown>][] = [
      ["PutSecretValue", { SecretId: name, SecretString: "changed", ClientRequestToken: token() }],
      ["UpdateSecret", { SecretId: name, Description: "changed" }],
      ["UpdateSecretVersionStage", { SecretId: name, VersionStage: "CUSTOM", MoveToVersionId: created.VersionId }],
      ["ListSecretVersionIds", { SecretId: name }],
      ["DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true }],
      ["RestoreSecret", { SecretId: name }],
      ["TagResource", { SecretId: name, Tags: [{ Key: "x", Value: "y" }] }],
      ["UntagResource", { SecretId: name, TagKeys: ["team"] }],
      ["GetResourcePolicy", { SecretId: name }],
      ["PutResourcePolicy", { SecretId: name, ResourcePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:*", Resource: "*" }] }) }],
      ["DeleteResourcePolicy", { SecretId: name }],
      ["ValidateResourcePolicy", { SecretId: name, ResourcePolicy: "{}" }],
    ];
    for (const [op, input] of cases) {
      expectDenied(await blue(op, input), denial(BLUE_READER, op, name, noIdentityAllow(op)));
    }
    const described = (await sm("DescribeSecret", { SecretId: name })).body;
    expect(described).toMatchObject({ Name: name, Tags: [{ Key: "team", Value: "blue" }] });
    expect(described).not.toHaveProperty("Description");
    expect(described).not.toHaveProperty("DeletedDate");
    expect(Object.keys(described.VersionIdsToStages)).toEqual([created.VersionId]);
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(`value-of-${name}`);
  });

  it("actions without a resource are denied without naming one", async () => {
    expectDenied(await blue("GetRandomPassword", {}), denial(BLUE_READER, "GetRandomPassword", undefined, noIdentityAllow("GetRandomPassword")));
    expectDenied(
      await blue("BatchGetSecretValue", { SecretIdList: ["anything"] }),
      denial(BLUE_READER, "BatchGetSecretValue", undefined, noIdentityAllow("BatchGetSecretValue")),
    );
    expectDenied(await blue("ValidateResourcePolicy", { ResourcePolicy: "{}" }), denial(BLUE_READER, "ValidateResourcePolicy", undefined, noIdentityAllow("ValidateResourcePolicy")));
  });

  it("CreateSecret is denied naming the ARN the new secret would have had, and creates nothing", async () => {
    const name = uniqueName();
    const res = await blue("CreateSecret", { Name: name, SecretString: "x", ClientRequestToken: token() });
    expect(errorOf(res).code).toBe("AccessDeniedException");
    expect(errorOf(res).message).toMatch(
      new RegExp(`^User: ${BLUE_READER} is not authorized to perform: secretsmanager:CreateSecret on resource: arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-[A-Za-z0-9]{6} ${noIdentityAllow("CreateSecret")}$`),
    );
    expect((await sm("DescribeSecret", { SecretId: name })).body).toEqual(NOT_FOUND);
  });
});

describe("existence is not revealed to a caller without permission", () => {
  it("a name that does not exist is AccessDeniedException for the denied caller and ResourceNotFoundException for a permitted one", async () => {
    const missing = uniqueName("missing");
    expectDenied(await blue("GetSecretValue", { SecretId: missing }), denial(BLUE_READER, "GetSecretValue", missing, noIdentityAllow("GetSecretValue")));
    expect((await sm("GetSecretValue", { SecretId: missing })).body).toEqual(NOT_FOUND);
  });

  it("an existing secret and a missing one answer the denied caller alike", async () => {
    const existing = uniqueName();
    await create(existing, tagged("red"));
    const missing = uniqueName();
    const a = errorOf(await blue("DescribeSecret", { SecretId: existing }));
    const b = errorOf(await blue("DescribeSecret", { SecretId: missing }));
    expect(a.code).toBe(b.code);
    expect(a.message.replace(existing, "<id>")).toBe(b.message.replace(missing, "<id>"));
  });

  it("an ARN of an earlier incarnation, another region or a missing name gives the denied caller AccessDeniedException", async () => {
    const name = uniqueName();
    const created = await create(name, tagged("red"));
    const wrongSuffix = created.ARN.replace(/-[A-Za-z0-9]{6}$/, created.ARN.endsWith("-AAAAAA") ? "-BBBBBB" : "-AAAAAA");
    const otherRegion = created.ARN.replace(":us-east-1:", ":eu-west-1:");
    for (const id of [wrongSuffix, otherRegion]) {
      expectDenied(await blue("DescribeSecret", { SecretId: id }), denial(BLUE_READER, "DescribeSecret", id, noIdentityAllow("DescribeSecret")));
      expect((await sm("DescribeSecret", { SecretId: id })).body).toEqual(NOT_FOUND);
    }
  });

  it("a missing secret is judged as <name>-??????, so a policy granting that pattern learns it does not exist and others do not", async () => {
    // AKIDBLUEREADER may DescribeSecret arn:aws:secretsmanager:*:111122223333:secret:blue/fixed-?????? (the pattern
    // AWS recommends for naming one secret in a policy).
    const region = isolatedRegion();
    const call = (id: string) => sm("DescribeSecret", { SecretId: id }, { region, accessKeyId: "AKIDBLUEREADER" });
    expect((await call("blue/fixed")).body).toEqual(NOT_FOUND);
    expect(errorOf(await call("blue/fixed-and-more")).code).toBe("AccessDeniedException");
    const created = await create("blue/fixed", {}, { region });
    expect((await call("blue/fixed")).body).toMatchObject({ ARN: created.ARN, Name: "blue/fixed" });
    expect((await call(created.ARN)).status).toBe(200);
  });
});

describe("explicit Deny wins", () => {
  it("a Deny in the identity policy beats its own Allow: no-vault reads app/ secrets but not vault/ ones", async () => {
    const vault = uniqueName("vault/db");
    const app = uniqueName("app/db");
    await create(vault);
    await create(app);
    expectDenied(await noVault("GetSecretValue", { SecretId: vault }), denial(NO_VAULT, "GetSecretValue", vault, "with an explicit deny in an identity-based policy"));
    expect((await noVault("DescribeSecret", { SecretId: vault })).status).toBe(200);
    expect((await noVault("GetSecretValue", { SecretId: app })).body.SecretString).toBe(`value-of-${app}`);
  });

  it("a Deny in the resource policy beats an Allow in the identity policy", async () => {
    const name = uniqueName();
    await create(name);
    await putPolicy(name, [{ Sid: "NotNoVault", Effect: "Deny", Principal: { AWS: NO_VAULT }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    expectDenied(await noVault("GetSecretValue", { SecretId: name }), denial(NO_VAULT, "GetSecretValue", name, "with an explicit deny in a resource-based policy"));
    expect((await sm("GetSecretValue", { SecretId: name })).status).toBe(200);
  });

  it("a resource policy denying DeleteSecret to everyone stops even a key with full access until the policy goes", async () => {
    const name = uniqueName();
    await create(name);
    await putPolicy(name, [{ Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*" }]);
    expectDenied(await sm("DeleteSecret", { SecretId: name }), denial(ROOT, "DeleteSecret", name, "with an explicit deny in a resource-based policy"));
    expect((await sm("DeleteResourcePolicy", { SecretId: name })).status).toBe(200);
    expect((await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 })).status).toBe(200);
  });
});

describe("a same-account resource policy", () => {
  it("allows on its own what the identity policy does not", async () => {
    const name = uniqueName();
    await create(name, tagged("red"));
    expect(errorOf(await blue("GetSecretValue", { SecretId: name })).code).toBe("AccessDeniedException");
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: BLUE_READER }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    expect((await blue("GetSecretValue", { SecretId: name })).body.SecretString).toBe(`value-of-${name}`);
  });

  it("naming only the account delegates to the identity policy, which still decides", async () => {
    const name = uniqueName();
    await create(name, tagged("red"));
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    expectDenied(await blue("GetSecretValue", { SecretId: name }), denial(BLUE_READER, "GetSecretValue", name, noIdentityAllow("GetSecretValue")));
  });
});

describe("cross-account access by ARN", () => {
  const readOnly = (principal: object) => ({ Effect: "Allow", Principal: principal, Action: "secretsmanager:GetSecretValue", Resource: "*" });

  it("another account's ARN is AccessDeniedException until the secret's resource policy allows it, then the value is readable", async () => {
    const name = uniqueName("shared");
    const created = await create(name, { KmsKeyId: "alias/payments" });
    const otherRoot = `arn:aws:iam::${OTHER}:root`;
    expectDenied(await other("GetSecretValue", { SecretId: created.ARN }), denial(otherRoot, "GetSecretValue", created.ARN, noResourceAllow("GetSecretValue")));
    await putPolicy(name, [readOnly({ AWS: OTHER })]);
    const res = await other("GetSecretValue", { SecretId: created.ARN });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ARN: created.ARN, Name: name, SecretString: `value-of-${name}` });
  });

  it("by name the other account looks in its own namespace", async () => {
    const name = uniqueName("shared");
    await create(name, { KmsKeyId: "alias/payments" });
    await putPolicy(name, [readOnly({ AWS: OTHER })]);
    expect((await other("GetSecretValue", { SecretId: name })).body).toEqual(NOT_FOUND);
  });

  it("needs the caller's own identity policy to allow too", async () => {
    const name = uniqueName("shared");
    const created = await create(name, { KmsKeyId: "alias/payments" });
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "secretsmanager:*", Resource: "*" }]);
    expect((await partner("GetSecretValue", { SecretId: created.ARN })).body.SecretString).toBe(`value-of-${name}`);
    expectDenied(
      await partner("DeleteSecret", { SecretId: created.ARN, RecoveryWindowInDays: 7 }),
      denial(PARTNER, "DeleteSecret", created.ARN, noIdentityAllow("DeleteSecret")),
    );
  });

  it("needs the resource policy to allow the very action", async () => {
    const name = uniqueName("shared");
    const created = await create(name, { KmsKeyId: "alias/payments" });
    await putPolicy(name, [readOnly({ AWS: PARTNER })]);
    expect((await partner("GetSecretValue", { SecretId: created.ARN })).status).toBe(200);
    expectDenied(
      await partner("PutSecretValue", { SecretId: created.ARN, SecretString: "theirs", ClientRequestToken: token() }),
      denial(PARTNER, "PutSecretValue", created.ARN, noResourceAllow("PutSecretValue")),
    );
  });

  it("a cross-account caller may write the value of a secret under a customer key when both policies allow", async () => {
    const name = uniqueName("shared");
    const created = await create(name, { KmsKeyId: "alias/payments" });
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue"], Resource: "*" }]);
    const put = await partner("PutSecretValue", { SecretId: created.ARN, SecretString: "from-partner", ClientRequestToken: token() });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("from-partner");
  });

  it("E60: GetSecretValue and PutSecretValue of a secret under the default key return InvalidRequestException once authorized", async () => {
    const name = uniqueName("shared");
    const created = await create(name);
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "secretsmanager:*", Resource: "*" }]);
    expect((await other("GetSecretValue", { SecretId: created.ARN })).body).toEqual({ __type: "InvalidRequestException", Message: E60 });
    const put = await other("PutSecretValue", { SecretId: created.ARN, SecretString: "theirs", ClientRequestToken: token() });
    expect(put.body).toEqual({ __type: "InvalidRequestException", Message: E60 });
    // Metadata operations work across accounts (reference/aws-behaviour.md §3).
    expect((await other("DescribeSecret", { SecretId: created.ARN })).body).toMatchObject({ ARN: created.ARN, Name: name });
    expect((await other("GetResourcePolicy", { SecretId: created.ARN })).body.ResourcePolicy).toContain(OTHER);
    expect((await other("ListSecretVersionIds", { SecretId: created.ARN })).status).toBe(200);
    expect((await other("TagResource", { SecretId: created.ARN, Tags: [{ Key: "seen", Value: "yes" }] })).status).toBe(200);
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(`value-of-${name}`);
  });

  it("E60 comes only after authorization: without the resource policy the answer is AccessDeniedException", async () => {
    const name = uniqueName("shared");
    const created = await create(name);
    expect(errorOf(await other("GetSecretValue", { SecretId: created.ARN })).code).toBe("AccessDeniedException");
  });

  it("another account's ARN of a secret that does not exist is AccessDeniedException, not ResourceNotFoundException", async () => {
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${uniqueName("nobody")}-AbCdEf`;
    const otherRoot = `arn:aws:iam::${OTHER}:root`;
    expectDenied(await other("DescribeSecret", { SecretId: arn }), denial(otherRoot, "DescribeSecret", arn, noResourceAllow("DescribeSecret")));
  });

  it("cross-account DeleteSecret and RestoreSecret work by ARN when the resource policy allows them", async () => {
    const name = uniqueName("shared");
    const created = await create(name, { KmsKeyId: "alias/payments" });
    await putPolicy(name, [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: ["secretsmanager:DeleteSecret", "secretsmanager:RestoreSecret"], Resource: "*" }]);
    expect((await other("DeleteSecret", { SecretId: created.ARN, RecoveryWindowInDays: 7 })).status).toBe(200);
    expect((await sm("DescribeSecret", { SecretId: name })).body).toHaveProperty("DeletedDate");
    expect((await other("RestoreSecret", { SecretId: created.ARN })).body).toEqual({ ARN: created.ARN, Name: name });
  });
});

describe("tag changes and tag conditions", () => {
  it("CreateSecret with aws:RequestTag: green may create secrets tagged with its own team only", async () => {
    const mine = uniqueName("green");
    expect((await green("CreateSecret", { Name: mine, SecretString: "g", ClientRequestToken: token(), ...tagged("green") })).status).toBe(200);
    const untagged = uniqueName("green");
    expect(errorOf(await green("CreateSecret", { Name: untagged, SecretString: "g", ClientRequestToken: token() })).code).toBe("AccessDeniedException");
    const theirs = uniqueName("green");
    expect(errorOf(await green("CreateSecret", { Name: theirs, SecretString: "g", ClientRequestToken: token(), ...tagged("blue") })).code).toBe("AccessDeniedException");
    expect((await green("GetSecretValue", { SecretId: mine })).body.SecretString).toBe("g");
  });

  it("a policy variable (${aws:PrincipalTag/team}) matches the key's principalTags against the secret's tags", async () => {
    const greenSecret = uniqueName();
    const blueSecret = uniqueName();
    await create(greenSecret, tagged("green"));
    await create(blueSecret, tagged("blue"));
    expect((await green("GetSecretValue", { SecretId: greenSecret })).status).toBe(200);
    expectDenied(await green("GetSecretValue", { SecretId: blueSecret }), denial(GREEN_DEV, "GetSecretValue", blueSecret, noIdentityAllow("GetSecretValue")));
  });

  it("TagResource that would take away the caller's own permission returns AccessDeniedException and changes nothing", async () => {
    const name = uniqueName();
    await create(name, tagged("green"));
    expectDenied(
      await green("TagResource", { SecretId: name, Tags: [{ Key: "team", Value: "blue" }] }),
      denial(GREEN_DEV, "TagResource", name, noIdentityAllow("TagResource")),
    );
    expect((await sm("DescribeSecret", { SecretId: name })).body.Tags).toEqual([{ Key: "team", Value: "green" }]);
    expect((await green("TagResource", { SecretId: name, Tags: [{ Key: "env", Value: "dev" }] })).status).toBe(200);
  });

  it("UntagResource that would take away the caller's own permission returns AccessDeniedException and changes nothing", async () => {
    const name = uniqueName();
    await create(name, { Tags: [{ Key: "team", Value: "green" }, { Key: "env", Value: "dev" }] });
    expect(errorOf(await green("UntagResource", { SecretId: name, TagKeys: ["team"] })).code).toBe("AccessDeniedException");
    expect((await green("UntagResource", { SecretId: name, TagKeys: ["env"] })).status).toBe(200);
    expect((await sm("DescribeSecret", { SecretId: name })).body.Tags).toEqual([{ Key: "team", Value: "green" }]);
  });

  it("a key with no policy is never locked out by a tag change", async () => {
    const name = uniqueName();
    await create(name, tagged("green"));
    expect((await sm("UntagResource", { SecretId: name, TagKeys: ["team"] })).status).toBe(200);
  });
});

describe("tag keys that differ only in case (docs/parity.md)", () => {
  const classified = as("AKIDCLASSIFIED");
  const CLASSIFIED = `arn:aws:iam::${ACCOUNT}:user/classified`;
  const restricted = { Key: "classification", Value: "restricted" };
  const looksPublic = { Key: "Classification", Value: "public" };

  it("a caller cannot add a case variant of a tag key its policy guards (aws:TagKeys sees it)", async () => {
    const name = uniqueName("restricted");
    await create(name, { Tags: [restricted] });
    expect(errorOf(await classified("GetSecretValue", { SecretId: name })).code).toBe("AccessDeniedException");
    expectDenied(
      await classified("TagResource", { SecretId: name, Tags: [looksPublic] }),
      denial(CLASSIFIED, "TagResource", name, "with an explicit deny in an identity-based policy"),
    );
    expect(errorOf(await classified("UntagResource", { SecretId: name, TagKeys: ["CLASSIFICATION"] })).code).toBe("AccessDeniedException");
    expect(errorOf(await classified("GetSecretValue", { SecretId: name })).code).toBe("AccessDeniedException");
  });

  it("a Deny applies when any case variant of the tag satisfies it, in either tag order", async () => {
    for (const tags of [[restricted, looksPublic], [looksPublic, restricted]]) {
      const name = uniqueName("restricted");
      await create(name, { Tags: tags });
      expect(errorOf(await classified("GetSecretValue", { SecretId: name })).code).toBe("AccessDeniedException");
    }
    const added = uniqueName("restricted");
    await create(added, { Tags: [restricted] });
    expect((await sm("TagResource", { SecretId: added, Tags: [looksPublic] })).status).toBe(200);
    expect(errorOf(await classified("GetSecretValue", { SecretId: added })).code).toBe("AccessDeniedException");
  });

  it("an Allow applies only when every case variant of the tag satisfies it, in either tag order", async () => {
    const red = { Key: "team", Value: "red" };
    const blueVariant = { Key: "TEAM", Value: "blue" };
    for (const tags of [[red, blueVariant], [blueVariant, red]]) {
      const name = uniqueName();
      await create(name, { Tags: tags });
      expectDenied(await blue("GetSecretValue", { SecretId: name }), denial(BLUE_READER, "GetSecretValue", name, noIdentityAllow("GetSecretValue")));
    }
    const both = uniqueName();
    await create(both, { Tags: [{ Key: "team", Value: "blue" }, { Key: "Team", Value: "blue" }] });
    expect((await blue("GetSecretValue", { SecretId: both })).status).toBe(200);
  });
});

describe("request keys: aws:SourceIp and aws:SecureTransport", () => {
  /** A call by the office key, over http or https, from the given client address (cf-connecting-ip). */
  async function office(ip: string, protocol: "http" | "https", operation = "GetRandomPassword", input: object = { PasswordLength: 8 }) {
    const request = await signedRequest(operation, input, { accessKeyId: "AKIDOFFICE", headers: { "cf-connecting-ip": ip } });
    const response = await SELF.fetch(`${protocol}://127.0.0.1/`, { method: "POST", headers: request.headers, body: request.body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("allows a call from the allowed network over HTTPS", async () => {
    const res = await office("203.0.113.7", "https");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(String(res.body.RandomPassword)).toHaveLength(8);
  });

  it("denies a call from another address, or over plain HTTP", async () => {
    expect((await office("198.51.100.1", "https")).body.__type).toBe("AccessDeniedException");
    expect((await office("203.0.113.7", "http")).body.__type).toBe("AccessDeniedException");
  });

  it("ListSecrets from another address is refused with AccessDeniedException, not answered with an empty list", async () => {
    const allowed = await office("203.0.113.7", "https", "ListSecrets", {});
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    const denied = await office("198.51.100.1", "https", "ListSecrets", {});
    expect(denied.status).toBe(400);
    expect(denied.body.__type).toBe("AccessDeniedException");
  });
});

describe("ListSecrets shows only what the caller may list", () => {
  it("a tag-limited key lists only the secrets with that tag, on every page, with NextToken only while one follows", async () => {
    const region = isolatedRegion();
    const names = ["a-blue", "b-red", "c-blue", "d-untagged", "e-blue", "f-red"];
    for (const name of names) {
      const team = name.split("-")[1];
      await create(name, team === "untagged" ? {} : tagged(team!), { region });
    }
    await settled(region, names);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await sm("ListSecrets", { MaxResults: 2, NextToken: next }, { region, accessKeyId: "AKIDBLUEREADER" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.SecretList.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.SecretList.map((e: { Name: string }) => e.Name));
      next = res.body.NextToken;
      pages++;
    } while (next);
    expect(seen).toEqual(["a-blue", "c-blue", "e-blue"]);
    expect(pages).toBe(2);
    const all = await sm("ListSecrets", {}, { region });
    expect(all.body.SecretList.map((e: { Name: string }) => e.Name)).toEqual(names);
  });

  it("NextToken, page size and entries do not depend on whether hidden secrets match the filters (ListSecrets, BatchGetSecretValue)", async () => {
    const region = isolatedRegion();
    // Hidden ones before and after the one blue may list, in created order.
    await create("hidden/payroll-db", { Description: "payroll db", Tags: [{ Key: "team", Value: "red" }] }, { region });
    await create("blue1", { Description: "blue one", ...tagged("blue") }, { region });
    await create("hidden/payroll-api", { Description: "payroll api", Tags: [{ Key: "team", Value: "red" }] }, { region });
    await settled(region, ["hidden/payroll-db", "blue1", "hidden/payroll-api"]);
    const probes: [key: string, visible: string, hit: string, miss: string][] = [
      ["name", "blue1", "hidden/pay", "hidden/paz"],
      ["tag-value", "blue", "red", "rez"],
      ["description", "blue", "payroll", "payrolz"],
      ["all", "blue1", "payroll", "payrolz"],
    ];
    const answer = async (op: string, key: string, values: string[], input: Record<string, unknown>) => {
      const res = await sm(op, { Filters: [{ Key: key, Values: values }], ...input }, { region, accessKeyId: "AKIDBLUEBATCH" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const entries = (res.body.SecretList ?? res.body.SecretValues) as { Name: string }[];
      return { names: entries.map((e) => e.Name), next: "NextToken" in res.body };
    };
    for (const [key, visible, hit, miss] of probes) {
      for (const input of [{ MaxResults: 1 }, { MaxResults: 1, SortOrder: "desc" }, { MaxResults: 1, SortBy: "name" }, { MaxResults: 2 }]) {
        const label = `${key} ${JSON.stringify(input)}`;
        const hidden = await answer("ListSecrets", key, [visible, hit], input);
        expect(hidden, label).toEqual({ names: ["blue1"], next: false });
        expect(await answer("ListSecrets", key, [visible, miss], input), label).toEqual(hidden);
      }
      const batch = await answer("BatchGetSecretValue", key, [visible, hit], { MaxResults: 1 });
      expect(batch, key).toEqual({ names: ["blue1"], next: false });
      expect(await answer("BatchGetSecretValue", key, [visible, miss], { MaxResults: 1 }), key).toEqual(batch);
    }
  });

  it("a key whose policy never allows ListSecrets is refused with AccessDeniedException", async () => {
    expectDenied(await green("ListSecrets", {}), denial(GREEN_DEV, "ListSecrets", undefined, noIdentityAllow("ListSecrets")));
  });

  it("another account's secrets are never listed, even when their resource policy lets it read them", async () => {
    const region = isolatedRegion();
    const created = await create("shared", { KmsKeyId: "alias/payments" }, { region });
    await settled(region, ["shared"]);
    const put = await sm(
      "PutResourcePolicy",
      { SecretId: created.ARN, ResourcePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "secretsmanager:*", Resource: "*" }] }) },
      { region },
    );
    expect(put.status).toBe(200);
    expect((await sm("GetSecretValue", { SecretId: created.ARN }, { region, accessKeyId: "AKIDOTHERACCOUNT" })).status).toBe(200);
    expect((await sm("ListSecrets", {}, { region, accessKeyId: "AKIDOTHERACCOUNT" })).body.SecretList).toEqual([]);
  });
});

describe("BatchGetSecretValue", () => {
  it("a secret the caller may not read lands in Errors as AccessDeniedException; the others are returned", async () => {
    const vault = uniqueName("vault/key");
    const app = uniqueName("app/key");
    await create(vault);
    await create(app);
    const missing = uniqueName("vault/missing");
    const res = await noVault("BatchGetSecretValue", { SecretIdList: [vault, app, missing] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.SecretValues.map((v: { Name: string }) => v.Name)).toEqual([app]);
    expect(res.body.Errors).toEqual([
      { SecretId: vault, ErrorCode: "AccessDeniedException", Message: denial(NO_VAULT, "GetSecretValue", vault, "with an explicit deny in an identity-based policy") },
      // Judged before existence, so a denied name that does not exist looks the same.
      { SecretId: missing, ErrorCode: "AccessDeniedException", Message: denial(NO_VAULT, "GetSecretValue", missing, "with an explicit deny in an identity-based policy") },
    ]);
  });

  it("with Filters, reads what the caller may list and reports each denied read", async () => {
    const region = isolatedRegion();
    await create("vault/one", tagged("x"), { region });
    await create("app/two", tagged("x"), { region });
    await settled(region, ["vault/one", "app/two"]);
    const res = await sm("BatchGetSecretValue", { Filters: [{ Key: "tag-key", Values: ["team"] }] }, { region, accessKeyId: "AKIDNOVAULT" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.SecretValues.map((v: { Name: string }) => v.Name)).toEqual(["app/two"]);
    expect(res.body.Errors).toHaveLength(1);
    expect(res.body.Errors[0]).toMatchObject({ ErrorCode: "AccessDeniedException", SecretId: expect.stringContaining(":secret:vault/one-") });
  });

  it("a cross-account ARN is read when the resource policy allows it and reported when it does not", async () => {
    const shared = await create(uniqueName("shared"), { KmsKeyId: "alias/payments" });
    const closed = await create(uniqueName("closed"), { KmsKeyId: "alias/payments" });
    await putPolicy(shared.ARN, [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    const res = await other("BatchGetSecretValue", { SecretIdList: [shared.ARN, closed.ARN] });
    expect(res.body.SecretValues.map((v: { ARN: string }) => v.ARN)).toEqual([shared.ARN]);
    expect(res.body.Errors).toEqual([
      {
        SecretId: closed.ARN,
        ErrorCode: "AccessDeniedException",
        Message: denial(`arn:aws:iam::${OTHER}:root`, "GetSecretValue", closed.ARN, noResourceAllow("GetSecretValue")),
      },
    ]);
  });
});

describe("a role session whose role has a path (ACCESS_KEYS roleArn)", () => {
  it("a resource policy Deny naming the role with its path applies to the role's sessions", async () => {
    const name = uniqueName("role-path");
    await create(name);
    await putPolicy(name, [{ Effect: "Deny", Principal: { AWS: "arn:aws:iam::111122223333:role/ops/deployer" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }]);
    const denied = await sm("GetSecretValue", { SecretId: name }, { accessKeyId: "ASIDDEPLOYER" });
    expect(denied.status).toBe(400);
    expect(denied.body.__type).toBe("AccessDeniedException");
    expect(denied.body.Message).toContain("with an explicit deny in a resource-based policy");
    expect((await sm("DescribeSecret", { SecretId: name }, { accessKeyId: "ASIDDEPLOYER" })).status).toBe(200);
    expect((await sm("GetSecretValue", { SecretId: name })).status).toBe(200);
  });
});

describe("configuration", () => {
  const key = (policy: unknown) => JSON.stringify([{ accessKeyId: "AKIDBROKEN", secretAccessKey: "x", accountId: ACCOUNT, policy }]);

  it("a key whose policy is not a valid identity policy makes ACCESS_KEYS invalid, with a clear reason", () => {
    const withPrincipal = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "secretsmanager:*", Resource: "*" }] };
    expect(() => accessKeys({ ACCESS_KEYS: key(withPrincipal) })).toThrow(/ACCESS_KEYS: the policy of key AKIDBROKEN is not a valid identity policy: .*cannot name a Principal/);
    expect(() => accessKeys({ ACCESS_KEYS: key("{not json") })).toThrow(/not valid JSON/);
    expect(() => accessKeys({ ACCESS_KEYS: JSON.stringify([{ accessKeyId: "A", secretAccessKey: "x", accountId: ACCOUNT, principalTags: { team: 1 } }]) })).toThrow(/principalTags/);
    const session = { accessKeyId: "A", secretAccessKey: "x", accountId: ACCOUNT, principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/run` };
    for (const roleArn of [`arn:aws:iam::${ACCOUNT}:role/ops/other`, "arn:aws:iam::444455556666:role/ops/deployer", `arn:aws:iam::${ACCOUNT}:user/deployer`]) {
      expect(() => accessKeys({ ACCESS_KEYS: JSON.stringify([{ ...session, roleArn }]) })).toThrow(/roleArn of key A must be the IAM role/);
    }
    expect(accessKeys({ ACCESS_KEYS: JSON.stringify([{ ...session, roleArn: `arn:aws:iam::${ACCOUNT}:role/a/b/deployer` }]) }).get("A")?.roleArn).toBe(
      `arn:aws:iam::${ACCOUNT}:role/a/b/deployer`,
    );
  });

  it("the Worker answers such a configuration with InternalServiceError, for every key", async () => {
    const request = await signedRequest("GetRandomPassword", {});
    const brokenEnv = { ...env, ACCESS_KEYS: JSON.stringify([{ accessKeyId: "AKIDTESTLOCAL", secretAccessKey: "test-secret-local", accountId: ACCOUNT }, JSON.parse(key({ Statement: [] }))[0]]) };
    const response = await app.fetch(new Request("http://127.0.0.1/", { method: "POST", headers: request.headers, body: request.body }), brokenEnv);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { __type: string }).__type).toBe("InternalServiceError");
  });

  it("a key's policy is parsed once and kept with the key", () => {
    const keys = accessKeys({ ACCESS_KEYS: JSON.stringify([{ accessKeyId: "AKIDPARSED", secretAccessKey: "x", accountId: ACCOUNT, policy: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "secretsmanager:Get*", Resource: "*" } } }]) });
    expect(keys.get("AKIDPARSED")?.identityPolicy?.statements[0]).toMatchObject({ effect: "Allow", actions: ["secretsmanager:Get*"], resources: ["*"] });
  });
});

/** A region of the test's own: D1 is shared by this file's tests, and ListSecrets lists a whole region. */
function isolatedRegion(): string {
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => String.fromCharCode(97 + (b % 26))).join("");
  return `zz-${letters}-1`;
}

/** Waits until the objects' index updates have reached D1 (each outbox is drained after the response). */
async function settled(region: string, names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const stub = env.SECRETS.get(env.SECRETS.idFromName(`${ACCOUNT}/${region}/${name}`));
      for (let i = 0; i < 200; i++) {
        const pending = await runInDurableObject(stub, async (o) => (await (o as unknown as SecretObject).indexSnapshot()).pending);
        if (pending === 0) return;
        await sleep(10);
      }
      throw new Error(`index updates of ${name} are still pending`);
    }),
  );
}
