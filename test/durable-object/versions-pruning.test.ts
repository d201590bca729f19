// Version retention as AWS documents it: deprecated (unlabelled) versions are kept while younger than 24 h;
// older ones beyond the newest 100 are pruned by the next write; a labelled version is never pruned.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createSecret, putValue, secretStub, storedVersionIds, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const DAY = 86_400_000;

interface Listed {
  VersionId: string;
  VersionStages?: string[];
}

/**
 * Creates a secret with `count` versions and returns their ids in commit order. Past the quota of 100 versions younger
 * than a day, further (deprecated) versions are added to the object's storage directly, as copies of the newest one
 * under new ids: the API would refuse them, and these tests are about what pruning keeps.
 */
async function secretWithVersions(prefix: string, count: number): Promise<{ name: string; versions: string[] }> {
  const name = uniqueName(prefix);
  await createSecret(name, "value-0");
  const viaApi = Math.min(count, 100);
  for (let i = 1; i < viaApi; i += 25) {
    const batch = Array.from({ length: Math.min(25, viaApi - i) }, (_, j) => i + j);
    await Promise.all(batch.map((n) => putValue(name, `value-${n}`)));
  }
  const extra = Array.from({ length: count - viaApi }, () => token());
  await runInDurableObject(secretStub(name), (_i, state) => {
    for (const id of extra) {
      state.storage.sql.exec(
        `INSERT INTO versions (version_id, seq, created_at, last_accessed_day, kms_key_id, kind, envelope, value_hash)
         SELECT ?, (SELECT MAX(seq) + 1 FROM versions), created_at, NULL, kms_key_id, kind, envelope, value_hash
         FROM versions ORDER BY seq DESC LIMIT 1`,
        id,
      );
    }
  });
  const versions = await storedVersionIds(name);
  expect(versions).toHaveLength(count);
  return { name, versions };
}

/** Every version ListSecretVersionIds returns with IncludeDeprecated, following NextToken. */
async function listAll(name: string): Promise<Listed[]> {
  const all: Listed[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true, MaxResults: 100, NextToken: nextToken });
    expect(page.status).toBe(200);
    all.push(...page.body.Versions);
    nextToken = page.body.NextToken;
  } while (nextToken);
  return all;
}

/** Makes the given versions look `age` ms old, as time passing would. */
async function age(name: string, versionIds: string[], ms: number): Promise<void> {
  await runInDurableObject(secretStub(name), (_i, state) => {
    for (const id of versionIds) state.storage.sql.exec("UPDATE versions SET created_at = ? WHERE version_id = ?", Date.now() - ms, id);
  });
}

describe("deprecated version retention", () => {
  it("versions younger than 24 h are never pruned, up to the quota of 100: the next write is refused and stores nothing", async () => {
    const { name, versions } = await secretWithVersions("quota-young", 100);
    const refused = await sm("PutSecretValue", { SecretId: name, SecretString: "value-100", ClientRequestToken: token() });
    expect(errorOf(refused)).toEqual({
      code: "LimitExceededException",
      message: "You can't create more than 100 versions of a secret within 24 hours: versions younger than 24 hours are never removed.",
    });
    const update = await sm("UpdateSecret", { SecretId: name, SecretString: "value-100", ClientRequestToken: token() });
    expect(errorOf(update).code).toBe("LimitExceededException");
    expect(new Set((await listAll(name)).map((v) => v.VersionId))).toEqual(new Set(versions));
    // Metadata-only changes are not versions: they still go through.
    expect((await sm("UpdateSecret", { SecretId: name, Description: "still writable" })).status).toBe(200);

    // Once a version is older than a day there is room again; the write prunes that old deprecated one.
    await age(name, versions.slice(0, 1), 2 * DAY);
    const next = token();
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "value-100", ClientRequestToken: next })).status).toBe(200);
    const ids = new Set((await listAll(name)).map((v) => v.VersionId));
    expect(ids.size).toBe(100);
    expect(ids.has(versions[0]!)).toBe(false);
    expect(ids.has(next)).toBe(true);
  });

  it("once older than 24 h, the next PutSecretValue prunes deprecated versions beyond the newest 100, never a labelled one", async () => {
    const { name, versions } = await secretWithVersions("prune-old", 105);
    const [v1, v2, ...rest] = versions as [string, string, ...string[]];
    expect((await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "KEEP", MoveToVersionId: v1 })).status).toBe(200);
    expect((await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSPENDING", MoveToVersionId: v2 })).status).toBe(200);
    await age(name, versions, 2 * DAY);

    const newest = token();
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "value-105", ClientRequestToken: newest })).status).toBe(200);

    // 106 versions: the newest 100 stay; of the 6 older ones only the two labelled ones survive.
    const pruned = rest.slice(0, 4);
    const listed = await listAll(name);
    const ids = new Set(listed.map((v) => v.VersionId));
    expect(listed).toHaveLength(102);
    for (const id of pruned) expect(ids.has(id)).toBe(false);
    for (const id of [v1, v2, ...rest.slice(4), newest]) expect(ids.has(id)).toBe(true);
    expect(listed.find((v) => v.VersionId === v1)?.VersionStages).toEqual(["KEEP"]);
    expect(listed.find((v) => v.VersionId === v2)?.VersionStages).toEqual(["AWSPENDING"]);

    const gone = await sm("GetSecretValue", { SecretId: name, VersionId: pruned[0] });
    expect(errorOf(gone)).toEqual({
      code: "ResourceNotFoundException",
      message: `Secrets Manager can't find the specified secret value for VersionId: ${pruned[0]}`,
    });
    expect((await sm("GetSecretValue", { SecretId: name, VersionId: v1 })).body.SecretString).toBe("value-0");
  });

  it("old deprecated versions beyond the newest 100 are pruned while young ones stay", async () => {
    const { name, versions } = await secretWithVersions("prune-mixed", 105);
    const old = versions.slice(0, 6);
    await age(name, old, 2 * DAY);
    await age(name, versions.slice(6), 23 * 60 * 60 * 1000);

    await sm("PutSecretValue", { SecretId: name, SecretString: "value-105", ClientRequestToken: token() });
    const ids = new Set((await listAll(name)).map((v) => v.VersionId));
    expect(ids.size).toBe(100);
    for (const id of old) expect(ids.has(id)).toBe(false);
    for (const id of versions.slice(6)) expect(ids.has(id)).toBe(true);
  });

  it("UpdateSecret with a new value prunes as PutSecretValue does", async () => {
    const { name, versions } = await secretWithVersions("prune-update", 103);
    await age(name, versions, 2 * DAY);
    expect((await sm("UpdateSecret", { SecretId: name, SecretString: "value-103", ClientRequestToken: token() })).status).toBe(200);
    const ids = new Set((await listAll(name)).map((v) => v.VersionId));
    expect(ids.size).toBe(100);
    for (const id of versions.slice(0, 4)) expect(ids.has(id)).toBe(false);
  });

  it("without IncludeDeprecated only the labelled versions are listed", async () => {
    const { name, versions } = await secretWithVersions("prune-labelled", 5);
    const listed = await sm("ListSecretVersionIds", { SecretId: name });
    expect(listed.body.Versions.map((v: Listed) => v.VersionId).sort()).toEqual([versions[3], versions[4]].sort());
  });
});
