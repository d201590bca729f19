// A name that holds no secret costs no storage: the object's schema is created by its first write, so denied
// DescribeSecret/CreateSecret calls and lookups of names that do not exist leave no tables behind (issue 10, item 3).
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { secretStub, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

/** The tables in the object's SQLite database, the runtime's own (_cf_*) left out, and whether an alarm is set. */
async function storageOf(name: string): Promise<{ tables: string[]; alarm: number | null }> {
  return runInDurableObject(secretStub(name), async (_i, state) => ({
    tables: state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'")
      .toArray()
      .map((r) => r.name as string),
    alarm: await state.storage.getAlarm(),
  }));
}

describe("storage of names that hold no secret", () => {
  it("many denied DescribeSecret and CreateSecret calls on random names leave no tables and no alarm", async () => {
    const names = Array.from({ length: 20 }, () => uniqueName("lazy-denied"));
    for (const name of names) {
      // AKIDBLUEREADER may describe only secrets tagged team=blue, and create none.
      expect(errorOf(await sm("DescribeSecret", { SecretId: name }, { accessKeyId: "AKIDBLUEREADER" })).code).toBe("AccessDeniedException");
      const created = await sm("CreateSecret", { Name: name, SecretString: "x", ClientRequestToken: token() }, { accessKeyId: "AKIDBLUEREADER" });
      expect(errorOf(created).code).toBe("AccessDeniedException");
    }
    for (const name of names) expect(await storageOf(name)).toEqual({ tables: [], alarm: null });
  });

  it("permitted reads of a name that does not exist leave no tables either", async () => {
    const name = uniqueName("lazy-absent");
    for (const op of ["DescribeSecret", "GetSecretValue", "ListSecretVersionIds", "GetResourcePolicy"]) {
      expect(errorOf(await sm(op, { SecretId: name })).code).toBe("ResourceNotFoundException");
    }
    for (const op of ["TagResource", "UntagResource", "DeleteSecret", "RestoreSecret", "PutSecretValue", "UpdateSecret"]) {
      const input = { SecretId: name, Tags: [{ Key: "k", Value: "v" }], TagKeys: ["k"], SecretString: "v", ClientRequestToken: token() };
      const body = Object.fromEntries(Object.entries(input).filter(([k]) => k === "SecretId" || needs(op, k)));
      expect(errorOf(await sm(op, body)).code).toBe("ResourceNotFoundException");
    }
    expect(await storageOf(name)).toEqual({ tables: [], alarm: null });
  });

  it("a caller its identity policy alone denies is refused before the object, with the same answer as after it", async () => {
    // AKIDNOVAULT: everything, except GetSecretValue on vault/* (an unconditioned explicit Deny).
    const existing = uniqueName("vault/lazy-existing");
    expect((await sm("CreateSecret", { Name: existing, SecretString: "v", ClientRequestToken: token() })).status).toBe(200);
    const absent = uniqueName("vault/lazy-absent");
    const onExisting = errorOf(await sm("GetSecretValue", { SecretId: existing }, { accessKeyId: "AKIDNOVAULT" }));
    const onAbsent = errorOf(await sm("GetSecretValue", { SecretId: absent }, { accessKeyId: "AKIDNOVAULT" }));
    expect(onExisting.code).toBe("AccessDeniedException");
    expect(onExisting.message).toContain("with an explicit deny in an identity-based policy");
    expect(onAbsent.message).toBe(onExisting.message.replace(existing, absent));
    expect(await storageOf(absent)).toEqual({ tables: [], alarm: null });
  });

  it("the first write creates the schema", async () => {
    const name = uniqueName("lazy-first-write");
    expect((await storageOf(name)).tables).toEqual([]);
    expect((await sm("CreateSecret", { Name: name, SecretString: "v", ClientRequestToken: token() })).status).toBe(200);
    expect((await storageOf(name)).tables).toEqual(expect.arrayContaining(["secret", "versions", "stages", "tags", "outbox", "schema_version"]));
  });
});

function needs(op: string, key: string): boolean {
  const keys: Record<string, string[]> = {
    TagResource: ["Tags"], UntagResource: ["TagKeys"], PutSecretValue: ["SecretString", "ClientRequestToken"],
    UpdateSecret: ["SecretString", "ClientRequestToken"],
  };
  return keys[op]?.includes(key) ?? false;
}
