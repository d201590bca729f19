// PutSecretValue through the Worker: new versions, the staging-label moves AWS recorded for it (reference/aws-behaviour.md §5),
// ClientRequestToken idempotency (E7, E49) and the errors it can answer. Label lists are compared as sets.
import { describe, expect, it } from "vitest";
import { createSecret, expectVersions, putValue, sortedLabels, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

const currentValue = async (secretId: string) => (await sm("GetSecretValue", { SecretId: secretId })).body;

describe("PutSecretValue", () => {
  it("a new value becomes AWSCURRENT and the old one AWSPREVIOUS; the response is ARN, Name, VersionId, VersionStages", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name)).VersionId;
    const crt = token();
    const res = await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: crt });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "Name", "VersionId", "VersionStages"]);
    expect(res.body).toMatchObject({ Name: name, VersionId: crt, VersionStages: ["AWSCURRENT"] });
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [crt]: ["AWSCURRENT"] });
    expect((await currentValue(name)).SecretString).toBe("v2");
  });

  it("a SecretBinary value round-trips", async () => {
    const name = uniqueName("put");
    await createSecret(name);
    await sm("PutSecretValue", { SecretId: name, SecretBinary: "AAEC/w==", ClientRequestToken: token() });
    const current = await currentValue(name);
    expect(current.SecretBinary).toBe("AAEC/w==");
    expect(current).not.toHaveProperty("SecretString");
  });

  it("the first version of a secret created without a value is AWSCURRENT even when other stages are requested", async () => {
    const name = uniqueName("put");
    await sm("CreateSecret", { Name: name });
    const first = await putValue(name, "first", ["CUSTOM"]);
    expect(sortedLabels(first.VersionStages)).toEqual(["AWSCURRENT", "CUSTOM"]);
    expect((await currentValue(name)).VersionId).toBe(first.VersionId);
  });

  it("custom VersionStages leave AWSCURRENT in place, move between versions, and AWSPENDING does too", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name, "secret_string_v0")).VersionId;

    const v2 = await putValue(name, "secret_string_v1", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    expect(sortedLabels(v2.VersionStages)).toEqual(["SAMPLESTAGE0", "SAMPLESTAGE1"]);
    expect(await currentValue(name)).toMatchObject({ VersionId: v1, SecretString: "secret_string_v0", VersionStages: ["AWSCURRENT"] });

    const v3 = await putValue(name, "secret_string_v2", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    expect(sortedLabels(v3.VersionStages)).toEqual(["SAMPLESTAGE0", "SAMPLESTAGE1"]);
    expect((await currentValue(name)).VersionId).toBe(v1);
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v3.VersionId]: ["SAMPLESTAGE0", "SAMPLESTAGE1"] });

    const v4 = await putValue(name, "secret_string_v3", ["AWSPENDING"]);
    expect(v4.VersionStages).toEqual(["AWSPENDING"]);
    expect((await currentValue(name)).VersionId).toBe(v1);

    const v5 = await putValue(name, "secret_string_v4");
    expect(v5.VersionStages).toEqual(["AWSCURRENT"]);
    expect(await currentValue(name)).toMatchObject({ VersionId: v5.VersionId, SecretString: "secret_string_v4" });
    await expectVersions(name, {
      [v1]: ["AWSPREVIOUS"],
      [v3.VersionId]: ["SAMPLESTAGE0", "SAMPLESTAGE1"],
      [v4.VersionId]: ["AWSPENDING"],
      [v5.VersionId]: ["AWSCURRENT"],
    });
  });

  it("a version that loses every custom label to a newer one is no longer listed", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name)).VersionId;
    const v2 = await putValue(name, "v2", ["one", "two", "three"]);
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2.VersionId]: ["one", "two", "three"] });
    const v3 = await putValue(name, "v3", ["one", "two", "three", "four"]);
    expect(sortedLabels(v3.VersionStages)).toEqual(["four", "one", "three", "two"]);
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v3.VersionId]: ["four", "one", "three", "two"] });
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2.VersionId]: null, [v3.VersionId]: ["four", "one", "three", "two"] }, { includeDeprecated: true });
  });

  it("a version keeps the custom labels a newer version did not take", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name)).VersionId;
    const v2 = await putValue(name, "v2", ["one", "two", "three"]);
    const v3 = await putValue(name, "v3", ["one", "two", "four"]);
    await expectVersions(name, { [v1]: ["AWSCURRENT"], [v2.VersionId]: ["three"], [v3.VersionId]: ["four", "one", "two"] });
  });

  it("an explicit AWSCURRENT in VersionStages moves AWSPREVIOUS to the old current version", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name, "S0")).VersionId;
    const v2 = await putValue(name, "S1", ["AWSCURRENT", "PUT0"]);
    expect(sortedLabels(v2.VersionStages)).toEqual(["AWSCURRENT", "PUT0"]);
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2.VersionId]: ["AWSCURRENT", "PUT0"] });
  });

  it("a new current value drops AWSPENDING from the version that held AWSCURRENT and AWSPENDING", async () => {
    const name = uniqueName("put");
    const v1 = (await createSecret(name)).VersionId;
    const v2 = (await putValue(name, "v2", ["AWSPENDING"])).VersionId;
    await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v1, MoveToVersionId: v2 });
    await expectVersions(name, { [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSPENDING"] });
    const v3 = await putValue(name, "v3");
    expect(v3.VersionStages).toEqual(["AWSCURRENT"]);
    await expectVersions(name, { [v2]: ["AWSPREVIOUS"], [v3.VersionId]: ["AWSCURRENT"] });
  });

  it("a new version advances the secret's LastChangedDate", async () => {
    const name = uniqueName("put");
    await createSecret(name);
    const before = (await sm("DescribeSecret", { SecretId: name })).body.LastChangedDate;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await putValue(name, "v2");
    expect((await sm("DescribeSecret", { SecretId: name })).body.LastChangedDate).toBeGreaterThan(before);
  });

  describe("ClientRequestToken", () => {
    it("a retry with the same token and value is a no-op returning the same VersionId and its stages", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      const request = { SecretId: name, SecretString: "v2", ClientRequestToken: token() };
      const first = await sm("PutSecretValue", request);
      const retry = await sm("PutSecretValue", request);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.body.VersionStages).toEqual(["AWSCURRENT"]);
      const all = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true });
      expect(all.body.Versions).toHaveLength(2);
    });

    it("a retry of a version that has since lost every label answers without a VersionStages key", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      const request = { SecretId: name, SecretString: "v2", ClientRequestToken: token() };
      await sm("PutSecretValue", request);
      await sm("PutSecretValue", { SecretId: name, SecretString: "v3", ClientRequestToken: token() });
      await sm("PutSecretValue", { SecretId: name, SecretString: "v4", ClientRequestToken: token() });
      const retry = await sm("PutSecretValue", request);
      expect(retry.status).toBe(200);
      expect(retry.body.VersionId).toBe(request.ClientRequestToken);
      expect(retry.body).not.toHaveProperty("VersionStages");
    });

    it("the same token with a different value returns ResourceExistsException", async () => {
      const name = uniqueName("put");
      const created = await createSecret(name);
      const crt = token();
      await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: crt });
      const res = await sm("PutSecretValue", { SecretId: name, SecretString: "other", ClientRequestToken: crt });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "ResourceExistsException",
        Message: `You can't use ClientRequestToken ${crt} because that value is already in use for a version of secret ${created.ARN}.`,
      });
      expect((await currentValue(name)).SecretString).toBe("v2");
    });

    it("the token of the first version with a different value returns ResourceExistsException", async () => {
      const name = uniqueName("put");
      const created = await createSecret(name, "v1");
      const res = await sm("PutSecretValue", { SecretId: name, SecretString: "changed", ClientRequestToken: created.VersionId });
      expect(res.body).toEqual({
        __type: "ResourceExistsException",
        Message: `You can't use ClientRequestToken ${created.VersionId} because that value is already in use for a version of secret ${created.ARN}.`,
      });
    });

    it("a raw request with a value and without ClientRequestToken returns InvalidRequestException", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      const res = await sm("PutSecretValue", { SecretId: name, SecretString: "v2" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
      });
    });

    it("a raw request without ClientRequestToken is refused before the secret is looked up", async () => {
      const res = await sm("PutSecretValue", { SecretId: uniqueName("missing"), SecretString: "v" });
      expect(res.body.__type).toBe("InvalidRequestException");
    });
  });

  describe("errors", () => {
    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("PutSecretValue", { SecretId: uniqueName("missing"), SecretString: "v", ClientRequestToken: token() });
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("a request with neither SecretString nor SecretBinary returns InvalidRequestException", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      const res = await sm("PutSecretValue", { SecretId: name, ClientRequestToken: token() });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidRequestException");
    });

    it("a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("PutSecretValue", { SecretId: name, SecretString: "v", ClientRequestToken: token() });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });

    it("more than 20 VersionStages returns ValidationException", async () => {
      const name = uniqueName("put");
      await createSecret(name);
      const stages = Array.from({ length: 21 }, (_, i) => `S${i}`);
      const res = await sm("PutSecretValue", { SecretId: name, SecretString: "v", ClientRequestToken: token(), VersionStages: stages });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("ValidationException");
    });
  });
});
