// RestoreSecret through the Worker: cancelling a scheduled deletion (reference/aws-behaviour.md §4, §7).
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";


async function createScheduled(name: string) {
  const created = await createSecret(name, "v1", { Tags: [{ Key: "k", Value: "v" }] });
  expect((await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 })).status).toBe(200);
  return created;
}

describe("RestoreSecret", () => {
  it("returns exactly ARN and Name and removes DeletedDate", async () => {
    const name = uniqueName("restore");
    const created = await createScheduled(name);
    const res = await sm("RestoreSecret", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
    const described = await sm("DescribeSecret", { SecretId: name });
    expect(described.body).not.toHaveProperty("DeletedDate");
    expect(described.body.VersionIdsToStages).toEqual({ [created.VersionId]: ["AWSCURRENT"] });
    expect(described.body.Tags).toEqual([{ Key: "k", Value: "v" }]);
  });

  it("a restored secret accepts reads and writes again", async () => {
    const name = uniqueName("restore");
    await createScheduled(name);
    await sm("RestoreSecret", { SecretId: name });
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v1");
    const put = await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() });
    expect(put.status).toBe(200);
    expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "k2", Value: "v2" }] })).status).toBe(200);
  });

  it("a restored secret can be scheduled for deletion again", async () => {
    const name = uniqueName("restore");
    await createScheduled(name);
    await sm("RestoreSecret", { SecretId: name });
    expect((await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 })).status).toBe(200);
  });

  it("resolves by full and partial ARN", async () => {
    for (const idOf of [(arn: string) => arn, (arn: string) => arn.slice(0, -7)]) {
      const name = uniqueName("restore");
      const created = await createScheduled(name);
      const res = await sm("RestoreSecret", { SecretId: idOf(created.ARN) });
      expect(res.status).toBe(200);
      expect(res.body.ARN).toBe(created.ARN);
    }
  });

  it("RestoreSecret of a secret that is not scheduled for deletion returns ARN and Name", async () => {
    const name = uniqueName("restore");
    const created = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
    const res = await sm("RestoreSecret", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.body.ARN, Name: name });
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    const res = await sm("RestoreSecret", { SecretId: uniqueName("missing") });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("a force-deleted secret cannot be restored", async () => {
    const name = uniqueName("restore");
    await createScheduled(name);
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    const res = await sm("RestoreSecret", { SecretId: name });
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });
});
