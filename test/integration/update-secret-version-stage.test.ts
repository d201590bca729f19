// UpdateSecretVersionStage through the Worker: every label-move sequence AWS recorded (reference/aws-behaviour.md §5),
// checked through ListSecretVersionIds and GetSecretValue with labels compared as sets, and its errors (E61).
import { describe, expect, it } from "vitest";
import { createSecret, expectVersions, putValue, sortedLabels, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

async function move(secretId: string, stage: string, removeFrom?: string, moveTo?: string) {
  const res = await sm("UpdateSecretVersionStage", { SecretId: secretId, VersionStage: stage, RemoveFromVersionId: removeFrom, MoveToVersionId: moveTo });
  expect(res.status).toBe(200);
  return res;
}

async function expectValue(secretId: string, query: Record<string, string>, versionId: string, value: string, stages: string[]) {
  const res = await sm("GetSecretValue", { SecretId: secretId, ...query });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ VersionId: versionId, SecretString: value });
  expect(sortedLabels(res.body.VersionStages)).toEqual(sortedLabels(stages));
}

describe("UpdateSecretVersionStage", () => {
  it("moving AWSCURRENT returns exactly ARN and Name", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S0")).VersionId;
    const v2 = (await putValue(name, "S1", ["AWSPENDING"])).VersionId;
    const res = await move(name, "AWSCURRENT", v1, v2);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "Name"]);
    expect(res.body.Name).toBe(name);
  });

  it("promoting AWSPENDING keeps AWSPENDING on the new current version; the next PutSecretValue drops it", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S0")).VersionId;
    const v2 = (await putValue(name, "S1", ["AWSPENDING"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2]: ["AWSPENDING"] });
    await move(name, "AWSCURRENT", v1, v2);
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSPENDING"] });
    const v3 = (await putValue(name, "S2")).VersionId;
    await expectVersions(name, { [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
  });

  it("a rotation cycle: AWSPENDING moves to the next pending version, and AWSCURRENT to it", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S1")).VersionId;
    const v2 = (await putValue(name, "S2", ["AWSPENDING"])).VersionId;
    await expectValue(name, {}, v1, "S1", ["AWSCURRENT"]);
    await move(name, "AWSCURRENT", v1, v2);
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSPENDING"] });
    await expectValue(name, {}, v2, "S2", ["AWSCURRENT", "AWSPENDING"]);

    const v3 = (await putValue(name, "S3", ["AWSPENDING"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT"], [v3]: ["AWSPENDING"] });
    await expectValue(name, {}, v2, "S2", ["AWSCURRENT"]);

    await move(name, "AWSCURRENT", v2, v3);
    await expectVersions(name, { [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT", "AWSPENDING"] });
    await expectValue(name, {}, v3, "S3", ["AWSCURRENT", "AWSPENDING"]);
  });

  it("custom labels stay on a version when AWSCURRENT moves off it, and AWSPREVIOUS is added beside them", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S1")).VersionId;
    const v2 = (await putValue(name, "S2", ["AWSPENDING", "AWSSOMETHING", "PUT1"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2]: ["AWSPENDING", "AWSSOMETHING", "PUT1"] });
    await move(name, "AWSCURRENT", v1, v2);
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSPENDING", "AWSSOMETHING", "PUT1"] });

    const v3 = (await putValue(name, "S3", ["AWSPENDING", "PUT2"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSSOMETHING", "PUT1"], [v3]: ["AWSPENDING", "PUT2"] });
    await move(name, "AWSCURRENT", v2, v3);
    await expectVersions(name, { [v2]: ["AWSPREVIOUS", "AWSSOMETHING", "PUT1"], [v3]: ["AWSCURRENT", "AWSPENDING", "PUT2"] });
    await expectValue(name, {}, v3, "S3", ["AWSCURRENT", "AWSPENDING", "PUT2"]);
  });

  it("a version that loses AWSPREVIOUS stays listed while it still holds a custom label", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S0")).VersionId;
    const v2 = (await putValue(name, "S1", ["AWSCURRENT", "PUT0"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "PUT0"] });

    const v3 = (await putValue(name, "S2", ["AWSPENDING", "PUT1"])).VersionId;
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "PUT0"], [v3]: ["AWSPENDING", "PUT1"] });
    await move(name, "AWSCURRENT", v2, v3);
    await expectVersions(name, { [v2]: ["AWSPREVIOUS", "PUT0"], [v3]: ["AWSCURRENT", "AWSPENDING", "PUT1"] });

    const v4 = (await putValue(name, "S3", ["AWSPENDING", "PUT2"])).VersionId;
    await expectVersions(name, { [v2]: ["AWSPREVIOUS", "PUT0"], [v3]: ["AWSCURRENT", "PUT1"], [v4]: ["AWSPENDING", "PUT2"] });
    await move(name, "AWSCURRENT", v3, v4);
    await expectVersions(name, { [v2]: ["PUT0"], [v3]: ["AWSPREVIOUS", "PUT1"], [v4]: ["AWSCURRENT", "AWSPENDING", "PUT2"] });
  });

  it("RemoveFromVersionId without MoveToVersionId detaches a custom label", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "SS")).VersionId;
    const v2 = (await putValue(name, "S1", ["PENDING"])).VersionId;
    await expectValue(name, { VersionId: v2 }, v2, "S1", ["PENDING"]);
    await move(name, "AWSCURRENT", v1, v2);
    await expectValue(name, { VersionId: v1 }, v1, "SS", ["AWSPREVIOUS"]);
    await expectValue(name, { VersionId: v2 }, v2, "S1", ["AWSCURRENT", "PENDING"]);
    await move(name, "PENDING", v2);
    await expectValue(name, { VersionId: v1 }, v1, "SS", ["AWSPREVIOUS"]);
    await expectValue(name, { VersionId: v2 }, v2, "S1", ["AWSCURRENT"]);
  });

  it("after a manual promotion GetSecretValue by AWSPREVIOUS returns the old current value", async () => {
    const name = uniqueName("stage");
    await sm("CreateSecret", { Name: name });
    const v1 = (await putValue(name, "old", ["AWSCURRENT"])).VersionId;
    const v2 = (await putValue(name, "new", ["AWSPENDING"])).VersionId;
    await move(name, "AWSCURRENT", v1, v2);
    await expectValue(name, {}, v2, "new", ["AWSCURRENT", "AWSPENDING"]);
    await expectValue(name, { VersionStage: "AWSPREVIOUS" }, v1, "old", ["AWSPREVIOUS"]);
  });

  it("moving a custom label onto a deprecated version lists that version again", async () => {
    const name = uniqueName("stage");
    const v1 = (await createSecret(name, "S0")).VersionId;
    const v2 = (await putValue(name, "S1")).VersionId;
    const v3 = (await putValue(name, "S2")).VersionId;
    await expectVersions(name, { [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
    await move(name, "ARCHIVED", undefined, v1);
    await expectVersions(name, { [v1]: ["ARCHIVED"], [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
  });

  describe("errors", () => {
    it("moving AWSCURRENT without RemoveFromVersionId returns InvalidParameterException naming the current version", async () => {
      const name = uniqueName("stage");
      const v1 = (await createSecret(name, "S0")).VersionId;
      const v2 = (await putValue(name, "S1", ["AWSPENDING"])).VersionId;
      const res = await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v2 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidParameterException",
        Message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1}, so you must explicitly reference that version in RemoveFromVersionId.`,
      });
      await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2]: ["AWSPENDING"] });
    });

    it("a RemoveFromVersionId that does not hold the label returns InvalidParameterException", async () => {
      const name = uniqueName("stage");
      const v1 = (await createSecret(name, "S0")).VersionId;
      const v2 = (await putValue(name, "S1", ["AWSPENDING"])).VersionId;
      const res = await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v2, MoveToVersionId: v2 });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2]: ["AWSPENDING"] });
    });

    it("a MoveToVersionId that does not exist returns InvalidParameterException", async () => {
      const name = uniqueName("stage");
      const v1 = (await createSecret(name, "S0")).VersionId;
      const res = await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v1, MoveToVersionId: token() });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      await expectVersions(name, { [v1]: ["AWSCURRENT"] });
    });

    it("removing AWSCURRENT without moving it returns InvalidParameterException", async () => {
      const name = uniqueName("stage");
      const v1 = (await createSecret(name, "S0")).VersionId;
      const res = await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v1 });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      await expectVersions(name, { [v1]: ["AWSCURRENT"] });
    });

    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("UpdateSecretVersionStage", { SecretId: uniqueName("missing"), VersionStage: "X", MoveToVersionId: token() });
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("stage");
      const v1 = (await createSecret(name, "S0")).VersionId;
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "CUSTOM", MoveToVersionId: v1 });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });

    it("a missing VersionStage returns ValidationException", async () => {
      const name = uniqueName("stage");
      await createSecret(name, "S0");
      const res = await sm("UpdateSecretVersionStage", { SecretId: name });
      expect(res.body).toEqual({
        __type: "ValidationException",
        Message: "1 validation error detected: Value null at 'versionStage' failed to satisfy constraint: Member must not be null",
      });
    });
  });
});
