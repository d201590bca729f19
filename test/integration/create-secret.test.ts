// CreateSecret through the Worker: response shapes, ClientRequestToken idempotency, KMS keys, tags, and the
// life of a name (scheduled for deletion, reused after a forced delete, per region). reference/aws-behaviour.md §2–4.
import { describe, expect, it } from "vitest";
import { readIndexRow, uniqueName, waitUntilIndexed } from "../support/fixtures";
import { sm, token } from "../support/sm";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const arnOf = (name: string, region = "us-east-1") =>
  new RegExp(`^arn:aws:secretsmanager:${region}:111122223333:secret:${escape(name)}-[A-Za-z0-9]{6}$`);

describe("CreateSecret", () => {
  it("CreateSecret with a SecretString returns exactly ARN, Name and VersionId, and the VersionId is the ClientRequestToken", async () => {
    const name = uniqueName("create");
    const crt = token();
    const res = await sm("CreateSecret", { Name: name, SecretString: "s3cr3t", ClientRequestToken: crt });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "Name", "VersionId"]);
    expect(res.body.Name).toBe(name);
    expect(res.body.VersionId).toBe(crt);
    expect(res.body.ARN).toMatch(arnOf(name));

    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body.SecretString).toBe("s3cr3t");
    expect(got.body.VersionStages).toEqual(["AWSCURRENT"]);
  });

  it("CreateSecret without a value returns only ARN and Name and creates no version", async () => {
    const name = uniqueName("create");
    const res = await sm("CreateSecret", { Name: name, Description: "" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "Name"]);

    const described = await sm("DescribeSecret", { SecretId: name });
    expect(Object.keys(described.body).sort()).toEqual(["ARN", "CreatedDate", "LastChangedDate", "Name"]);
    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body).toEqual({
      __type: "ResourceNotFoundException",
      Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });

  it("CreateSecret without a value needs no ClientRequestToken", async () => {
    const res = await sm("CreateSecret", { Name: uniqueName("create") });
    expect(res.status).toBe(200);
    expect(res.body.VersionId).toBeUndefined();
  });

  it("CreateSecret with SecretBinary stores the bytes, returned base64-encoded by GetSecretValue", async () => {
    const name = uniqueName("create");
    const res = await sm("CreateSecret", { Name: name, SecretBinary: "Zm9vdGVzdA==", ClientRequestToken: token() });
    expect(res.status).toBe(200);
    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body.SecretBinary).toBe("Zm9vdGVzdA==");
    expect(got.body).not.toHaveProperty("SecretString");
  });

  it("CreateSecret of a name that already exists returns ResourceExistsException", async () => {
    const name = uniqueName("create");
    await sm("CreateSecret", { Name: name, SecretString: "one", ClientRequestToken: token() });
    const again = await sm("CreateSecret", { Name: name, SecretString: "two", ClientRequestToken: token() });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      __type: "ResourceExistsException",
      Message: `The operation failed because the secret ${name} already exists.`,
    });
  });

  it("a retried CreateSecret with the same ClientRequestToken and value returns the first response and adds no version", async () => {
    const name = uniqueName("create");
    const request = { Name: name, SecretString: "same", ClientRequestToken: token() };
    const first = await sm("CreateSecret", request);
    const retry = await sm("CreateSecret", request);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    const versions = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true });
    expect(versions.body.Versions).toHaveLength(1);
  });

  it("CreateSecret with a used ClientRequestToken and a different value returns ResourceExistsException", async () => {
    const name = uniqueName("create");
    const crt = token();
    const first = await sm("CreateSecret", { Name: name, SecretString: "first", ClientRequestToken: crt });
    const second = await sm("CreateSecret", { Name: name, SecretString: "second", ClientRequestToken: crt });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({
      __type: "ResourceExistsException",
      Message: `You can't use ClientRequestToken ${crt} because that value is already in use for a version of secret ${first.body.ARN}.`,
    });
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("first");
  });

  it("a raw CreateSecret with a value and no ClientRequestToken returns InvalidRequestException and creates nothing", async () => {
    const name = uniqueName("create");
    const res = await sm("CreateSecret", { Name: name, SecretString: "v" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "InvalidRequestException",
      Message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
    });
    expect((await sm("DescribeSecret", { SecretId: name })).body.__type).toBe("ResourceNotFoundException");
  });

  it("CreateSecret of a name scheduled for deletion returns InvalidRequestException", async () => {
    const name = uniqueName("create");
    await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
    const res = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "InvalidRequestException",
      Message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
  });

  it("a name recreated after ForceDeleteWithoutRecovery gets a new ARN and VersionId; the old ARN no longer resolves", async () => {
    const name = uniqueName("create");
    const first = await sm("CreateSecret", { Name: name, SecretString: "old", ClientRequestToken: token() });
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    const second = await sm("CreateSecret", { Name: name, SecretString: "new", ClientRequestToken: token() });
    expect(second.status).toBe(200);
    expect(second.body.ARN).toMatch(arnOf(name));
    expect(second.body.ARN).not.toBe(first.body.ARN);
    expect(second.body.VersionId).not.toBe(first.body.VersionId);

    const old = await sm("GetSecretValue", { SecretId: first.body.ARN });
    expect(old.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    expect((await sm("GetSecretValue", { SecretId: second.body.ARN })).body.SecretString).toBe("new");
    // The recreated secret has none of the old one's versions.
    const versions = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true });
    expect(versions.body.Versions.map((v: { VersionId: string }) => v.VersionId)).toEqual([second.body.VersionId]);
  });

  it("Description, KmsKeyId and Type given at creation round-trip through DescribeSecret", async () => {
    const name = uniqueName("create");
    await sm("CreateSecret", {
      Name: name,
      SecretString: "v",
      ClientRequestToken: token(),
      Description: "payments db",
      KmsKeyId: "alias/payments",
      Type: "example-partner",
    });
    const described = await sm("DescribeSecret", { SecretId: name });
    expect(described.body.Description).toBe("payments db");
    expect(described.body.KmsKeyId).toBe("alias/payments");
    expect(described.body.Type).toBe("example-partner");
  });

  it.each(["alias/aws/secretsmanager", "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"])(
    "CreateSecret naming the default key as %s reports no KmsKeyId in DescribeSecret or ListSecrets",
    async (kmsKeyId) => {
      const name = uniqueName("create");
      const created = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token(), KmsKeyId: kmsKeyId });
      expect(created.status).toBe(200);
      expect((await sm("DescribeSecret", { SecretId: name })).body).not.toHaveProperty("KmsKeyId");
      await waitUntilIndexed(name);
      expect((await readIndexRow(created.body.ARN))?.kms_key_id).toBeNull();
      expect((await sm("ListSecretVersionIds", { SecretId: name })).body.Versions[0].KmsKeyIds).toEqual(["DefaultEncryptionKey"]);
    },
  );

  it("a secret under a named key reports that key in KmsKeyIds, not DefaultEncryptionKey, and its value decrypts", async () => {
    const name = uniqueName("create");
    await sm("CreateSecret", {
      Name: name,
      SecretString: "under-named-key",
      ClientRequestToken: token(),
      KmsKeyId: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    });
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("under-named-key");
    const versions = await sm("ListSecretVersionIds", { SecretId: name });
    const kmsKeyIds = versions.body.Versions[0].KmsKeyIds;
    expect(kmsKeyIds).toHaveLength(1);
    expect(kmsKeyIds[0]).not.toBe("DefaultEncryptionKey");
    expect(kmsKeyIds[0]).toMatch(/payments|0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d/);
  });

  it("CreateSecret with a KmsKeyId that names no key returns EncryptionFailure and creates nothing", async () => {
    const name = uniqueName("create");
    const res = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token(), KmsKeyId: "alias/does-not-exist" });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("EncryptionFailure");
    expect((await sm("DescribeSecret", { SecretId: name })).body.__type).toBe("ResourceNotFoundException");
  });

  it("Tags given at creation appear in DescribeSecret in the order given", async () => {
    const name = uniqueName("create");
    const tags = [
      { Key: "zeta", Value: "1" },
      { Key: "alpha", Value: "2" },
      { Key: "mid", Value: "" },
    ];
    await sm("CreateSecret", { Name: name, Tags: tags });
    expect((await sm("DescribeSecret", { SecretId: name })).body.Tags).toEqual(tags);
  });

  it("CreateSecret accepts 50 tags and refuses 51 with InvalidParameterException", async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    expect((await sm("CreateSecret", { Name: uniqueName("create"), Tags: tags(50) })).status).toBe(200);
    const name = uniqueName("create");
    const res = await sm("CreateSecret", { Name: name, Tags: tags(51) });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect((await sm("DescribeSecret", { SecretId: name })).body.__type).toBe("ResourceNotFoundException");
  });

  it("CreateSecret with a tag key starting with aws: returns InvalidParameterException", async () => {
    const res = await sm("CreateSecret", { Name: uniqueName("create"), Tags: [{ Key: "aws:owner", Value: "me" }] });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
  });

  it("a name using every allowed special character appears literally in the ARN and resolves by full and partial ARN", async () => {
    const name = `Valid/_+=.@-Name!${crypto.randomUUID().slice(0, 8)}`;
    const created = await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() });
    expect(created.status).toBe(200);
    expect(created.body.ARN).toMatch(arnOf(name));
    for (const id of [name, created.body.ARN, created.body.ARN.slice(0, -7)]) {
      const got = await sm("GetSecretValue", { SecretId: id });
      expect(got.status).toBe(200);
      expect(got.body.Name).toBe(name);
    }
  });

  it("the same name in another region is a separate secret with that region in its ARN", async () => {
    const name = uniqueName("create");
    const east = await sm("CreateSecret", { Name: name, SecretString: "east", ClientRequestToken: token() });
    const west = await sm("CreateSecret", { Name: name, SecretString: "west", ClientRequestToken: token() }, { region: "eu-west-1" });
    expect(west.status).toBe(200);
    expect(west.body.ARN).toMatch(arnOf(name, "eu-west-1"));
    expect(east.body.ARN).toMatch(arnOf(name, "us-east-1"));
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("east");
    expect((await sm("GetSecretValue", { SecretId: name }, { region: "eu-west-1" })).body.SecretString).toBe("west");
  });

  it("CreateSecret with a Name longer than 512 characters returns ValidationException", async () => {
    const res = await sm("CreateSecret", { Name: "n".repeat(513) });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("ValidationException");
  });
});
