// GetResourcePolicy through the Worker: ARN, Name and the policy text exactly as PutResourcePolicy received it
// (reference/aws-behaviour.md §4: a string, Version and Statement as sent); ResourcePolicy absent without a policy.
import { describe, expect, it } from "vitest";
import { errorOf, sm, token } from "../support/sm";

const uniqueName = (prefix = "get-policy") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const NOT_FOUND = { __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." };
const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

async function createSecret(name: string) {
  const res = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
  expect(res.status).toBe(200);
  return res.body as { ARN: string; Name: string };
}

// The API reference's example policy, with its line breaks.
const EXAMPLE =
  '{\n"Version":"2012-10-17",\n"Statement":[{\n"Effect":"Allow",\n"Principal":{\n"AWS":"arn:aws:iam::123456789012:root"\n},\n"Action":"secretsmanager:GetSecretValue",\n"Resource":"*"\n}]\n}';

describe("GetResourcePolicy", () => {
  it("without a policy returns ARN and Name and no ResourcePolicy key", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    const res = await sm("GetResourcePolicy", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
  });

  it("returns the policy as the exact string that was put, whitespace and key order included", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: EXAMPLE })).status).toBe(200);
    const res = await sm("GetResourcePolicy", { SecretId: name });
    expect(res.body).toEqual({ ARN: created.ARN, Name: name, ResourcePolicy: EXAMPLE });
    expect(typeof res.body.ResourcePolicy).toBe("string");
  });

  it("resolves by full and partial ARN", async () => {
    const name = uniqueName();
    const created = await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: EXAMPLE });
    expect((await sm("GetResourcePolicy", { SecretId: created.ARN })).body.ResourcePolicy).toBe(EXAMPLE);
    expect((await sm("GetResourcePolicy", { SecretId: created.ARN.slice(0, -7) })).body.ResourcePolicy).toBe(EXAMPLE);
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    expect((await sm("GetResourcePolicy", { SecretId: uniqueName("missing") })).body).toEqual(NOT_FOUND);
  });

  it("an ARN with another suffix (an earlier incarnation) returns ResourceNotFoundException", async () => {
    const created = await createSecret(uniqueName());
    const wrong = created.ARN.replace(/-[A-Za-z0-9]{6}$/, created.ARN.endsWith("-AAAAAA") ? "-BBBBBB" : "-AAAAAA");
    expect((await sm("GetResourcePolicy", { SecretId: wrong })).body).toEqual(NOT_FOUND);
  });

  it("a secret marked for deletion returns InvalidRequestException (it answers only Describe, Restore and Delete)", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: EXAMPLE });
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    expect((await sm("GetResourcePolicy", { SecretId: name })).body).toEqual({
      __type: "InvalidRequestException",
      Message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    await sm("RestoreSecret", { SecretId: name });
    expect((await sm("GetResourcePolicy", { SecretId: name })).body.ResourcePolicy).toBe(EXAMPLE);
  });

  it("an invalid name returns ValidationException before the lookup (E9–E48)", async () => {
    expect(errorOf(await sm("GetResourcePolicy", { SecretId: " Inv*Name? " }))).toEqual({ code: "ValidationException", message: INVALID_NAME });
  });

  it("a secret recreated after a forced delete has no policy", async () => {
    const name = uniqueName();
    await createSecret(name);
    await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: EXAMPLE });
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    const recreated = await createSecret(name);
    expect((await sm("GetResourcePolicy", { SecretId: name })).body).toEqual({ ARN: recreated.ARN, Name: name });
  });
});
