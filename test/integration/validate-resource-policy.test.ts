// ValidateResourcePolicy through the Worker: PolicyValidationPassed and ValidationErrors (CheckName, ErrorMessage)
// from the three documented checks: syntax, broad access and caller lockout (the last only with a SecretId).
// Nothing is stored. A document that is not JSON fails the syntax check rather than raising
// MalformedPolicyDocumentException (docs/parity.md).
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/authz";
import { errorOf, sm, token } from "../support/sm";

const ACCOUNT = "111122223333";
const uniqueName = (prefix = "validate-policy") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ACCOUNT_READ = policy({ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:GetSecretValue", Resource: "*" });
const PUBLIC = policy({ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" });

async function createSecret(name: string) {
  const res = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
  expect(res.status).toBe(200);
  return res.body as { ARN: string; Name: string };
}

describe("ValidateResourcePolicy without a SecretId", () => {
  it("a sound policy passes with no ValidationErrors", async () => {
    const res = await sm("ValidateResourcePolicy", { ResourcePolicy: ACCOUNT_READ });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ PolicyValidationPassed: true, ValidationErrors: [] });
  });

  it("a policy granting every principal fails the broad-access check, naming the statement", async () => {
    const res = await sm("ValidateResourcePolicy", { ResourcePolicy: PUBLIC });
    expect(res.body.PolicyValidationPassed).toBe(false);
    expect(res.body.ValidationErrors).toEqual([{ CheckName: CHECKS.broadAccess, ErrorMessage: expect.stringContaining('Statement 0 (Sid "Everyone") allows broad access') }]);
  });

  it("text that is not JSON fails the syntax check (a ValidationError, not MalformedPolicyDocumentException)", async () => {
    const res = await sm("ValidateResourcePolicy", { ResourcePolicy: "{not json" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ PolicyValidationPassed: false, ValidationErrors: [{ CheckName: CHECKS.syntax, ErrorMessage: "The policy is not valid JSON." }] });
  });

  it("each grammar problem is its own syntax error", async () => {
    const res = await sm("ValidateResourcePolicy", {
      ResourcePolicy: policy({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }, { Effect: "Maybe", Principal: "*", Action: "secretsmanager:*", Resource: "*" }),
    });
    expect(res.body.PolicyValidationPassed).toBe(false);
    expect(res.body.ValidationErrors.map((e: { CheckName: string }) => e.CheckName)).toEqual([CHECKS.syntax, CHECKS.syntax]);
  });

  it("an empty policy returns ValidationException", async () => {
    expect(errorOf(await sm("ValidateResourcePolicy", { ResourcePolicy: "" })).code).toBe("ValidationException");
  });
});

describe("ValidateResourcePolicy with a SecretId", () => {
  it("a sound policy passes and nothing is attached", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    expect((await sm("ValidateResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ })).body).toEqual({ PolicyValidationPassed: true, ValidationErrors: [] });
    expect((await sm("GetResourcePolicy", { SecretId: name })).body).toEqual({ ARN: created.ARN, Name: name });
  });

  it("a policy that would lock the caller out of PutResourcePolicy fails the lockout check", async () => {
    const name = uniqueName();
    await createSecret(name);
    const lockout = policy({ Effect: "Deny", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:PutResourcePolicy", Resource: "*" });
    const res = await sm("ValidateResourcePolicy", { SecretId: name, ResourcePolicy: lockout });
    expect(res.body.PolicyValidationPassed).toBe(false);
    expect(res.body.ValidationErrors).toEqual([
      {
        CheckName: CHECKS.lockout,
        ErrorMessage: `This policy would lock out arn:aws:iam::${ACCOUNT}:root: it could no longer call secretsmanager:PutResourcePolicy on the secret (with an explicit deny in a resource-based policy).`,
      },
    ]);
  });

  it("reports a broad-access problem and a lockout together", async () => {
    const name = uniqueName();
    await createSecret(name);
    const both = policy(
      { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" },
      { Effect: "Deny", Principal: "*", Action: "secretsmanager:PutResourcePolicy", Resource: "*" },
    );
    const res = await sm("ValidateResourcePolicy", { SecretId: name, ResourcePolicy: both });
    expect(res.body.ValidationErrors.map((e: { CheckName: string }) => e.CheckName)).toEqual([CHECKS.broadAccess, CHECKS.lockout]);
  });

  it("needs secretsmanager:PutResourcePolicy on the secret as well as ValidateResourcePolicy", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", {
      SecretId: name,
      ResourcePolicy: policy({ Effect: "Deny", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/no-vault` }, Action: "secretsmanager:PutResourcePolicy", Resource: "*" }),
    });
    const res = await sm("ValidateResourcePolicy", { SecretId: name, ResourcePolicy: ACCOUNT_READ }, { accessKeyId: "AKIDNOVAULT" });
    expect(errorOf(res)).toEqual({
      code: "AccessDeniedException",
      message: `User: arn:aws:iam::${ACCOUNT}:user/no-vault is not authorized to perform: secretsmanager:PutResourcePolicy on resource: ${name} with an explicit deny in a resource-based policy`,
    });
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    const res = await sm("ValidateResourcePolicy", { SecretId: uniqueName("missing"), ResourcePolicy: ACCOUNT_READ });
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("an invalid SecretId returns ValidationException (E9–E48)", async () => {
    expect(errorOf(await sm("ValidateResourcePolicy", { SecretId: "Inv Name", ResourcePolicy: ACCOUNT_READ }))).toEqual({
      code: "ValidationException",
      message: "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
    });
  });
});
