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

/** Creates a secret with `count` versions and returns their ids in commit order. */
async function secretWithVersions(prefix: string, count: number): Promise<{ name: string; versions: string[] }> {
  const name = uniqueName(prefix);
  await createSecret(name, "value-0");
  for (let i = 1; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, (_, j) => i + j);
    await Promise.all(batch.map((n) => putValue(name, `value-${n}`)));
  }
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
  it("deprecated versions younger than 24 h are all kept, beyond 100", async () => {
    const { name, versions } = await secretWithVersions("prune-young", 105);
    let listed = await listAll(name);
    expect(listed).toHaveLength(105);
    expect(new Set(listed.map((v) => v.VersionId))).toEqual(new Set(versions));

    // A further write runs the pruning, which must spare every young version.
    await sm("PutSecretValue", { SecretId: name, SecretString: "value-105", ClientRequestToken: token() });
    listed = await listAll(name);
    expect(listed).toHaveLength(106);
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

  it("old deprecated versions beyond 100 are pruned while young ones beyond 100 stay", async () => {
    const { name, versions } = await secretWithVersions("prune-mixed", 105);
    const old = versions.slice(0, 3);
    await age(name, old, 2 * DAY);
    await age(name, versions.slice(3), 23 * 60 * 60 * 1000);

    await sm("PutSecretValue", { SecretId: name, SecretString: "value-105", ClientRequestToken: token() });
    const ids = new Set((await listAll(name)).map((v) => v.VersionId));
    expect(ids.size).toBe(103);
    for (const id of old) expect(ids.has(id)).toBe(false);
    for (const id of versions.slice(3, 6)) expect(ids.has(id)).toBe(true);
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
