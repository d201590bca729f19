// DescribeSecret through the Worker: which fields appear when (reference/aws-behaviour.md §4), the dates, and
// lookup by name, full ARN and partial ARN. Never returns a value.
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

const DAY = 86_400;

const describeSecret = async (secretId: string) => {
  const res = await sm("DescribeSecret", { SecretId: secretId });
  expect(res.status).toBe(200);
  return res.body;
};

describe("DescribeSecret", () => {
  it("a fresh secret with a value has exactly ARN, CreatedDate, LastChangedDate, Name and VersionIdsToStages", async () => {
    const name = uniqueName("describe");
    const created = await createSecret(name, "never-shown");
    const body = await describeSecret(name);
    expect(Object.keys(body).sort()).toEqual(["ARN", "CreatedDate", "LastChangedDate", "Name", "VersionIdsToStages"]);
    expect(body).toMatchObject({ ARN: created.ARN, Name: name, VersionIdsToStages: { [created.VersionId]: ["AWSCURRENT"] } });
    expect(JSON.stringify(body)).not.toContain("never-shown");
  });

  it("a secret without versions has no VersionIdsToStages key, and Description \"\" gives no Description key", async () => {
    const name = uniqueName("describe");
    await sm("CreateSecret", { Name: name, Description: "" });
    const body = await describeSecret(name);
    expect(Object.keys(body).sort()).toEqual(["ARN", "CreatedDate", "LastChangedDate", "Name"]);
  });

  it("CreatedDate and LastChangedDate are epoch seconds close to now, and start together", async () => {
    const name = uniqueName("describe");
    const now = Date.now() / 1000;
    await createSecret(name);
    const body = await describeSecret(name);
    expect(typeof body.CreatedDate).toBe("number");
    expect(Math.abs(body.CreatedDate - now)).toBeLessThan(60);
    expect(Math.abs(body.LastChangedDate - body.CreatedDate)).toBeLessThan(5);
  });

  it("LastChangedDate increases on a new version while CreatedDate stays", async () => {
    const name = uniqueName("describe");
    await createSecret(name);
    const before = await describeSecret(name);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() });
    const after = await describeSecret(name);
    expect(after.LastChangedDate).toBeGreaterThan(before.LastChangedDate);
    expect(after.CreatedDate).toBe(before.CreatedDate);
  });

  it("LastAccessedDate is absent until the first GetSecretValue, then a whole UTC day", async () => {
    const name = uniqueName("describe");
    await createSecret(name);
    expect(await describeSecret(name)).not.toHaveProperty("LastAccessedDate");
    await sm("GetSecretValue", { SecretId: name });
    const accessed = (await describeSecret(name)).LastAccessedDate;
    expect(accessed % DAY).toBe(0);
    expect(Date.now() / 1000 - accessed).toBeGreaterThanOrEqual(0);
    expect(Date.now() / 1000 - accessed).toBeLessThan(DAY + 60);
  });

  it("Description, KmsKeyId and Type appear once set; the default key is never reported as KmsKeyId", async () => {
    const name = uniqueName("describe");
    await createSecret(name, "v1", { Description: "the db", KmsKeyId: "alias/payments", Type: "example-partner" });
    const body = await describeSecret(name);
    expect(body).toMatchObject({ Description: "the db", KmsKeyId: "alias/payments", Type: "example-partner" });

    const plain = uniqueName("describe");
    await createSecret(plain);
    const plainBody = await describeSecret(plain);
    expect(plainBody).not.toHaveProperty("KmsKeyId");
    expect(plainBody).not.toHaveProperty("Type");
    expect(plainBody).not.toHaveProperty("Description");

    // Named explicitly, by alias or alias ARN, the default key is still omitted (model: DescribeSecretResponse.KmsKeyId).
    for (const kmsKeyId of ["alias/aws/secretsmanager", "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"]) {
      const explicit = uniqueName("describe");
      await createSecret(explicit, "v1", { KmsKeyId: kmsKeyId });
      expect(await describeSecret(explicit)).not.toHaveProperty("KmsKeyId");
    }
  });

  it("Tags are absent until tagged, kept in insertion order, and [] after every tag is removed", async () => {
    const name = uniqueName("describe");
    await createSecret(name);
    expect(await describeSecret(name)).not.toHaveProperty("Tags");
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "tag1", Value: "value1" }] });
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "tag2", Value: "value2" }] });
    expect((await describeSecret(name)).Tags).toEqual([
      { Key: "tag1", Value: "value1" },
      { Key: "tag2", Value: "value2" },
    ]);
    await sm("UntagResource", { SecretId: name, TagKeys: ["tag1"] });
    expect((await describeSecret(name)).Tags).toEqual([{ Key: "tag2", Value: "value2" }]);
    await sm("UntagResource", { SecretId: name, TagKeys: ["tag2"] });
    expect((await describeSecret(name)).Tags).toEqual([]);
  });

  it("VersionIdsToStages maps only labelled versions", async () => {
    const name = uniqueName("describe");
    await createSecret(name);
    const v2 = (await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() })).body.VersionId;
    const v3 = (await sm("PutSecretValue", { SecretId: name, SecretString: "v3", ClientRequestToken: token() })).body.VersionId;
    expect((await describeSecret(name)).VersionIdsToStages).toEqual({ [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
  });

  it("a secret scheduled for deletion is still described, with DeletedDate", async () => {
    const name = uniqueName("describe");
    const created = await createSecret(name);
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const body = await describeSecret(name);
    expect(Object.keys(body).sort()).toEqual(["ARN", "CreatedDate", "DeletedDate", "LastChangedDate", "Name", "VersionIdsToStages"]);
    expect(body.VersionIdsToStages).toEqual({ [created.VersionId]: ["AWSCURRENT"] });
    expect(Math.abs(body.DeletedDate - Date.now() / 1000)).toBeLessThan(60);
  });

  it("resolves by name, full ARN and partial ARN", async () => {
    const name = uniqueName("describe");
    const created = await createSecret(name);
    for (const id of [name, created.ARN, created.ARN.slice(0, -7)]) {
      expect((await describeSecret(id)).ARN).toBe(created.ARN);
    }
  });

  it("a secret that does not exist returns ResourceNotFoundException", async () => {
    const res = await sm("DescribeSecret", { SecretId: uniqueName("missing") });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("a force-deleted secret returns ResourceNotFoundException", async () => {
    const name = uniqueName("describe");
    await createSecret(name);
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    const res = await sm("DescribeSecret", { SecretId: name });
    expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
  });

  it("an ARN in another account returns AccessDeniedException", async () => {
    const created = await createSecret(uniqueName("describe"));
    const res = await sm("DescribeSecret", { SecretId: created.ARN.replace(":111122223333:", ":444455556666:") });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("AccessDeniedException");
  });
});
