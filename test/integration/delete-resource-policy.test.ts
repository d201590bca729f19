// DeleteResourcePolicy through the Worker: returns ARN and Name (reference/aws-behaviour.md §4) and removes the
// policy, so what it granted is no longer granted.
import { describe, expect, it } from "vitest";
import { sm, token } from "../support/sm";

const uniqueName = (prefix = "delete-policy") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const SHARE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "444455556666" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
});

async function createSecret(name: string, extra: Record<string, unknown> = {}) {
  const res = await sm("CreateSecret", { Name: name, SecretString: "shared-value", ClientRequestToken: token(), ...extra });
  expect(res.status).toBe(200);
  return res.body as { ARN: string; Name: string };
}

describe("DeleteResourcePolicy", () => {
  it("returns ARN and Name, and GetResourcePolicy then has no ResourcePolicy", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: SHARE });
    const res = await sm("DeleteResourcePolicy", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
    expect((await sm("GetResourcePolicy", { SecretId: name })).body).toEqual({ ARN: created.ARN, Name: name });
  });

  it("on a secret without a policy answers the same", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    expect((await sm("DeleteResourcePolicy", { SecretId: created.ARN })).body).toEqual({ ARN: created.ARN, Name: name });
  });

  it("revokes what the policy granted: another account can no longer read by ARN", async () => {
    const name = uniqueName();
    const created = await createSecret(name, { KmsKeyId: "alias/payments" });
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: SHARE });
    expect((await sm("GetSecretValue", { SecretId: created.ARN }, { accessKeyId: "AKIDOTHERACCOUNT" })).body.SecretString).toBe("shared-value");
    await sm("DeleteResourcePolicy", { SecretId: name });
    expect((await sm("GetSecretValue", { SecretId: created.ARN }, { accessKeyId: "AKIDOTHERACCOUNT" })).body.__type).toBe("AccessDeniedException");
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    const res = await sm("DeleteResourcePolicy", { SecretId: uniqueName("missing") });
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("a secret marked for deletion returns InvalidRequestException and keeps its policy", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: SHARE });
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const res = await sm("DeleteResourcePolicy", { SecretId: name });
    expect(res.body).toEqual({ __type: "InvalidRequestException", Message: "You can't perform this operation on the secret because it was marked for deletion." });
    await sm("RestoreSecret", { SecretId: name });
    expect((await sm("GetResourcePolicy", { SecretId: name })).body.ResourcePolicy).toBe(SHARE);
  });
});
