// ListSecretVersionIds through the Worker: entry shape, deprecated versions (no VersionStages key), KmsKeyIds,
// MaxResults/NextToken paging and its errors. reference/aws-behaviour.md §4–5.
import { describe, expect, it } from "vitest";
import { createSecret, putValue, uniqueName } from "../support/fixtures";
import { sm } from "../support/sm";

interface Entry {
  VersionId: string;
  VersionStages?: string[];
  CreatedDate: number;
  LastAccessedDate?: number;
  KmsKeyIds: string[];
}


async function list(secretId: string, extra: Record<string, unknown> = {}) {
  const res = await sm("ListSecretVersionIds", { SecretId: secretId, ...extra });
  expect(res.status).toBe(200);
  return res.body as { ARN: string; Name: string; Versions: Entry[]; NextToken?: string };
}

const byId = (versions: Entry[]) => Object.fromEntries(versions.map((v) => [v.VersionId, v]));

describe("ListSecretVersionIds", () => {
  it("returns ARN, Name and Versions whose entries have exactly CreatedDate, KmsKeyIds, VersionId and VersionStages", async () => {
    const name = uniqueName("versions");
    const created = await createSecret(name);
    const body = await list(name);
    expect(Object.keys(body).sort()).toEqual(["ARN", "Name", "Versions"]);
    expect(body.ARN).toBe(created.ARN);
    expect(body.Name).toBe(name);
    expect(body.Versions).toHaveLength(1);
    const [entry] = body.Versions;
    expect(Object.keys(entry!).sort()).toEqual(["CreatedDate", "KmsKeyIds", "VersionId", "VersionStages"]);
    expect(entry).toMatchObject({ VersionId: created.VersionId, VersionStages: ["AWSCURRENT"], KmsKeyIds: ["DefaultEncryptionKey"] });
    expect(typeof entry!.CreatedDate).toBe("number");
  });

  it("a secret without versions lists none", async () => {
    const name = uniqueName("versions");
    await sm("CreateSecret", { Name: name });
    expect((await list(name)).Versions).toEqual([]);
  });

  it("deprecated versions are hidden unless IncludeDeprecated, and then have no VersionStages key", async () => {
    const name = uniqueName("versions");
    const v1 = (await createSecret(name)).VersionId;
    const v2 = (await putValue(name, "v2")).VersionId;
    const v3 = (await putValue(name, "v3")).VersionId;

    const labelled = byId((await list(name)).Versions);
    expect(Object.keys(labelled).sort()).toEqual([v2, v3].sort());
    expect(labelled[v2]!.VersionStages).toEqual(["AWSPREVIOUS"]);
    expect(labelled[v3]!.VersionStages).toEqual(["AWSCURRENT"]);

    const v4 = (await putValue(name, "v4")).VersionId;
    const all = byId((await list(name, { IncludeDeprecated: true })).Versions);
    expect(Object.keys(all).sort()).toEqual([v1, v2, v3, v4].sort());
    expect(all[v1]).not.toHaveProperty("VersionStages");
    expect(all[v2]).not.toHaveProperty("VersionStages");
    expect(all[v3]!.VersionStages).toEqual(["AWSPREVIOUS"]);
    expect(all[v4]!.VersionStages).toEqual(["AWSCURRENT"]);
    expect(Object.keys(all[v1]!).sort()).toEqual(["CreatedDate", "KmsKeyIds", "VersionId"]);
  });

  it("a deprecated version can still be read by VersionId", async () => {
    const name = uniqueName("versions");
    const v1 = (await createSecret(name)).VersionId;
    await putValue(name, "v2");
    await putValue(name, "v3");
    const got = await sm("GetSecretValue", { SecretId: name, VersionId: v1 });
    expect(got.status).toBe(200);
    expect(got.body.SecretString).toBe("v1");
  });

  it("KmsKeyIds is [\"DefaultEncryptionKey\"] for the default key and names the key otherwise", async () => {
    const plain = uniqueName("versions");
    await createSecret(plain);
    expect((await list(plain)).Versions[0]!.KmsKeyIds).toEqual(["DefaultEncryptionKey"]);

    const named = uniqueName("versions");
    await createSecret(named, "v1", { KmsKeyId: "alias/payments" });
    const kmsKeyIds = (await list(named)).Versions[0]!.KmsKeyIds;
    expect(kmsKeyIds).toHaveLength(1);
    expect(kmsKeyIds[0]).not.toBe("DefaultEncryptionKey");
    expect(kmsKeyIds[0]).toMatch(/payments/);
  });

  it("LastAccessedDate appears only on versions that were read", async () => {
    const name = uniqueName("versions");
    const v1 = (await createSecret(name)).VersionId;
    const v2 = (await putValue(name, "v2")).VersionId;
    await sm("GetSecretValue", { SecretId: name });
    const versions = byId((await list(name)).Versions);
    expect(versions[v2]!.LastAccessedDate! % 86_400).toBe(0);
    expect(versions[v1]).not.toHaveProperty("LastAccessedDate");
  });

  it("resolves by full and partial ARN", async () => {
    const created = await createSecret(uniqueName("versions"));
    expect((await list(created.ARN)).Versions).toHaveLength(1);
    expect((await list(created.ARN.slice(0, -7))).Versions).toHaveLength(1);
  });

  describe("paging", () => {
    it("MaxResults pages with NextToken visit every version exactly once", async () => {
      const name = uniqueName("versions");
      const ids = [(await createSecret(name)).VersionId];
      for (let i = 2; i <= 5; i++) ids.push((await putValue(name, `v${i}`)).VersionId);

      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await list(name, { IncludeDeprecated: true, MaxResults: 2, ...(next ? { NextToken: next } : {}) });
        expect(page.Versions.length).toBeLessThanOrEqual(2);
        seen.push(...page.Versions.map((v) => v.VersionId));
        next = page.NextToken;
        pages++;
      } while (next && pages < 10);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...ids].sort());
    });

    it("the last page has no NextToken key", async () => {
      const name = uniqueName("versions");
      await createSecret(name);
      await putValue(name, "v2");
      const body = await list(name, { MaxResults: 2 });
      expect(body.Versions).toHaveLength(2);
      expect(body).not.toHaveProperty("NextToken");
    });

    it("a NextToken that is not a token returns InvalidNextTokenException", async () => {
      const name = uniqueName("versions");
      await createSecret(name);
      const res = await sm("ListSecretVersionIds", { SecretId: name, NextToken: "not-a-real-token" });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidNextTokenException");
    });

    it("a well-formed NextToken the service never issued returns InvalidNextTokenException", async () => {
      const name = uniqueName("versions");
      await createSecret(name);
      const forged = btoa(JSON.stringify({ before: 1_000_000 }));
      const res = await sm("ListSecretVersionIds", { SecretId: name, NextToken: forged });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidNextTokenException");
    });

    it("MaxResults outside 1..100 returns ValidationException", async () => {
      const name = uniqueName("versions");
      await createSecret(name);
      for (const max of [0, 101]) {
        const res = await sm("ListSecretVersionIds", { SecretId: name, MaxResults: max });
        expect(res.status).toBe(400);
        expect(res.body.__type).toBe("ValidationException");
      }
    });
  });

  describe("errors", () => {
    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("ListSecretVersionIds", { SecretId: uniqueName("missing") });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("versions");
      await createSecret(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("ListSecretVersionIds", { SecretId: name });
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });
  });
});
