// DeleteSecret through the Worker: recovery windows, forced deletion, and what a secret marked for deletion
// still answers (reference/aws-behaviour.md §4, §7, E5, E56, E57).
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

const DAY = 86_400;
const MARKED = {
  __type: "InvalidRequestException",
  Message: "You can't perform this operation on the secret because it was marked for deletion.",
};
const NOT_FOUND = { __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." };
const nowSeconds = () => Date.now() / 1000;

// Every secret here carries the tag t=1, so UntagResource has one to remove.
const createTagged = (name: string) => createSecret(name, "v1", { Tags: [{ Key: "t", Value: "1" }] });

describe("DeleteSecret", () => {
  it("without a window schedules deletion 30 days out and returns exactly ARN, Name and DeletionDate", async () => {
    const name = uniqueName("delete");
    const created = await createTagged(name);
    const res = await sm("DeleteSecret", { SecretId: name });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "DeletionDate", "Name"]);
    expect(res.body).toMatchObject({ ARN: created.ARN, Name: name });
    expect(Math.abs(res.body.DeletionDate - (nowSeconds() + 30 * DAY))).toBeLessThan(60);
  });

  it.each([7, 30])("accepts a RecoveryWindowInDays of %i", async (days) => {
    const name = uniqueName("delete");
    await createTagged(name);
    const res = await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: days });
    expect(res.status).toBe(200);
    expect(Math.abs(res.body.DeletionDate - (nowSeconds() + days * DAY))).toBeLessThan(60);
  });

  it.each([6, 31])("a RecoveryWindowInDays of %i returns InvalidParameterException and deletes nothing", async (days) => {
    const name = uniqueName("delete");
    await createTagged(name);
    const res = await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: days });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect((await sm("GetSecretValue", { SecretId: name })).status).toBe(200);
  });

  it("RecoveryWindowInDays together with ForceDeleteWithoutRecovery returns InvalidParameterException", async () => {
    const name = uniqueName("delete");
    await createTagged(name);
    const res = await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect((await sm("GetSecretValue", { SecretId: name })).status).toBe(200);
  });

  it("ForceDeleteWithoutRecovery removes the secret at once; DeletionDate is now", async () => {
    const name = uniqueName("delete");
    const created = await createTagged(name);
    const res = await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ARN: created.ARN, Name: name });
    expect(Math.abs(res.body.DeletionDate - nowSeconds())).toBeLessThan(60);
    expect((await sm("DescribeSecret", { SecretId: name })).body).toEqual(NOT_FOUND);
  });

  it("ForceDeleteWithoutRecovery of a secret that does not exist answers 200 with Name, an ARN and DeletionDate", async () => {
    const name = uniqueName("never-existed");
    const res = await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    expect(res.status).toBe(200);
    expect(res.body.Name).toBe(name);
    expect(typeof res.body.DeletionDate).toBe("number");
    // LS-T test_delete_non_existent_secret_returns_as_if_secret_exists (AWS-validated) asserts an ARN is returned.
    expect(typeof res.body.ARN).toBe("string");
  });

  it("a secret that does not exist, without force, returns ResourceNotFoundException", async () => {
    const res = await sm("DeleteSecret", { SecretId: uniqueName("missing") });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(NOT_FOUND);
  });

  it("ForceDeleteWithoutRecovery of a secret already scheduled for deletion removes it", async () => {
    const name = uniqueName("delete");
    const created = await createTagged(name);
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const res = await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "DeletionDate", "Name"]);
    expect(res.body.ARN).toBe(created.ARN);
    expect((await sm("DescribeSecret", { SecretId: name })).body).toEqual(NOT_FOUND);
  });

  it("DeleteSecret again without force on a secret scheduled for deletion returns InvalidRequestException", async () => {
    const name = uniqueName("delete");
    await createTagged(name);
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const deletedDate = (await sm("DescribeSecret", { SecretId: name })).body.DeletedDate;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await sm("DeleteSecret", { SecretId: name });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidRequestException");
    expect((await sm("DescribeSecret", { SecretId: name })).body.DeletedDate).toBe(deletedDate);
  });

  it("deleting by full ARN and by partial ARN works", async () => {
    for (const idOf of [(arn: string) => arn, (arn: string) => arn.slice(0, -7)]) {
      const name = uniqueName("delete");
      const created = await createTagged(name);
      const res = await sm("DeleteSecret", { SecretId: idOf(created.ARN), RecoveryWindowInDays: 7 });
      expect(res.status).toBe(200);
      expect(res.body.ARN).toBe(created.ARN);
    }
  });

  describe("while scheduled for deletion", () => {
    it("DescribeSecret works and shows DeletedDate", async () => {
      const name = uniqueName("delete");
      await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("DescribeSecret", { SecretId: name });
      expect(res.status).toBe(200);
      expect(Math.abs(res.body.DeletedDate - nowSeconds())).toBeLessThan(60);
    });

    it("ListSecretVersionIds works, as a metadata read (no InvalidRequestException in the model)", async () => {
      const name = uniqueName("delete");
      const created = await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("ListSecretVersionIds", { SecretId: name });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ARN: created.ARN, Name: name, Versions: [{ VersionId: created.VersionId, VersionStages: ["AWSCURRENT"] }] });
    });

    it("the operations that change the secret or read its value return InvalidRequestException", async () => {
      const name = uniqueName("delete");
      const created = await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      const calls: [string, Record<string, unknown>][] = [
        ["GetSecretValue", { SecretId: name }],
        ["PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() }],
        ["UpdateSecret", { SecretId: name, Description: "d" }],
        ["UpdateSecret", { SecretId: name, SecretString: "v2", ClientRequestToken: token() }],
        ["TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "v" }] }],
        ["UntagResource", { SecretId: name, TagKeys: ["t"] }],
        ["UpdateSecretVersionStage", { SecretId: name, VersionStage: "CUSTOM", MoveToVersionId: created.VersionId }],
      ];
      for (const [op, input] of calls) {
        const res = await sm(op, input);
        expect({ op, status: res.status, body: res.body }).toEqual({ op, status: 400, body: MARKED });
      }
    });

    it("CreateSecret of the same name returns InvalidRequestException", async () => {
      const name = uniqueName("delete");
      await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("CreateSecret", { Name: name, SecretString: "again", ClientRequestToken: token() });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
      });
    });

    it("RestoreSecret clears the deletion and the secret answers again", async () => {
      const name = uniqueName("delete");
      await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      expect((await sm("RestoreSecret", { SecretId: name })).status).toBe(200);
      expect(await sm("DescribeSecret", { SecretId: name }).then((r) => r.body)).not.toHaveProperty("DeletedDate");
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v1");
    });
  });
});
