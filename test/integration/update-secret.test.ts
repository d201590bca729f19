// UpdateSecret through the Worker: metadata-only updates (no VersionId), new values, ClientRequestToken idempotency
// (E8, E49), KMS key changes and the errors it can answer. reference/aws-behaviour.md §2, §4, §5.
import { describe, expect, it } from "vitest";
import { createSecret, readIndexRow, uniqueName, waitUntilIndexed } from "../support/fixtures";
import { sm, token } from "../support/sm";

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

const describeSecret = async (secretId: string) => (await sm("DescribeSecret", { SecretId: secretId })).body;
const versionCount = async (secretId: string) =>
  (await sm("ListSecretVersionIds", { SecretId: secretId, IncludeDeprecated: true })).body.Versions.length as number;

describe("UpdateSecret", () => {
  it("a Description-only update returns ARN and Name without VersionId and creates no version", async () => {
    const name = uniqueName("update");
    const created = await createSecret(name);
    const res = await sm("UpdateSecret", { SecretId: name, Description: "MyDescription" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
    const described = await describeSecret(name);
    expect(described.Description).toBe("MyDescription");
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId]: ["AWSCURRENT"] });
  });

  it("an update with no changes returns ARN and Name", async () => {
    const name = uniqueName("update");
    const created = await createSecret(name);
    const res = await sm("UpdateSecret", { SecretId: name });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name });
    expect(await versionCount(name)).toBe(1);
  });

  it("a new value returns ARN, Name and VersionId and becomes AWSCURRENT", async () => {
    const name = uniqueName("update");
    const created = await createSecret(name);
    const crt = token();
    const res = await sm("UpdateSecret", { SecretId: name, SecretString: "v2", ClientRequestToken: crt, Description: "MyNewDescription" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ARN: created.ARN, Name: name, VersionId: crt });
    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body).toMatchObject({ VersionId: crt, SecretString: "v2", VersionStages: ["AWSCURRENT"] });
    const described = await describeSecret(name);
    expect(described.Description).toBe("MyNewDescription");
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId]: ["AWSPREVIOUS"], [crt]: ["AWSCURRENT"] });
  });

  it("two value updates leave the first version out of VersionIdsToStages", async () => {
    const name = uniqueName("update");
    await createSecret(name);
    const v2 = (await sm("UpdateSecret", { SecretId: name, SecretString: "v2", ClientRequestToken: token() })).body.VersionId;
    const v3 = (await sm("UpdateSecret", { SecretId: name, SecretString: "v3", ClientRequestToken: token() })).body.VersionId;
    expect((await describeSecret(name)).VersionIdsToStages).toEqual({ [v2]: ["AWSPREVIOUS"], [v3]: ["AWSCURRENT"] });
  });

  it("a SecretBinary update round-trips", async () => {
    const name = uniqueName("update");
    await createSecret(name);
    await sm("UpdateSecret", { SecretId: name, SecretBinary: "AAEC/w==", ClientRequestToken: token() });
    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body.SecretBinary).toBe("AAEC/w==");
    expect(got.body).not.toHaveProperty("SecretString");
  });

  it("a value given to a secret created without one becomes its AWSCURRENT version", async () => {
    const name = uniqueName("update");
    await sm("CreateSecret", { Name: name });
    const crt = token();
    await sm("UpdateSecret", { SecretId: name, SecretString: "first", ClientRequestToken: crt });
    expect((await describeSecret(name)).VersionIdsToStages).toEqual({ [crt]: ["AWSCURRENT"] });
  });

  it("LastChangedDate strictly increases on every update that creates a version, even with an identical value", async () => {
    const name = uniqueName("update");
    await createSecret(name, "same");
    let last = (await describeSecret(name)).LastChangedDate;
    for (let i = 0; i < 2; i++) {
      await pause();
      await sm("UpdateSecret", { SecretId: name, SecretString: "same", ClientRequestToken: token() });
      const changed = (await describeSecret(name)).LastChangedDate;
      expect(changed).toBeGreaterThan(last);
      last = changed;
    }
  });

  it("Description and Type updates round-trip; an empty Description removes it", async () => {
    const name = uniqueName("update");
    await createSecret(name, "v", { Description: "before" });
    await sm("UpdateSecret", { SecretId: name, Description: "after", Type: "example-partner" });
    let described = await describeSecret(name);
    expect(described.Description).toBe("after");
    expect(described.Type).toBe("example-partner");
    await sm("UpdateSecret", { SecretId: name, Description: "" });
    described = await describeSecret(name);
    expect(described).not.toHaveProperty("Description");
  });

  it("Type \"\" is no type, as in CreateSecret: DescribeSecret reports none and a type already set stays", async () => {
    const name = uniqueName("update");
    await createSecret(name);
    const res = await sm("UpdateSecret", { SecretId: name, Type: "" });
    expect(res.status).toBe(200);
    expect(await describeSecret(name)).not.toHaveProperty("Type");

    const typed = uniqueName("update");
    await createSecret(typed, "v", { Type: "example-partner" });
    await sm("UpdateSecret", { SecretId: typed, Type: "" });
    expect((await describeSecret(typed)).Type).toBe("example-partner");
  });

  describe("KmsKeyId", () => {
    it("a new KmsKeyId is reported by DescribeSecret and re-encrypts the labelled versions under it", async () => {
      const name = uniqueName("update");
      await createSecret(name, "keep-me");
      const before = await sm("ListSecretVersionIds", { SecretId: name });
      expect(before.body.Versions[0].KmsKeyIds).toEqual(["DefaultEncryptionKey"]);

      const res = await sm("UpdateSecret", { SecretId: name, KmsKeyId: "alias/payments" });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("VersionId");
      expect((await describeSecret(name)).KmsKeyId).toBe("alias/payments");
      const after = await sm("ListSecretVersionIds", { SecretId: name });
      expect(after.body.Versions[0].KmsKeyIds).toHaveLength(1);
      expect(after.body.Versions[0].KmsKeyIds[0]).not.toBe("DefaultEncryptionKey");
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("keep-me");
    });

    it.each(["alias/aws/secretsmanager", "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager", ""])(
      "KmsKeyId %j (the default key) leaves DescribeSecret without KmsKeyId and the versions under DefaultEncryptionKey",
      async (kmsKeyId) => {
        const name = uniqueName("update");
        await createSecret(name, "v1");
        expect((await sm("UpdateSecret", { SecretId: name, KmsKeyId: kmsKeyId })).status).toBe(200);
        expect(await describeSecret(name)).not.toHaveProperty("KmsKeyId");

        const named = uniqueName("update");
        const created = await createSecret(named, "v1", { KmsKeyId: "alias/payments" });
        expect((await sm("UpdateSecret", { SecretId: named, KmsKeyId: kmsKeyId })).status).toBe(200);
        expect(await describeSecret(named)).not.toHaveProperty("KmsKeyId");
        await waitUntilIndexed(named);
        expect((await readIndexRow(created.ARN))?.kms_key_id).toBeNull();
        const listed = await sm("ListSecretVersionIds", { SecretId: named });
        expect(listed.body.Versions[0].KmsKeyIds).toEqual(["DefaultEncryptionKey"]);
        expect((await sm("GetSecretValue", { SecretId: named })).body.SecretString).toBe("v1");
      },
    );

    it("a KmsKeyId that names no key returns EncryptionFailure and changes nothing", async () => {
      const name = uniqueName("update");
      await createSecret(name, "v1");
      const res = await sm("UpdateSecret", { SecretId: name, KmsKeyId: "alias/does-not-exist", SecretString: "v2", ClientRequestToken: token() });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("EncryptionFailure");
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v1");
      expect(await describeSecret(name)).not.toHaveProperty("KmsKeyId");
    });
  });

  describe("ClientRequestToken", () => {
    it("a retry with the same token and value is a no-op returning VersionId = token", async () => {
      const name = uniqueName("update");
      await createSecret(name);
      const request = { SecretId: name, SecretString: "v2", ClientRequestToken: token() };
      const first = await sm("UpdateSecret", request);
      const retry = await sm("UpdateSecret", request);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.body.VersionId).toBe(request.ClientRequestToken);
      expect(await versionCount(name)).toBe(2);
    });

    it("a retry with the same token and value still applies the Description, KmsKeyId and Type it carries", async () => {
      const name = uniqueName("update");
      const created = await createSecret(name);
      const request = { SecretId: name, SecretString: "v2", ClientRequestToken: token() };
      expect((await sm("UpdateSecret", request)).status).toBe(200);
      const retry = await sm("UpdateSecret", { ...request, Description: "retried", KmsKeyId: "alias/payments", Type: "example-partner" });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ARN: created.ARN, Name: name, VersionId: request.ClientRequestToken });
      expect(await describeSecret(name)).toMatchObject({
        Description: "retried",
        KmsKeyId: "alias/payments",
        Type: "example-partner",
        VersionIdsToStages: { [created.VersionId]: ["AWSPREVIOUS"], [request.ClientRequestToken]: ["AWSCURRENT"] },
      });
      expect(await versionCount(name)).toBe(2);
      const listed = await sm("ListSecretVersionIds", { SecretId: name });
      for (const v of listed.body.Versions) expect(v.KmsKeyIds).toEqual(["alias/payments"]);
      expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("v2");
    });

    it("the same token with a different value returns ResourceExistsException and applies none of the request's changes", async () => {
      const name = uniqueName("update");
      const created = await createSecret(name);
      const crt = token();
      await sm("UpdateSecret", { SecretId: name, SecretString: "v2", ClientRequestToken: crt });
      const res = await sm("UpdateSecret", { SecretId: name, SecretString: "different", ClientRequestToken: crt, Description: "ignored" });
      expect(res.body).toEqual({
        __type: "ResourceExistsException",
        Message: `You can't use ClientRequestToken ${crt} because that value is already in use for a version of secret ${created.ARN}.`,
      });
      expect(await describeSecret(name)).not.toHaveProperty("Description");
    });

    it("the same token with a different value returns ResourceExistsException", async () => {
      const name = uniqueName("update");
      const created = await createSecret(name);
      const crt = token();
      await sm("UpdateSecret", { SecretId: name, SecretString: "v2", ClientRequestToken: crt });
      const res = await sm("UpdateSecret", { SecretId: name, SecretString: "different", ClientRequestToken: crt });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "ResourceExistsException",
        Message: `You can't use ClientRequestToken ${crt} because that value is already in use for a version of secret ${created.ARN}.`,
      });
    });

    it("a raw request with a value and without ClientRequestToken returns InvalidRequestException", async () => {
      const name = uniqueName("update");
      await createSecret(name);
      const res = await sm("UpdateSecret", { SecretId: name, SecretString: "v2" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
      });
    });

    it("a raw request without ClientRequestToken is refused before the secret is looked up", async () => {
      const res = await sm("UpdateSecret", { SecretId: uniqueName("missing"), SecretString: "v" });
      expect(res.body.__type).toBe("InvalidRequestException");
    });
  });

  describe("errors", () => {
    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("UpdateSecret", { SecretId: uniqueName("missing"), Description: "d" });
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("update");
      await createSecret(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("UpdateSecret", { SecretId: name, Description: "d" });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });
  });
});
