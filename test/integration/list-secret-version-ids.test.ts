// ListSecretVersionIds through the Worker: entry shape, deprecated versions (no VersionStages key), KmsKeyIds,
// MaxResults/NextToken paging and its errors. reference/aws-behaviour.md §4–5.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/domain/result";
import type { SecretObject } from "../../src/secret-object/secret-object";
import type { VersionPage } from "../../src/secret-object/types";
import { createSecret, putValue, secretStub, uniqueName } from "../support/fixtures";
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

    it("a page reads only its own versions, metadata only, however many versions the secret keeps", async () => {
      const name = uniqueName("versions");
      const created = await createSecret(name);
      const current = (await putValue(name, "v2")).VersionId;
      // 1,000 deprecated versions younger than a day, all kept (as AWS keeps them), each with an envelope; stored
      // directly (the API refuses more than 100 young versions), between the first version and the current one.
      await runInDurableObject(secretStub(name), (_instance, state) => {
        const sql = state.storage.sql;
        const v = sql.exec("SELECT * FROM versions ORDER BY seq LIMIT 1").one();
        sql.exec("UPDATE versions SET seq = 1002 WHERE version_id = ?", current);
        for (let i = 0; i < 1000; i++) {
          sql.exec(
            `INSERT INTO versions (version_id, seq, created_at, last_accessed_day, kms_key_id, kind, envelope, value_hash)
             VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`,
            `bulk-${String(i).padStart(4, "0")}`, i + 2, v.created_at, v.kms_key_id, v.kind, v.envelope, v.value_hash,
          );
        }
      });

      const measured = await runInDurableObject(secretStub(name), async (object: SecretObject) => {
        const instance = object as any;
        const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
        const sql = instance.store.sql as SqlStorage;
        instance.store.sql = new Proxy(sql, {
          get: (target, key) =>
            key === "exec"
              ? (query: string, ...bindings: unknown[]) => {
                  const cursor = target.exec(query, ...bindings);
                  cursors.push(cursor);
                  return cursor;
                }
              : Reflect.get(target, key),
        });
        try {
          const auth = { principal: { arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" }, now: Date.now(), action: "secretsmanager:ListSecretVersionIds", named: name };
          const page: Result<VersionPage> = await object.listVersions(auth, { arn: `${created.ARN.slice(0, -6)}??????` }, true, 3);
          return { page, rowsRead: cursors.reduce((sum, c) => sum + c.rowsRead, 0) };
        } finally {
          instance.store.sql = sql;
        }
      });
      const { page, rowsRead } = measured;
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.versions.map((v) => v.versionId)).toEqual([current, "bulk-0999", "bulk-0998"]);
      expect(typeof page.value.nextBefore).toBe("number");
      // The secret row, its few labels and the page's rows (plus one), not the 1,002 versions.
      expect(rowsRead).toBeLessThan(20);

      // And through the Worker, the pages continue where the last one ended.
      const first = await list(name, { IncludeDeprecated: true, MaxResults: 2 });
      expect(first.Versions.map((v) => v.VersionId)).toEqual([current, "bulk-0999"]);
      const second = await list(name, { IncludeDeprecated: true, MaxResults: 2, NextToken: first.NextToken });
      expect(second.Versions.map((v) => v.VersionId)).toEqual(["bulk-0998", "bulk-0997"]);
      const labelled = await list(name, { MaxResults: 1 });
      expect(labelled.Versions.map((v) => v.VersionId)).toEqual([current]);
      const rest = await list(name, { MaxResults: 1, NextToken: labelled.NextToken });
      expect(rest.Versions.map((v) => v.VersionId)).toEqual([created.VersionId]);
      expect(rest).not.toHaveProperty("NextToken");
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

    it("a secret scheduled for deletion still lists its versions (the model gives ListSecretVersionIds no InvalidRequestException)", async () => {
      const name = uniqueName("versions");
      const created = await createSecret(name);
      const v2 = (await putValue(name, "v2")).VersionId;
      expect((await sm("DeleteSecret", { SecretId: name })).status).toBe(200);
      const body = await list(name);
      expect(body.ARN).toBe(created.ARN);
      expect(body.Versions.map((v) => [v.VersionId, v.VersionStages])).toEqual([
        [v2, ["AWSCURRENT"]],
        [created.VersionId, ["AWSPREVIOUS"]],
      ]);
    });
  });
});
