// PutResourcePolicy through the Worker: returns ARN and Name (reference/aws-behaviour.md §4), replaces any earlier
// policy, refuses malformed documents with MalformedPolicyDocumentException and, with BlockPublicPolicy, broad ones
// with PublicPolicyException (§2b); stored in the secret's object, never in the D1 index.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sm, token } from "../support/sm";

const ACCOUNT = "111122223333";
const uniqueName = (prefix = "put-policy") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const PUBLIC = "You can't attach a resource-based policy that allows broad access to the secret.";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const readBy = (principal: unknown, extra: object = {}) => ({ Effect: "Allow", Principal: principal, Action: "secretsmanager:GetSecretValue", Resource: "*", ...extra });
const ACCOUNT_READ = policy(readBy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));

async function createSecret(name: string) {
  const res = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
  expect(res.status).toBe(200);
  return res.body as { ARN: string; Name: string };
}
const storedPolicy = async (name: string) => (await sm("GetResourcePolicy", { SecretId: name })).body.ResourcePolicy as string | undefined;

describe("PutResourcePolicy", () => {
  it("returns ARN and Name and attaches the policy", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    const res = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
    expect(await storedPolicy(name)).toBe(ACCOUNT_READ);
  });

  it("replaces the earlier policy", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ });
    const second = policy(readBy({ AWS: "444455556666" }));
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: second })).status).toBe(200);
    expect(await storedPolicy(name)).toBe(second);
  });

  it("a public policy is accepted when BlockPublicPolicy is omitted or false (the default, as recorded on AWS)", async () => {
    const name = uniqueName();
    await createSecret(name);
    const open = policy(readBy("*"));
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: open })).status).toBe(200);
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: open, BlockPublicPolicy: false })).status).toBe(200);
    expect(await storedPolicy(name)).toBe(open);
  });

  it.each([
    ["Principal \"*\"", policy(readBy("*"))],
    ["Principal {\"AWS\": \"*\"}", policy(readBy({ AWS: "*" }))],
    ["NotPrincipal", policy({ Effect: "Allow", NotPrincipal: { AWS: "444455556666" }, Action: "secretsmanager:*", Resource: "*" })],
    ["a wildcard principal with an IfExists condition", policy(readBy("*", { Condition: { StringEqualsIfExists: { "aws:PrincipalAccount": ACCOUNT } } }))],
  ])("with BlockPublicPolicy, a policy granting %s returns PublicPolicyException and keeps the old policy", async (_title, document) => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ });
    const res = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: document, BlockPublicPolicy: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "PublicPolicyException", Message: PUBLIC });
    expect(await storedPolicy(name)).toBe(ACCOUNT_READ);
  });

  it("with BlockPublicPolicy, a wildcard principal pinned to an account by a condition is accepted", async () => {
    const name = uniqueName();
    await createSecret(name);
    const pinned = policy(readBy("*", { Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } }));
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: pinned, BlockPublicPolicy: true })).status).toBe(200);
  });

  it("a wildcard Deny is not public", async () => {
    const name = uniqueName();
    await createSecret(name);
    const deny = policy({ Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*" });
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: deny, BlockPublicPolicy: true })).status).toBe(200);
  });

  it.each([
    ["text that is not JSON", '{"Version": "2012-10-17",', "This policy has invalid syntax."],
    ["a JSON array", "[]", "This policy has invalid syntax."],
    ["a document without Statement", JSON.stringify({ Version: "2012-10-17" }), "This policy has invalid syntax."],
    ["a statement without Principal", policy({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }), "Missing required field Principal"],
    ["an unsupported principal", policy(readBy({ AWS: "someone" })), "This resource policy contains an unsupported principal."],
    ["a statement without Action", policy({ Effect: "Allow", Principal: "*", Resource: "*" }), "Policy statement must contain actions."],
    ["an action without a vendor prefix", policy({ Effect: "Allow", Principal: "*", Action: "GetSecretValue", Resource: "*" }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
    ["a Resource that is not an ARN", policy({ Effect: "Allow", Principal: "*", Action: "secretsmanager:*", Resource: "my-secret" }), 'Resource my-secret must be in ARN format or "*".'],
  ])("%s returns MalformedPolicyDocumentException and changes nothing", async (_title, document, message) => {
    const name = uniqueName();
    await createSecret(name);
    const res = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: document });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "MalformedPolicyDocumentException", Message: message });
    expect(await storedPolicy(name)).toBeUndefined();
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    const res = await sm("PutResourcePolicy", { SecretId: uniqueName("missing"), ResourcePolicy: ACCOUNT_READ });
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("a secret marked for deletion returns InvalidRequestException", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const res = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ });
    expect(res.body).toEqual({ __type: "InvalidRequestException", Message: "You can't perform this operation on the secret because it was marked for deletion." });
  });

  it("an empty policy, or one over 20480 characters, returns ValidationException", async () => {
    const name = uniqueName();
    await createSecret(name);
    const empty = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: "" });
    expect(empty.body.__type).toBe("ValidationException");
    expect(empty.body.Message).toContain("at 'resourcePolicy' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const long = await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: " ".repeat(20481) });
    expect(long.body.Message).toContain("Member must have length less than or equal to 20480");
  });

  it("is kept in the secret's object and never reaches the D1 index; the index revision does not move", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    const stub = env.SECRETS.get(env.SECRETS.idFromName(`${ACCOUNT}/us-east-1/${name}`));
    const before = await stub.indexSnapshot();
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ });
    const after = await stub.indexSnapshot();
    expect(after.row?.revision).toBe(before.row?.revision);
    expect(JSON.stringify(after.row)).not.toContain("secretsmanager:GetSecretValue");
    const stored = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("SELECT resource_policy FROM secret").one().resource_policy);
    expect(stored).toBe(ACCOUNT_READ);
    const indexed = await env.DB.prepare("SELECT * FROM secrets WHERE arn = ?").bind(created.ARN).first();
    expect(JSON.stringify(indexed ?? {})).not.toContain("GetSecretValue");
  });
});
