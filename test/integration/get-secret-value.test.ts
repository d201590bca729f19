// GetSecretValue through the Worker: the value by stage or VersionId, every recorded not-found variant, and how a
// SecretId (name, full ARN, partial ARN, other account or region) resolves. reference/aws-behaviour.md E1–E2, E51–E57, §3.
import { describe, expect, it } from "vitest";
import { createSecret, putValue, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

const NOT_FOUND = { __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." };
const DAY = 86_400;

describe("GetSecretValue", () => {
  it("returns exactly ARN, Name, VersionId, SecretString, VersionStages and CreatedDate of the AWSCURRENT version", async () => {
    const name = uniqueName("get");
    const created = await createSecret(name, "hello");
    const before = Date.now() / 1000;
    const res = await sm("GetSecretValue", { SecretId: name });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "CreatedDate", "Name", "SecretString", "VersionId", "VersionStages"]);
    expect(res.body).toMatchObject({ ARN: created.ARN, Name: name, VersionId: created.VersionId, SecretString: "hello", VersionStages: ["AWSCURRENT"] });
    expect(typeof res.body.CreatedDate).toBe("number");
    expect(Math.abs(res.body.CreatedDate - before)).toBeLessThan(60);
  });

  it("returns the version named by VersionId and the one holding VersionStage, with that version's CreatedDate", async () => {
    const name = uniqueName("get");
    const v1 = (await createSecret(name, "first")).VersionId;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const v2 = (await putValue(name, "second")).VersionId;

    const byId = await sm("GetSecretValue", { SecretId: name, VersionId: v1 });
    expect(byId.body).toMatchObject({ VersionId: v1, SecretString: "first", VersionStages: ["AWSPREVIOUS"] });
    const previous = await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPREVIOUS" });
    expect(previous.body).toMatchObject({ VersionId: v1, SecretString: "first" });
    const current = await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSCURRENT" });
    expect(current.body).toMatchObject({ VersionId: v2, SecretString: "second", VersionStages: ["AWSCURRENT"] });
    expect(current.body.CreatedDate).toBeGreaterThan(previous.body.CreatedDate);
  });

  it("accepts a VersionId together with a VersionStage that is on it", async () => {
    const name = uniqueName("get");
    const v1 = (await createSecret(name)).VersionId;
    const res = await sm("GetSecretValue", { SecretId: name, VersionId: v1, VersionStage: "AWSCURRENT" });
    expect(res.status).toBe(200);
    expect(res.body.VersionId).toBe(v1);
  });

  it("a deprecated version (no staging labels) is returned without a VersionStages key", async () => {
    const name = uniqueName("get");
    const v1 = (await createSecret(name)).VersionId;
    await putValue(name, "v2");
    await putValue(name, "v3");
    const res = await sm("GetSecretValue", { SecretId: name, VersionId: v1 });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "CreatedDate", "Name", "SecretString", "VersionId"]);
    expect(res.body).toMatchObject({ VersionId: v1, SecretString: "v1" });
  });

  it("a binary secret returns SecretBinary and no SecretString", async () => {
    const name = uniqueName("get");
    await sm("CreateSecret", { Name: name, SecretBinary: "AAEC/w==", ClientRequestToken: token() });
    const res = await sm("GetSecretValue", { SecretId: name });
    expect(res.body.SecretBinary).toBe("AAEC/w==");
    expect(res.body).not.toHaveProperty("SecretString");
  });

  describe("errors", () => {
    it("a name that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("GetSecretValue", { SecretId: uniqueName("missing") });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(NOT_FOUND);
    });

    it("a secret without versions returns ResourceNotFoundException for staging label AWSCURRENT", async () => {
      const name = uniqueName("get");
      await sm("CreateSecret", { Name: name });
      const res = await sm("GetSecretValue", { SecretId: name });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "ResourceNotFoundException",
        Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      });
    });

    it("a VersionId that does not exist returns ResourceNotFoundException naming it", async () => {
      const name = uniqueName("get");
      await createSecret(name);
      const missing = token();
      const res = await sm("GetSecretValue", { SecretId: name, VersionId: missing });
      expect(res.body).toEqual({
        __type: "ResourceNotFoundException",
        Message: `Secrets Manager can't find the specified secret value for VersionId: ${missing}`,
      });
    });

    it("a VersionStage on no version returns ResourceNotFoundException naming the label", async () => {
      const name = uniqueName("get");
      await createSecret(name);
      const res = await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPENDING" });
      expect(res.body).toEqual({
        __type: "ResourceNotFoundException",
        Message: "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
      });
    });

    it("AWSPREVIOUS of a one-version secret, asked by ARN, returns ResourceNotFoundException", async () => {
      const created = await createSecret(uniqueName("get"));
      const res = await sm("GetSecretValue", { SecretId: created.ARN, VersionStage: "AWSPREVIOUS" });
      expect(res.body).toEqual({
        __type: "ResourceNotFoundException",
        Message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
      });
    });

    it("a VersionId with a VersionStage that is not on it returns InvalidRequestException", async () => {
      const name = uniqueName("get");
      const v1 = (await createSecret(name)).VersionId;
      await putValue(name, "v2");
      const res = await sm("GetSecretValue", { SecretId: name, VersionId: v1, VersionStage: "AWSCURRENT" });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You provided a VersionStage that is not associated to the provided VersionId.",
      });
    });

    it("a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("get");
      await createSecret(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("GetSecretValue", { SecretId: name });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });
  });

  describe("SecretId resolution", () => {
    it("resolves a secret by name, by full ARN and by partial ARN", async () => {
      const name = uniqueName("lookup");
      const created = await createSecret(name, "found");
      for (const id of [name, created.ARN, created.ARN.slice(0, -7)]) {
        const res = await sm("GetSecretValue", { SecretId: id });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ ARN: created.ARN, Name: name, SecretString: "found" });
      }
    });

    it("a partial ARN of a name ending in a hyphen and six characters returns ResourceNotFoundException", async () => {
      const name = `${uniqueName("partial")}-a1b2c3`;
      const created = await createSecret(name);
      expect((await sm("GetSecretValue", { SecretId: name })).status).toBe(200);
      expect((await sm("GetSecretValue", { SecretId: created.ARN })).status).toBe(200);
      const res = await sm("GetSecretValue", { SecretId: created.ARN.slice(0, -7) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(NOT_FOUND);
    });

    it("a full ARN with the wrong suffix returns ResourceNotFoundException", async () => {
      const created = await createSecret(uniqueName("get"));
      const suffix = created.ARN.slice(-6);
      const wrong = `${created.ARN.slice(0, -6)}${suffix === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
      const res = await sm("GetSecretValue", { SecretId: wrong });
      expect(res.body).toEqual(NOT_FOUND);
    });

    it("an ARN in another account returns AccessDeniedException", async () => {
      const created = await createSecret(uniqueName("get"));
      const foreign = created.ARN.replace(":111122223333:", ":444455556666:");
      const res = await sm("GetSecretValue", { SecretId: foreign });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("AccessDeniedException");
      expect(typeof res.body.Message).toBe("string");
    });

    it("another region is a separate namespace", async () => {
      const name = uniqueName("get");
      await createSecret(name);
      const res = await sm("GetSecretValue", { SecretId: name }, { region: "eu-west-1" });
      expect(res.body).toEqual(NOT_FOUND);
    });
  });

  describe("LastAccessedDate", () => {
    it("is absent before the first read, then a whole UTC day that a second read leaves unchanged", async () => {
      const name = uniqueName("get");
      const created = await createSecret(name);
      expect(await sm("DescribeSecret", { SecretId: name }).then((r) => r.body)).not.toHaveProperty("LastAccessedDate");
      const unread = await sm("ListSecretVersionIds", { SecretId: name });
      expect(unread.body.Versions[0]).not.toHaveProperty("LastAccessedDate");

      await sm("GetSecretValue", { SecretId: name });
      const first = (await sm("DescribeSecret", { SecretId: name })).body.LastAccessedDate;
      expect(typeof first).toBe("number");
      expect(first % DAY).toBe(0);
      expect(Date.now() / 1000 - first).toBeLessThan(DAY + 60);

      await sm("GetSecretValue", { SecretId: created.ARN });
      expect((await sm("DescribeSecret", { SecretId: name })).body.LastAccessedDate).toBe(first);
      const read = await sm("ListSecretVersionIds", { SecretId: name });
      expect(read.body.Versions[0].LastAccessedDate).toBe(first);
    });

    it("is recorded only on the version that was read", async () => {
      const name = uniqueName("get");
      const v1 = (await createSecret(name)).VersionId;
      const v2 = (await putValue(name, "v2")).VersionId;
      await sm("GetSecretValue", { SecretId: name, VersionId: v1 });
      const listed = await sm("ListSecretVersionIds", { SecretId: name });
      const byId = Object.fromEntries(listed.body.Versions.map((v: { VersionId: string }) => [v.VersionId, v]));
      expect(byId[v1]).toHaveProperty("LastAccessedDate");
      expect(byId[v2]).not.toHaveProperty("LastAccessedDate");
    });
  });
});
