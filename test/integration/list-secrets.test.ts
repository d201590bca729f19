// ListSecrets through the Worker, read from the D1 index: entry fields, IncludePlannedDeletion, every filter with
// AWS's matching rules (reference/aws-behaviour.md §6), SortBy/SortOrder, keyset paging with tamper-evident
// tokens, account and region isolation, and that every filter and sort is served by an index.
// D1 is shared by this file's tests, so each test lists in a region of its own.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Filter } from "../../src/index-db/filters";
import { candidates } from "../../src/index-db/filters";
import { CANDIDATE_LIMITS, type ListQuery, type Plan, type Position, choosePlan, listPage, pageStatement } from "../../src/index-db/list-query";
import { type IndexRow, applyIndexEntries } from "../../src/index-db/secrets-index";
import { createSecret, isolatedRegion, waitUntilIndexed } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const ACCOUNT = "111122223333";
const OTHER_ACCOUNT_KEY = "AKIDOTHERACCOUNT";
const DAY = 86_400_000;

interface Entry {
  ARN: string;
  Name: string;
  Description?: string;
  KmsKeyId?: string;
  Type?: string;
  Tags?: { Key: string; Value: string }[];
  SecretVersionsToStages?: Record<string, string[]>;
  CreatedDate: number;
  LastChangedDate: number;
  LastAccessedDate?: number;
  DeletedDate?: number;
}
interface ListBody {
  SecretList: Entry[];
  NextToken?: string;
}

/** Calls in one region, as the default account or another. */
function region(name = isolatedRegion(), accessKeyId?: string) {
  const call = (op: string, input: unknown) => sm(op, input, { region: name, accessKeyId });
  return {
    name,
    call,
    create(secretName: string, extra: Record<string, unknown> = {}) {
      return createSecret(secretName, `value-of-${secretName}`, extra, { region: name, accessKeyId });
    },
    async list(input: Record<string, unknown> = {}): Promise<ListBody> {
      const res = await call("ListSecrets", input);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    /** Names on every page, in order. */
    async names(input: Record<string, unknown> = {}): Promise<string[]> {
      return (await this.all(input)).map((e) => e.Name);
    },
    /** Every entry, following NextToken. */
    async all(input: Record<string, unknown> = {}): Promise<Entry[]> {
      const entries: Entry[] = [];
      let next: string | undefined;
      do {
        const page = await this.list({ ...input, NextToken: next });
        entries.push(...page.SecretList);
        next = page.NextToken;
      } while (next);
      return entries;
    },
  };
}

/** Creates secrets (name → CreateSecret extras) one after another and waits until the index has them. */
async function seed(r: ReturnType<typeof region>, secrets: Record<string, Record<string, unknown>>) {
  const created: Record<string, { ARN: string; VersionId?: string }> = {};
  for (const [name, extra] of Object.entries(secrets)) created[name] = await r.create(name, extra);
  await waitUntilIndexed(Object.keys(secrets), { region: r.name });
  return created;
}

/** An index row written straight into D1, as an object's outbox would: ListSecrets reads nothing else. */
function indexRow(regionName: string, name: string, fields: Partial<IndexRow> = {}): IndexRow {
  return {
    arn: `arn:aws:secretsmanager:${regionName}:${ACCOUNT}:secret:${name}-${crypto.randomUUID().slice(0, 6)}`,
    accountId: ACCOUNT,
    region: regionName,
    name,
    description: null,
    kmsKeyId: null,
    type: null,
    createdAt: 1_700_000_000_000,
    lastChangedAt: 1_700_000_000_000,
    lastAccessedAt: null,
    deletedAt: null,
    deletionAt: null,
    tags: [],
    versionsToStages: {},
    revision: 1,
    ...fields,
  };
}

async function writeRows(rows: IndexRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await applyIndexEntries(env.DB, rows.slice(i, i + 100).map((row) => ({ op: "upsert" as const, row })));
  }
}

type SortKey = "created-date" | "last-changed-date" | "last-accessed-date" | "name";
const keyOf: Record<SortKey, (r: IndexRow) => number | string> = {
  "created-date": (r) => r.createdAt,
  "last-changed-date": (r) => r.lastChangedAt,
  "last-accessed-date": (r) => r.lastAccessedAt ?? 0,
  name: (r) => r.name,
};

/** The order AWS's SortBy/SortOrder asks for; equal keys are ordered by ARN. */
function sorted(rows: IndexRow[], sortBy: SortKey, order: "asc" | "desc"): string[] {
  const key = keyOf[sortBy];
  const cmp = (a: IndexRow, b: IndexRow) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  const asc = [...rows].sort(cmp);
  return (order === "asc" ? asc : asc.reverse()).map((r) => r.name);
}

describe("ListSecrets entries", () => {
  it("list each secret with ARN, Name, Description, Tags, SecretVersionsToStages, CreatedDate and LastChangedDate, never its value", async () => {
    const r = region();
    const created = await r.create("app/db", { Description: "the database", Tags: [{ Key: "team", Value: "payments" }, { Key: "env", Value: "prod" }] });
    await waitUntilIndexed(["app/db"], { region: r.name });
    const body = await r.list();
    expect(Object.keys(body)).toEqual(["SecretList"]);
    expect(body.SecretList).toHaveLength(1);
    const [entry] = body.SecretList;
    expect(Object.keys(entry!).sort()).toEqual(["ARN", "CreatedDate", "Description", "LastChangedDate", "Name", "SecretVersionsToStages", "Tags"]);
    expect(entry).toMatchObject({
      ARN: created.ARN,
      Name: "app/db",
      Description: "the database",
      Tags: [{ Key: "team", Value: "payments" }, { Key: "env", Value: "prod" }],
      SecretVersionsToStages: { [created.VersionId!]: ["AWSCURRENT"] },
    });
    expect(JSON.stringify(body)).not.toContain("value-of-");
  });

  it("CreatedDate and LastChangedDate are epoch seconds equal to DescribeSecret's", async () => {
    const r = region();
    await seed(r, { dated: {} });
    const [entry] = (await r.list()).SecretList;
    const described = (await r.call("DescribeSecret", { SecretId: "dated" })).body;
    expect(entry!.CreatedDate).toBe(described.CreatedDate);
    expect(entry!.LastChangedDate).toBe(described.LastChangedDate);
    expect(Math.abs(entry!.CreatedDate - Date.now() / 1000)).toBeLessThan(60);
  });

  it("a secret without a value has no SecretVersionsToStages, and a never-tagged one no Tags; Description \"\" is omitted", async () => {
    const r = region();
    expect((await r.call("CreateSecret", { Name: "empty", Description: "" })).status).toBe(200);
    await waitUntilIndexed(["empty"], { region: r.name });
    const [entry] = (await r.list()).SecretList;
    expect(Object.keys(entry!).sort()).toEqual(["ARN", "CreatedDate", "LastChangedDate", "Name"]);
  });

  it("Tags is [] once the last tag is removed, as in DescribeSecret", async () => {
    const r = region();
    await r.create("untagged", { Tags: [{ Key: "k", Value: "v" }] });
    await r.call("UntagResource", { SecretId: "untagged", TagKeys: ["k"] });
    await waitUntilIndexed(["untagged"], { region: r.name });
    expect((await r.list()).SecretList[0]!.Tags).toEqual([]);
  });

  it("SecretVersionsToStages follows PutSecretValue: the old version AWSPREVIOUS, the new one AWSCURRENT", async () => {
    const r = region();
    const { VersionId: v1 } = await r.create("versions");
    const v2 = token();
    await r.call("PutSecretValue", { SecretId: "versions", SecretString: "two", ClientRequestToken: v2 });
    await waitUntilIndexed(["versions"], { region: r.name });
    const [entry] = (await r.list()).SecretList;
    expect(entry!.SecretVersionsToStages).toEqual({ [v1!]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT"] });
    expect(entry).not.toHaveProperty("VersionIdsToStages");
  });

  it("LastAccessedDate appears after GetSecretValue (UTC midnight); KmsKeyId and Type when the secret has them", async () => {
    const r = region();
    await r.create("accessed", { KmsKeyId: "alias/payments", Type: "partner-x" });
    await r.call("GetSecretValue", { SecretId: "accessed" });
    await waitUntilIndexed(["accessed"], { region: r.name });
    const [entry] = (await r.list()).SecretList;
    expect(entry!.LastAccessedDate).toBe((Math.floor(Date.now() / DAY) * DAY) / 1000);
    expect(entry!.KmsKeyId).toBe("alias/payments");
    expect(entry!.Type).toBe("partner-x");
  });

  it("an account with no secrets in the region lists SecretList [] and no NextToken", async () => {
    expect(await region().list()).toEqual({ SecretList: [] });
  });
});

describe("IncludePlannedDeletion", () => {
  it("a secret scheduled for deletion is left out by default, and listed with DeletedDate when IncludePlannedDeletion is true", async () => {
    const r = region();
    await seed(r, { kept: {}, doomed: {} });
    const deleted = await r.call("DeleteSecret", { SecretId: "doomed", RecoveryWindowInDays: 7 });
    await waitUntilIndexed(["doomed"], { region: r.name });
    expect(await r.names()).toEqual(["kept"]);
    expect(await r.names({ IncludePlannedDeletion: false })).toEqual(["kept"]);
    const all = await r.all({ IncludePlannedDeletion: true });
    expect(all.map((e) => e.Name).sort()).toEqual(["doomed", "kept"]);
    const byName = Object.fromEntries(all.map((e) => [e.Name, e]));
    expect(byName.kept).not.toHaveProperty("DeletedDate");
    expect(byName.doomed!.DeletedDate).toBeTypeOf("number");
    expect(byName.doomed!.DeletedDate).toBeLessThan(deleted.body.DeletionDate);
  });

  it("RestoreSecret lists it again; a force-deleted secret is listed by neither", async () => {
    const r = region();
    await seed(r, { restored: {}, forced: {} });
    await r.call("DeleteSecret", { SecretId: "restored", RecoveryWindowInDays: 7 });
    await r.call("RestoreSecret", { SecretId: "restored" });
    await r.call("DeleteSecret", { SecretId: "forced", ForceDeleteWithoutRecovery: true });
    await waitUntilIndexed(["restored", "forced"], { region: r.name });
    expect(await r.names()).toEqual(["restored"]);
    expect(await r.names({ IncludePlannedDeletion: true })).toEqual(["restored"]);
  });
});

describe("Filters", () => {
  const names = async (r: ReturnType<typeof region>, ...filters: { Key: string; Values: string[] }[]) => (await r.names({ Filters: filters })).sort();

  it("name matches a case-sensitive prefix of the whole name, without splitting words", async () => {
    const r = region();
    await seed(r, { "testing1/one": {}, "/testing2/two": {}, "Testing3/three": {}, "testing1/Two": {} });
    expect(await names(r, { Key: "name", Values: ["/"] })).toEqual(["/testing2/two"]);
    expect(await names(r, { Key: "name", Values: ["testing1"] })).toEqual(["testing1/Two", "testing1/one"]);
    expect(await names(r, { Key: "name", Values: ["Testing"] })).toEqual(["Testing3/three"]);
    expect(await names(r, { Key: "name", Values: ["testing1 one"] })).toEqual([]);
    expect(await names(r, { Key: "name", Values: ["one"] })).toEqual([]);
  });

  it("! negates a value: name \"!/\" lists the names that do not start with /", async () => {
    const r = region();
    await seed(r, { "testing1/one": {}, "/testing2/two": {}, "testing3/three": {}, "/testing4/four": {} });
    expect(await names(r, { Key: "name", Values: ["!/"] })).toEqual(["testing1/one", "testing3/three"]);
  });

  it("description splits the value into words, each a case-insensitive prefix of a word of the description", async () => {
    const r = region();
    await seed(r, {
      one: { Description: "a secret" },
      two: { Description: "an secret" },
      three: { Description: "asecret" },
      four: { Description: "thesecret" },
      five: {},
    });
    expect(await names(r, { Key: "description", Values: ["a"] })).toEqual(["one", "three", "two"]);
    expect(await names(r, { Key: "description", Values: ["a secret"] })).toEqual(["one", "two"]);
    expect(await names(r, { Key: "description", Values: ["A SECRET"] })).toEqual(["one", "two"]);
    expect(await names(r, { Key: "description", Values: ["secret"] })).toEqual(["one", "two"]);
    expect(await names(r, { Key: "description", Values: ["cret"] })).toEqual([]);
  });

  it("a negated description value lists the complement, secrets without a description included", async () => {
    const r = region();
    await seed(r, {
      one: { Description: "a secret" },
      two: { Description: "an secret" },
      three: { Description: "asecret" },
      four: { Description: "thesecret" },
      five: {},
    });
    expect(await names(r, { Key: "description", Values: ["!a"] })).toEqual(["five", "four"]);
    expect(await names(r, { Key: "description", Values: ["!c"] })).toEqual(["five", "four", "one", "three", "two"]);
  });

  it("description words may be found in any order, and every word must match: \"one two\" and \"o t\" match \"one and two\"", async () => {
    const r = region();
    await seed(r, {
      foo: { Description: "one two" },
      bar: { Description: "one and two" },
      baz: { Description: "one" },
      qux: { Description: "two" },
      none: { Description: "unrelated" },
    });
    expect(await names(r, { Key: "description", Values: ["one two"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "description", Values: ["two one"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "description", Values: ["o t"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "description", Values: ["t"] })).toEqual(["bar", "foo", "qux"]);
  });

  it("tag-key and tag-value match a case-sensitive prefix of any of the secret's tags", async () => {
    const r = region();
    await seed(r, {
      foo: { Tags: [{ Key: "Team", Value: "payments" }, { Key: "env", Value: "Prod" }] },
      bar: { Tags: [{ Key: "team", Value: "Payments" }] },
      baz: {},
    });
    expect(await names(r, { Key: "tag-key", Values: ["Tea"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "tag-key", Values: ["tea"] })).toEqual(["bar"]);
    expect(await names(r, { Key: "tag-key", Values: ["en"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "tag-value", Values: ["pay"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "tag-value", Values: ["Pay"] })).toEqual(["bar"]);
    expect(await names(r, { Key: "tag-value", Values: ["P"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "tag-value", Values: ["ments"] })).toEqual([]);
  });

  it("a negated tag-key lists the secrets without a matching tag key, untagged ones included", async () => {
    const r = region();
    await seed(r, {
      foo: { Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "a" }] },
      bar: { Tags: [{ Key: "team", Value: "b" }] },
      baz: {},
    });
    expect(await names(r, { Key: "tag-key", Values: ["!env"] })).toEqual(["bar", "baz"]);
    expect(await names(r, { Key: "tag-value", Values: ["!a"] })).toEqual(["bar", "baz"]);
  });

  it("all matches words of the name, description, tag keys and tag values, case-insensitively", async () => {
    const r = region();
    await seed(r, {
      foo: {},
      bar: { Description: "foo" },
      baz: { Tags: [{ Key: "foo", Value: "1" }] },
      qux: { Tags: [{ Key: "1", Value: "foo" }] },
      multi: { Tags: [{ Key: "foo", Value: "foo" }] },
      none: {},
    });
    expect(await names(r, { Key: "all", Values: ["foo"] })).toEqual(["bar", "baz", "foo", "multi", "qux"]);
    expect(await names(r, { Key: "all", Values: ["FO"] })).toEqual(["bar", "baz", "foo", "multi", "qux"]);
    expect(await names(r, { Key: "all", Values: ["!foo"] })).toEqual(["none"]);
  });

  it("all splits on one kind of separator and on CamelCase, never mid-word, and not a name that mixes separators", async () => {
    const r = region();
    const special = ["prod/AppBeta/x1", "prod_AppBeta_x1", "prod+AppBeta+x1", "prod=AppBeta=x1", "prod.AppBeta.x1", "prod@AppBeta@x1", "prod-AppBeta-x1"];
    await seed(r, Object.fromEntries([...special, "prod-AppBeta/x1", "uat/COMPANY/x1", "uat/COMPANYthings/x1"].map((n) => [n, {}])));
    expect(await names(r, { Key: "all", Values: ["AppBeta"] })).toEqual([...special].sort());
    expect(await names(r, { Key: "all", Values: ["Beta"] })).toEqual([...special].sort());
    expect(await names(r, { Key: "all", Values: ["+"] })).toEqual([]);
    expect(await names(r, { Key: "all", Values: ["company"] })).toEqual(["uat/COMPANY/x1"]);
    expect(await names(r, { Key: "all", Values: ["things"] })).toEqual([]);
    expect(await names(r, { Key: "all", Values: ["Ythings"] })).toEqual(["uat/COMPANYthings/x1"]);
    expect(await names(r, { Key: "all", Values: ["pany"] })).toEqual([]);
    expect(await names(r, { Key: "all", Values: ["N"] })).toEqual([]);
  });

  it("all requires every word of a value within one attribute: \"d t\" matches the description DescTwo", async () => {
    const r = region();
    await seed(r, {
      SecretOne: {},
      SecretTwo: { Description: "DescTwo" },
      Thirdsecret: {},
      split: { Description: "desc", Tags: [{ Key: "two", Value: "x" }] },
    });
    expect(await names(r, { Key: "all", Values: ["d t"] })).toEqual(["SecretTwo"]);
    expect(await names(r, { Key: "all", Values: ["t"] })).toEqual(["SecretTwo", "Thirdsecret", "split"]);
    expect(await names(r, { Key: "all", Values: ["SecretOne"] })).toEqual(["SecretOne"]);
    expect(await names(r, { Key: "all", Values: ["ret"] })).toEqual([]);
    expect(await names(r, { Key: "all", Values: ["SomeSecret"] })).toEqual([]);
  });

  it("several values of one filter are OR-ed, a negated one too", async () => {
    const r = region();
    await seed(r, { foo: {}, bar: {}, baz: {} });
    expect(await names(r, { Key: "name", Values: ["foo", "bar"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "name", Values: ["foo", "!ba"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "name", Values: ["baz", "!ba"] })).toEqual(["baz", "foo"]);
  });

  it("several filters are AND-ed, also two filters with the same key", async () => {
    const r = region();
    await seed(r, {
      foo: { Description: "one two", Tags: [{ Key: "right", Value: "right" }] },
      bar: { Description: "one", Tags: [{ Key: "right", Value: "wrong" }] },
      baz: { Description: "two", Tags: [{ Key: "wrong", Value: "right" }] },
      qux: { Description: "unrelated", Tags: [{ Key: "wrong", Value: "wrong" }] },
    });
    expect(await names(r, { Key: "tag-key", Values: ["right"] }, { Key: "tag-value", Values: ["right"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "description", Values: ["one"] }, { Key: "description", Values: ["two"] })).toEqual(["foo"]);
    expect(await names(r, { Key: "description", Values: ["one"] }, { Key: "name", Values: ["baz"] })).toEqual([]);
    expect(await names(r, { Key: "name", Values: ["b"] }, { Key: "name", Values: ["!bar"] })).toEqual(["baz"]);
  });

  it("primary-region and owning-service match no secret without them; negated, they match every secret", async () => {
    const r = region();
    await seed(r, { foo: {}, bar: {} });
    expect(await names(r, { Key: "primary-region", Values: ["us"] })).toEqual([]);
    expect(await names(r, { Key: "owning-service", Values: ["rds"] })).toEqual([]);
    expect(await names(r, { Key: "primary-region", Values: ["!us"] })).toEqual(["bar", "foo"]);
    expect(await names(r, { Key: "owning-service", Values: ["!rds"] })).toEqual(["bar", "foo"]);
  });

  it("primary-region and owning-service match a case-sensitive prefix of the index columns", async () => {
    const r = region();
    await writeRows([
      indexRow(r.name, "replica"),
      indexRow(r.name, "managed"),
      indexRow(r.name, "plain"),
    ]);
    await env.DB.batch([
      env.DB.prepare("UPDATE secrets SET primary_region = 'eu-west-1' WHERE region = ? AND name = 'replica'").bind(r.name),
      env.DB.prepare("UPDATE secrets SET owning_service = 'rds' WHERE region = ? AND name = 'managed'").bind(r.name),
    ]);
    expect(await names(r, { Key: "primary-region", Values: ["eu-"] })).toEqual(["replica"]);
    expect(await names(r, { Key: "primary-region", Values: ["EU"] })).toEqual([]);
    expect(await names(r, { Key: "owning-service", Values: ["rd"] })).toEqual(["managed"]);
    expect(await names(r, { Key: "owning-service", Values: ["!rd"] })).toEqual(["plain", "replica"]);
    const [managed] = (await r.list({ Filters: [{ Key: "owning-service", Values: ["rds"] }] })).SecretList;
    expect(managed).toMatchObject({ Name: "managed", OwningService: "rds" });
  });
});

describe("Filters validation", () => {
  const list = (input: unknown) => sm("ListSecrets", input);

  it("an unknown filter key is a ValidationException listing the valid keys", async () => {
    expect(errorOf(await list({ Filters: [{ Key: "invalid", Values: ["foo"] }] }))).toEqual({
      code: "ValidationException",
      message:
        "1 validation error detected: Value 'invalid' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, name, tag-key, description, tag-value, primary-region, owning-service]",
    });
  });

  it("a filter without Key is InvalidParameterException \"Invalid filter key\"", async () => {
    expect(errorOf(await list({ Filters: [{ Values: ["foo"] }] }))).toEqual({ code: "InvalidParameterException", message: "Invalid filter key" });
  });

  it("a filter without Values is InvalidParameterException naming the key", async () => {
    expect(errorOf(await list({ Filters: [{ Key: "description" }] }))).toEqual({
      code: "InvalidParameterException",
      message: "Invalid filter values for key: description",
    });
  });

  it("a filter without Key or Values is refused before authorization, also for a key that may not list", async () => {
    // AKIDGREENTEAM's policy never allows ListSecrets; AKIDBLUEREADER's allows it per secret (by tag).
    for (const accessKeyId of ["AKIDGREENTEAM", "AKIDBLUEREADER"]) {
      expect(errorOf(await sm("ListSecrets", { Filters: [{ Values: ["foo"] }] }, { accessKeyId }))).toEqual({ code: "InvalidParameterException", message: "Invalid filter key" });
      expect(errorOf(await sm("ListSecrets", { Filters: [{ Key: "name", Values: ["a"] }, { Key: "tag-key" }] }, { accessKeyId }))).toEqual({
        code: "InvalidParameterException",
        message: "Invalid filter values for key: tag-key",
      });
    }
    expect(errorOf(await sm("ListSecrets", { Filters: [{ Key: "name", Values: ["a"] }] }, { accessKeyId: "AKIDGREENTEAM" })).code).toBe("AccessDeniedException");
  });

  it("a value outside the model's pattern, or longer than 512, is a ValidationException", async () => {
    expect(errorOf(await list({ Filters: [{ Key: "name", Values: ["ok", "no*"] }] }))).toEqual({
      code: "ValidationException",
      message:
        "1 validation error detected: Value 'no*' at 'filters.1.member.values.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
    });
    expect(errorOf(await list({ Filters: [{ Key: "name", Values: ["a".repeat(513)] }] })).message).toContain(
      "at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must have length less than or equal to 512",
    );
  });

  it("more than 10 filters, no values or more than 10 values is a ValidationException", async () => {
    const filter = { Key: "name", Values: ["a"] };
    expect(errorOf(await list({ Filters: Array(11).fill(filter) })).message).toContain(
      "at 'filters' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
    expect(errorOf(await list({ Filters: [{ Key: "name", Values: [] }] })).message).toContain(
      "at 'filters.1.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(errorOf(await list({ Filters: [{ Key: "name", Values: Array(11).fill("a") }] })).message).toContain(
      "at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  });

  it("MaxResults outside 1–100 and an unknown SortBy or SortOrder are ValidationExceptions", async () => {
    expect(errorOf(await list({ MaxResults: 0 })).message).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(errorOf(await list({ MaxResults: 101 })).message).toBe(
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    expect(errorOf(await list({ SortBy: "size" })).message).toBe(
      "1 validation error detected: Value 'size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]",
    );
    expect(errorOf(await list({ SortOrder: "up" })).message).toBe(
      "1 validation error detected: Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]",
    );
  });

  it("ten filters of ten distinct 512-character values still answer", async () => {
    const values = (key: string) => Array.from({ length: 10 }, (_, i) => `${key}${i}`.padEnd(512, "x"));
    for (const key of ["name", "tag-value", "all"]) {
      const res = await list({ Filters: Array.from({ length: 10 }, (_, f) => ({ Key: key, Values: values(`${f}`) })) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });

  it("values with more words than the index can search in one statement are InvalidParameterException", async () => {
    // 127 distinct words in 509 characters, in each of 100 values.
    const words = Array.from({ length: 127 }, (_, i) => `w${i.toString(36).padStart(2, "0")}`).join(" ");
    const res = await list({ Filters: Array.from({ length: 10 }, (_, f) => ({ Key: "all", Values: Array.from({ length: 10 }, (_, i) => `${f}${i}${words}`) })) });
    expect(errorOf(res)).toEqual({
      code: "InvalidParameterException",
      message: "The filters are too long to search. Use fewer or shorter filter values.",
    });
  });
});

describe("filter values of every length the model allows", () => {
  // One secret whose every filtered attribute is long: the index tests each row with the filter, so each value
  // below is compared with a stored one (D1 refuses LIKE/GLOB patterns over 50 bytes).
  const r = region();
  const attribute: Record<string, string> = {
    name: "n".repeat(512),
    description: "d".repeat(512),
    "tag-key": "k".repeat(128),
    "tag-value": "v".repeat(256),
    "primary-region": "p".repeat(512),
    "owning-service": "o".repeat(512),
    all: "d".repeat(512),
  };
  beforeAll(async () => {
    await seed(r, { [attribute.name!]: { Description: `${attribute.description} words`, Tags: [{ Key: attribute["tag-key"], Value: attribute["tag-value"] }] } });
    // PrimaryRegion is the object's own field since replication: a revision far ahead keeps its later snapshots
    // (which carry none) from replacing these index-only values.
    await env.DB.prepare("UPDATE secrets SET primary_region = ?, owning_service = ?, revision = revision + 1000 WHERE region = ?").bind(attribute["primary-region"], attribute["owning-service"], r.name).run();
  });

  for (const key of ["name", "tag-key", "description", "tag-value", "primary-region", "owning-service", "all"]) {
    it(`${key}: values of 1, 49, 50, 51, 256 and 512 characters, plain and negated, in ListSecrets and BatchGetSecretValue`, async () => {
      for (const length of [1, 49, 50, 51, 256, 512]) {
        const value = attribute[key]!.slice(0, length).padEnd(length, "x");
        const matches = attribute[key]!.length >= length;
        // Negated, a value of `length` characters has `length - 1` after its `!` (a lone `!` has no words to test).
        const negated = length > 1 ? [[`!${value.slice(0, -1)}`, attribute[key]!.length < length - 1] as const] : [];
        for (const [filterValue, listed] of [[value, matches] as const, ...negated]) {
          const Filters = [{ Key: key, Values: [filterValue] }];
          const label = `${key} ${filterValue.length} characters`;
          const list = await r.call("ListSecrets", { Filters });
          expect(list.status, `${label}: ${JSON.stringify(list.body)}`).toBe(200);
          expect(list.body.SecretList.map((e: Entry) => e.Name), label).toEqual(listed ? [attribute.name] : []);
          const batch = await r.call("BatchGetSecretValue", { Filters });
          expect(batch.status, `${label}: ${JSON.stringify(batch.body)}`).toBe(200);
          expect(batch.body.SecretValues.map((e: Entry) => e.Name), label).toEqual(listed ? [attribute.name] : []);
        }
      }
    });
  }
});

describe("SortBy and SortOrder", () => {
  const regionName = isolatedRegion();
  // Orders that differ per key; ties on created-date and last-accessed-date; two never-read secrets.
  const rows = [
    indexRow(regionName, "delta", { createdAt: 3_000, lastChangedAt: 9_000, lastAccessedAt: 2 * DAY }),
    indexRow(regionName, "alpha", { createdAt: 1_000, lastChangedAt: 7_000, lastAccessedAt: null }),
    indexRow(regionName, "charlie", { createdAt: 2_000, lastChangedAt: 8_000, lastAccessedAt: 5 * DAY }),
    indexRow(regionName, "echo", { createdAt: 2_000, lastChangedAt: 4_000, lastAccessedAt: 2 * DAY }),
    indexRow(regionName, "bravo", { createdAt: 5_000, lastChangedAt: 6_000, lastAccessedAt: null }),
    indexRow(regionName, "Zulu", { createdAt: 4_000, lastChangedAt: 5_000, lastAccessedAt: DAY }),
  ];
  const r = region(regionName);
  beforeAll(() => writeRows(rows));

  it("by default lists by CreatedDate, oldest first", async () => {
    expect(await r.names()).toEqual(sorted(rows, "created-date", "asc"));
    expect(await r.names({ SortOrder: "asc" })).toEqual(sorted(rows, "created-date", "asc"));
  });

  for (const sortBy of ["created-date", "last-changed-date", "last-accessed-date", "name"] as const) {
    for (const order of ["asc", "desc"] as const) {
      it(`SortBy ${sortBy} SortOrder ${order} lists in that order, equal keys by ARN, on every page size`, async () => {
        const expected = sorted(rows, sortBy, order);
        expect(await r.names({ SortBy: sortBy, SortOrder: order })).toEqual(expected);
        expect(await r.names({ SortBy: sortBy, SortOrder: order, MaxResults: 1 })).toEqual(expected);
        expect(await r.names({ SortBy: sortBy, SortOrder: order, MaxResults: 4 })).toEqual(expected);
      });
    }
  }

  it("name order is case-sensitive (binary): Zulu before alpha", async () => {
    expect((await r.names({ SortBy: "name" }))[0]).toBe("Zulu");
  });
});

describe("paging", () => {
  const regionName = isolatedRegion();
  const rows = Array.from({ length: 150 }, (_, i) =>
    indexRow(regionName, `page/${String((i * 37) % 150).padStart(3, "0")}`, {
      createdAt: 1_000 + Math.floor(i / 3), // three secrets per creation time
      lastChangedAt: 900_000 - i * 11,
      lastAccessedAt: i % 4 === 0 ? null : (i % 9) * DAY,
      tags: [{ Key: "parity", Value: i % 2 === 0 ? "even" : "odd" }],
      description: i % 10 === 0 ? "tenth row" : null,
    }),
  );
  const r = region(regionName);
  beforeAll(() => writeRows(rows));

  async function pages(input: Record<string, unknown>): Promise<{ names: string[]; sizes: number[] }> {
    const names: string[] = [];
    const sizes: number[] = [];
    let next: string | undefined;
    do {
      const page = await r.list({ ...input, NextToken: next });
      names.push(...page.SecretList.map((e) => e.Name));
      sizes.push(page.SecretList.length);
      next = page.NextToken;
    } while (next);
    return { names, sizes };
  }

  for (const maxResults of [1, 7, 100]) {
    it(`MaxResults ${maxResults} pages through 150 secrets with nothing skipped or repeated`, async () => {
      const { names, sizes } = await pages({ MaxResults: maxResults });
      expect(names).toEqual(sorted(rows, "created-date", "asc"));
      expect(sizes.slice(0, -1).every((n) => n === maxResults)).toBe(true);
      expect(sizes.at(-1)).toBe(150 - maxResults * (sizes.length - 1));
    }, 30_000); // 150 pages at MaxResults 1: more than the default 5 s on a busy 2-core machine
  }

  it("without MaxResults a page holds 100 secrets", async () => {
    const first = await r.list();
    expect(first.SecretList).toHaveLength(100);
    expect(first.NextToken).toBeTypeOf("string");
    const second = await r.list({ NextToken: first.NextToken });
    expect(second.SecretList).toHaveLength(50);
    expect(second).not.toHaveProperty("NextToken");
  });

  for (const [label, filters, keep] of [
    ["a tag-value filter", [{ Key: "tag-value", Values: ["odd"] }], (row: IndexRow) => row.tags[0]!.Value === "odd"],
    ["a name prefix filter", [{ Key: "name", Values: ["page/1"] }], (row: IndexRow) => row.name.startsWith("page/1")],
    ["a negated filter", [{ Key: "name", Values: ["!page/0"] }], (row: IndexRow) => !row.name.startsWith("page/0")],
    ["a description filter", [{ Key: "description", Values: ["tenth"] }], (row: IndexRow) => row.description !== null],
  ] as const) {
    for (const sortBy of ["created-date", "last-accessed-date", "name"] as const) {
      for (const order of ["asc", "desc"] as const) {
        it(`pages through ${label} sorted by ${sortBy} ${order} with MaxResults 7`, async () => {
          const expected = sorted(rows.filter(keep), sortBy, order);
          const { names } = await pages({ Filters: filters, SortBy: sortBy, SortOrder: order, MaxResults: 7 });
          expect(names).toEqual(expected);
        });
      }
    }
  }

  it("a secret created between pages does not shift the pages already read", async () => {
    const other = region();
    await writeRows(["b", "d", "f"].map((n, i) => indexRow(other.name, n, { createdAt: 10 + 2 * i })));
    const first = await other.list({ MaxResults: 2 });
    expect(first.SecretList.map((e) => e.Name)).toEqual(["b", "d"]);
    await writeRows([indexRow(other.name, "a", { createdAt: 5 }), indexRow(other.name, "e", { createdAt: 13 })]);
    const rest = await other.list({ MaxResults: 2, NextToken: first.NextToken });
    expect(rest.SecretList.map((e) => e.Name)).toEqual(["e", "f"]);
  });
});

describe("a walk reads at most a window of the sort index per page", () => {
  // listPage with a window of 7 rows (MAX_SCAN in production). 70 secrets: 63 named win/…, 7 other/…; 8 tagged
  // rare (3 to 6 together, then sparse), the others common; 2 scheduled for deletion, one of them rare.
  const regionName = isolatedRegion();
  const SCAN = 7;
  const RARE = new Set([3, 4, 5, 6, 30, 62, 65, 69]);
  const rows = Array.from({ length: 70 }, (_, i) =>
    indexRow(regionName, i < 63 ? `win/${String((i * 29) % 70).padStart(2, "0")}` : `other/${i}`, {
      createdAt: 1_000 + Math.floor(i / 2), // two secrets per creation time
      lastChangedAt: 500_000 - i * 7,
      lastAccessedAt: i % 3 === 0 ? null : (i % 5) * DAY,
      deletedAt: i === 5 || i === 40 ? 1_700_000_000_000 : null,
      tags: [{ Key: "kind", Value: RARE.has(i) ? "rare" : "common" }],
    }),
  );
  const rare = rows.filter((_, i) => RARE.has(i));
  const listed = (row: IndexRow) => row.deletedAt === null;
  const byName = new Map(rows.map((row) => [row.name, row]));
  const byCreated = sorted(rows, "created-date", "asc").map((name) => byName.get(name)!);
  const position = (row: IndexRow): Position => [row.createdAt, row.arn];
  beforeAll(() => writeRows(rows));

  const query = (fields: Partial<ListQuery>): ListQuery => ({
    accountId: ACCOUNT, region: regionName, filters: [{ key: "tag-value", values: ["!common"] }], sortBy: "created-date", sortOrder: "asc", includePlannedDeletion: false, ...fields,
  });

  /** Every page of a query, following `next`. */
  async function pagesOf(q: ListQuery, limit: number, scan = SCAN) {
    const pages: { names: string[]; next?: Position }[] = [];
    let after: Position | undefined;
    do {
      const page = await listPage(env.DB, q, limit, after, scan);
      pages.push({ names: page.secrets.map((s) => s.name), next: page.next });
      after = page.next;
    } while (after && pages.length <= rows.length);
    return pages;
  }

  for (const sortBy of ["created-date", "last-changed-date", "last-accessed-date", "name"] as const) {
    for (const sortOrder of ["asc", "desc"] as const) {
      it(`a sparse negated filter sorted by ${sortBy} ${sortOrder} lists every match exactly once across windows, empty pages carrying a position`, async () => {
        expect(await choosePlan(env.DB, query({ sortBy }))).toEqual({ kind: "walk" });
        for (const limit of [2, 100]) {
          const pages = await pagesOf(query({ sortBy, sortOrder }), limit);
          expect(pages.flatMap((p) => p.names)).toEqual(sorted(rare.filter(listed), sortBy, sortOrder));
          expect(pages.some((p) => p.names.length === 0 && p.next !== undefined)).toBe(true);
          expect(pages.slice(0, -1).every((p) => p.next !== undefined)).toBe(true);
          expect(pages.at(-1)!.next).toBeUndefined();
          expect(pages.every((p) => p.names.length <= limit)).toBe(true);
          // Each page reads one window of 7 rows, deleted secrets included; the last window ends at the last row.
          if (limit === 100) expect(pages).toHaveLength(rows.length / SCAN);
        }
      });
    }
  }

  it("a page that fills inside a window continues after its last secret; one that does not, after the window", async () => {
    const matches = (window: IndexRow[]) => window.filter((row) => rare.includes(row) && listed(row));
    const [first, second] = await pagesOf(query({}), 2);
    const inFirstWindow = matches(byCreated.slice(0, SCAN));
    expect(inFirstWindow.length).toBeGreaterThan(2);
    expect(first).toEqual({ names: inFirstWindow.slice(0, 2).map((row) => row.name), next: position(inFirstWindow[1]!) });
    const start = byCreated.indexOf(inFirstWindow[1]!) + 1;
    const secondWindow = byCreated.slice(start, start + SCAN);
    expect(matches(secondWindow).length).toBeLessThanOrEqual(2);
    expect(second).toEqual({ names: matches(secondWindow).map((row) => row.name), next: position(secondWindow.at(-1)!) });
  });

  it("secrets scheduled for deletion take up window rows and are listed with IncludePlannedDeletion", async () => {
    const pages = await pagesOf(query({ includePlannedDeletion: true }), 100);
    expect(pages.flatMap((p) => p.names)).toEqual(sorted(rare, "created-date", "asc"));
    expect(pages).toHaveLength(rows.length / SCAN);
  });

  it("when the windows do not divide the rows the last page is short, and no empty page follows the last window", async () => {
    const pages = await pagesOf(query({}), 100, 8);
    expect(pages.flatMap((p) => p.names)).toEqual(sorted(rare.filter(listed), "created-date", "asc"));
    expect(pages).toHaveLength(Math.ceil(rows.length / 8));
    const all = await pagesOf(query({ filters: [] }), 100, 8);
    const windows = Array.from({ length: Math.ceil(rows.length / 8) }, (_, w) => byCreated.slice(8 * w, 8 * w + 8));
    expect(all.map((p) => p.names)).toEqual(windows.map((window) => window.filter(listed).map((row) => row.name)));
  });

  it("a name prefix sorted by name reads windows of its name range only", async () => {
    const filters: Filter[] = [{ key: "name", values: ["win/"] }, { key: "tag-value", values: ["!common"] }];
    expect(await choosePlan(env.DB, query({ filters, sortBy: "name" }))).toMatchObject({ kind: "name-range" });
    for (const sortOrder of ["asc", "desc"] as const) {
      const pages = await pagesOf(query({ filters, sortBy: "name", sortOrder }), 2);
      expect(pages.flatMap((p) => p.names)).toEqual(sorted(rare.filter((r) => listed(r) && r.name.startsWith("win/")), "name", sortOrder));
      expect(pages.at(-1)!.next).toBeUndefined();
      expect(pages.some((p) => p.names.length === 0 && p.next !== undefined)).toBe(true);
    }
    // 63 win/ names in windows of 7: nine pages, other/… never read.
    expect(await pagesOf(query({ filters, sortBy: "name" }), 100)).toHaveLength(9);
  });

  it("ListSecrets pages through a sparse negated filter with the default window", async () => {
    const names = await region(regionName).names({ Filters: [{ Key: "tag-value", Values: ["!common"] }], SortBy: "name", MaxResults: 2 });
    expect(names).toEqual(sorted(rare.filter(listed), "name", "asc"));
  });
});

describe("a page for a caller who may not list every secret depends on nothing hidden", () => {
  // listPage with `visible`, a window of 5 rows. 30 secrets by creation time: every 7th is visible (vis/…), the others
  // hidden; hidden names alternate between two prefixes, so a filter on either prefix matches many hidden rows.
  const regionName = isolatedRegion();
  const SCAN = 5;
  const rows = Array.from({ length: 30 }, (_, i) =>
    indexRow(regionName, i % 7 === 3 ? `vis/${i}` : `${i % 2 ? "hidden/pay" : "hidden/tax"}-${i}`, { createdAt: 10_000 + i }),
  );
  const visible = (s: { arn: string }) => s.arn.includes(":secret:vis/");
  beforeAll(() => writeRows(rows));

  /** Every page of a query, following `next`, and every statement they sent. */
  async function pagesOf(values: string[], limit: number, sortOrder: "asc" | "desc") {
    const statements: string[] = [];
    const db = new Proxy(env.DB, {
      get(target, key) {
        if (key === "prepare") return (sql: string) => (statements.push(sql), target.prepare(sql));
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const q: ListQuery = { accountId: ACCOUNT, region: regionName, filters: [{ key: "name", values }], sortBy: "created-date", sortOrder, includePlannedDeletion: false };
    const pages: { names: string[]; next?: Position }[] = [];
    let after: Position | undefined;
    do {
      const page = await listPage(db, q, limit, after, SCAN, visible);
      pages.push({ names: page.secrets.map((s) => s.name), next: page.next });
      after = page.next;
    } while (after && pages.length <= rows.length);
    return { pages, statements };
  }

  for (const sortOrder of ["asc", "desc"] as const) {
    it(`pages, positions and statements are the same whether hidden secrets match or not (${sortOrder})`, async () => {
      for (const limit of [1, 2, 100]) {
        const none = await pagesOf(["vis/", "nothing/"], limit, sortOrder);
        const names = none.pages.flatMap((p) => p.names);
        expect(names).toEqual(sorted(rows.filter(visible), "created-date", sortOrder));
        for (const hidden of ["hidden/pay", "hidden/", "h"]) {
          const some = await pagesOf(["vis/", hidden], limit, sortOrder);
          expect(some.pages, `${hidden}, limit ${limit}`).toEqual(none.pages);
          // One walk of a whole window per page (no plan probe counting matches), plus one read of the rows shown.
          expect(some.statements.length).toBe(none.statements.length);
          expect(some.statements.every((sql) => !sql.includes("json_array(json_array("))).toBe(true);
        }
      }
    });
  }
});

describe("NextToken", () => {
  const regionName = isolatedRegion();
  const r = region(regionName);
  beforeAll(() => writeRows(["a", "b", "c"].map((n, i) => indexRow(regionName, n, { createdAt: 10 + i }))));
  const INVALID = { code: "InvalidNextTokenException", message: "The NextToken value is invalid." };

  async function firstToken(input: Record<string, unknown> = {}) {
    const page = await r.list({ MaxResults: 1, ...input });
    expect(page.NextToken).toBeTypeOf("string");
    return page.NextToken!;
  }

  it("is tamper-evident: neither a forged token nor one with a changed key version, IV, ciphertext or tag is accepted", async () => {
    const real = await firstToken();
    const [version, sealed] = real.split(".") as [string, string];
    const altered = (at: number) => {
      const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
      bytes[at < 0 ? bytes.length + at : at]! ^= 0x01;
      return `${version}.${btoa(String.fromCharCode(...bytes))}`;
    };
    const oldFormat = `${btoa(JSON.stringify({ k: "1", p: [0, "arn"] }))}.${btoa("x".repeat(32))}`;
    for (const forged of ["garbage", altered(0), altered(20), altered(-1), `${btoa("2")}.${sealed}`, `${version}.${sealed.slice(0, -8)}`, `${real}.x`, btoa("{}"), oldFormat]) {
      expect(errorOf(await r.call("ListSecrets", { MaxResults: 1, NextToken: forged }))).toEqual(INVALID);
    }
    expect((await r.list({ MaxResults: 1, NextToken: real })).SecretList.map((e) => e.Name)).toEqual(["b"]);
  });

  it("reveals nothing of the row it continues after, which a tag-limited key may not be allowed to list", async () => {
    // AKIDBLUEREADER may list only secrets tagged team=blue. Its pages continue after the last row read, which here is
    // always a hidden one: the token must not show its name, ARN or dates (or any secret's).
    const hiddenRegion = isolatedRegion();
    const team = (value: string) => ({ tags: [{ Key: "team", Value: value }] });
    const rows = [
      indexRow(hiddenRegion, "blue/first", { createdAt: 1_111_111_111_001, ...team("blue") }),
      indexRow(hiddenRegion, "hidden/payroll-db", { createdAt: 1_111_111_111_002, lastChangedAt: 1_222_222_222_002, ...team("red") }),
      indexRow(hiddenRegion, "hidden/merger-plans", { createdAt: 1_111_111_111_003, lastChangedAt: 1_222_222_222_003 }),
      indexRow(hiddenRegion, "blue/last", { createdAt: 1_111_111_111_004, ...team("blue") }),
    ];
    await writeRows(rows);
    const forbidden = rows.flatMap((row) => [row.name, row.arn, String(row.createdAt), String(row.lastChangedAt)]);
    forbidden.push("payroll", "merger", "arn:", "secret:", ACCOUNT);
    for (const SortBy of ["created-date", "last-changed-date", "name"]) {
      const seen: string[] = [];
      const tokens: string[] = [];
      let next: string | undefined;
      do {
        const res = await sm("ListSecrets", { MaxResults: 1, SortBy, NextToken: next }, { region: hiddenRegion, accessKeyId: "AKIDBLUEREADER" });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...(res.body as ListBody).SecretList.map((e) => e.Name));
        next = (res.body as ListBody).NextToken;
        if (next) tokens.push(next);
      } while (next);
      expect(seen.sort()).toEqual(["blue/first", "blue/last"]);
      expect(tokens.length).toBeGreaterThanOrEqual(1);
      for (const t of tokens) {
        const decoded = [t, ...t.split(".").map((part) => atob(part))].join("\n");
        for (const leak of forbidden) expect(decoded, `${SortBy} token ${t}`).not.toContain(leak);
      }
    }
  });

  it("a token is bound to the caller's account and region", async () => {
    const real = await firstToken();
    expect(errorOf(await region().call("ListSecrets", { MaxResults: 1, NextToken: real }))).toEqual(INVALID);
    expect(errorOf(await sm("ListSecrets", { MaxResults: 1, NextToken: real }, { region: regionName, accessKeyId: OTHER_ACCOUNT_KEY }))).toEqual(INVALID);
  });

  it("a token is bound to the query: other filters, SortBy, SortOrder or IncludePlannedDeletion refuse it", async () => {
    const real = await firstToken();
    for (const changed of [
      { Filters: [{ Key: "name", Values: ["a"] }] },
      { SortBy: "name" },
      { SortOrder: "desc" },
      { IncludePlannedDeletion: true },
    ]) {
      expect(errorOf(await r.call("ListSecrets", { MaxResults: 1, NextToken: real, ...changed }))).toEqual(INVALID);
    }
    // The page size may change between pages.
    expect((await r.list({ MaxResults: 2, NextToken: real })).SecretList.map((e) => e.Name)).toEqual(["b", "c"]);
  });

  it("a BatchGetSecretValue token is not a ListSecrets token", async () => {
    await writeRows([indexRow(regionName, "batch-a", { createdAt: 1 }), indexRow(regionName, "batch-b", { createdAt: 2 })]);
    const batch = await r.call("BatchGetSecretValue", { Filters: [{ Key: "name", Values: ["batch-"] }], MaxResults: 1 });
    expect(batch.body.NextToken).toBeTypeOf("string");
    const list = await r.call("ListSecrets", { Filters: [{ Key: "name", Values: ["batch-"] }], NextToken: batch.body.NextToken });
    expect(errorOf(list)).toEqual(INVALID);
  });
});

describe("accounts and regions are isolated", () => {
  it("another account never lists the caller's secrets, even with a matching filter", async () => {
    const mine = region();
    await seed(mine, { "shared/name": { Tags: [{ Key: "env", Value: "prod" }] } });
    const theirs = region(mine.name, OTHER_ACCOUNT_KEY);
    expect(await theirs.names()).toEqual([]);
    expect(await theirs.names({ Filters: [{ Key: "tag-key", Values: ["env"] }] })).toEqual([]);
    await theirs.create("shared/name");
    await waitUntilIndexed(["shared/name"], { region: mine.name, account: "444455556666" });
    expect((await theirs.all()).map((e) => e.ARN)).toEqual([expect.stringContaining(":444455556666:secret:shared/name-")]);
    expect((await mine.all()).map((e) => e.ARN)).toEqual([expect.stringContaining(`:${ACCOUNT}:secret:shared/name-`)]);
  });

  it("another region never lists them", async () => {
    const here = region();
    await seed(here, { "regional/name": {} });
    expect(await region().names({ Filters: [{ Key: "name", Values: ["regional"] }] })).toEqual([]);
    expect(await here.names({ Filters: [{ Key: "name", Values: ["regional"] }] })).toEqual(["regional/name"]);
  });
});

describe("the D1 index serves every filter and sort", () => {
  const regionName = isolatedRegion();
  const query = (fields: Partial<ListQuery>): ListQuery => ({
    accountId: ACCOUNT, region: regionName, filters: [], sortBy: "created-date", sortOrder: "asc", includePlannedDeletion: false, ...fields,
  });

  /** One step of an EXPLAIN QUERY PLAN, with the steps it is nested in (outermost first). */
  interface Step {
    detail: string;
    within: string[];
  }

  /** EXPLAIN QUERY PLAN of one page statement, as D1 answers it. */
  async function stepsOf(q: ListQuery, plan: Plan, after?: Position): Promise<Step[]> {
    const { sql, params } = pageStatement(q, plan, 101, after);
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ id: number; parent: number; detail: string }>();
    const byId = new Map(results.map((row) => [row.id, row]));
    const within = (parent: number): string[] => {
      const row = byId.get(parent);
      return row ? [...within(row.parent), row.detail] : [];
    };
    return results.map((row) => ({ detail: row.detail, within: within(row.parent) }));
  }

  const planOf = async (q: ListQuery, plan: Plan, after?: Position): Promise<string[]> => (await stepsOf(q, plan, after)).map((s) => s.detail);

  /** No table or index is read from its start: every access is an index search, apart from reading back what
   *  earlier steps selected: the candidates (c), a walk's window (w), the page's ARNs (p, page) and a constant row. */
  function expectIndexed(steps: string[]) {
    for (const step of steps) {
      if (/^SCAN /.test(step)) expect(step, steps.join("\n")).toMatch(/^SCAN (c|p|w|page|CONSTANT ROW|\(subquery-\d+\))$/);
    }
    expect(steps.some((s) => /^SEARCH /.test(s))).toBe(true);
  }

  /**
   * A walk reads its window, `range` of the sort index, in index order (a co-routine the page consumes, with no
   * sort step), and looks up where the window ended by the same range. The only sort is the final one, of the
   * page's own rows (at most 101), outside the window and the page.
   */
  function expectWindow(steps: Step[], range: string) {
    const all = steps.map((s) => s.detail).join("\n");
    expect(steps.find((s) => s.within.includes("CO-ROUTINE w"))?.detail, all).toBe(range);
    expect(steps.filter((s) => s.detail === range), all).toHaveLength(2);
    for (const sort of steps.filter((s) => s.detail.includes("TEMP B-TREE"))) {
      expect(sort.within.some((w) => w === "MATERIALIZE page" || w === "CO-ROUTINE w"), all).toBe(false);
    }
  }

  const sorts = [
    ["created-date", "secrets_by_created", "created_at"],
    ["last-changed-date", "secrets_by_changed", "last_changed_at"],
    ["last-accessed-date", "secrets_by_accessed", "last_accessed_key"],
    ["name", "secrets_by_name", "name"],
  ] as const;

  for (const [sortBy, index, column] of sorts) {
    for (const sortOrder of ["asc", "desc"] as const) {
      it(`a deep page by ${sortBy} ${sortOrder} reads a window of ${index} starting at the token's position, with no sort step`, async () => {
        const steps = await stepsOf(query({ sortBy, sortOrder }), { kind: "walk" }, [sortBy === "name" ? "m" : 5, "arn:x"]);
        // SQLite never reads a VIRTUAL generated column (last_accessed_key) from an index, so that window reads rows.
        const covering = sortBy === "last-accessed-date" ? "INDEX" : "COVERING INDEX";
        expectWindow(steps, `SEARCH s USING ${covering} ${index} (account_id=? AND region=? AND (${column},arn)${sortOrder === "asc" ? ">" : "<"}(?,?))`);
        expect(steps).toContainEqual({ detail: "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)", within: expect.arrayContaining(["MATERIALIZE page"]) });
      });
    }
  }

  const filters: [string, Filter][] = [
    ["name", { key: "name", values: ["app/"] }],
    ["tag-key", { key: "tag-key", values: ["env"] }],
    ["tag-value", { key: "tag-value", values: ["prod"] }],
    ["description", { key: "description", values: ["primary db"] }],
    ["all", { key: "all", values: ["primary db"] }],
    ["primary-region", { key: "primary-region", values: ["eu-"] }],
    ["owning-service", { key: "owning-service", values: ["rds"] }],
  ];

  for (const [label, filter] of filters) {
    it(`a narrow ${label} filter is read from its own covering index, then its few secrets are looked up by ARN`, async () => {
      const branches = candidates(filter)!.map((alternatives) => alternatives[0]!);
      const steps = await planOf(query({ filters: [filter] }), { kind: "candidates", filter, branches }, [5, "arn:x"]);
      expectIndexed(steps);
      expect(steps.join("\n")).toMatch(/USING COVERING INDEX (secrets_by_name|secret_tags_by_key|secret_tags_by_value|secret_words_by_word|secrets_by_primary_region|secrets_by_owning_service)/);
      expect(steps).toContain("SEARCH s USING INDEX sqlite_autoindex_secrets_1 (arn=?)");
    });

    it(`a broad ${label} filter, negated or not, is tested per secret by key lookups while the sort index is walked`, async () => {
      for (const f of [filter, { ...filter, values: filter.values.map((v) => `!${v}`) }]) {
        const steps = await stepsOf(query({ filters: [f] }), { kind: "walk" }, [5, "arn:x"]);
        expectIndexed(steps.map((s) => s.detail));
        expectWindow(steps, "SEARCH s USING COVERING INDEX secrets_by_created (account_id=? AND region=? AND (created_at,arn)>(?,?))");
      }
    });
  }

  it("a name prefix sorted by name is one range of secrets_by_name, bounded by the prefix and the token", async () => {
    const filter: Filter = { key: "name", values: ["app/"] };
    const first = await stepsOf(query({ filters: [filter], sortBy: "name" }), { kind: "name-range", filter });
    expectWindow(first, "SEARCH s USING COVERING INDEX secrets_by_name (account_id=? AND region=? AND name>? AND name<?)");
    const deep = await stepsOf(query({ filters: [filter], sortBy: "name" }), { kind: "name-range", filter }, ["app/m", "arn:x"]);
    expectWindow(deep, "SEARCH s USING COVERING INDEX secrets_by_name (account_id=? AND region=? AND (name,arn)>(?,?) AND name<?)");
    const desc = await stepsOf(query({ filters: [filter], sortBy: "name", sortOrder: "desc" }), { kind: "name-range", filter }, ["app/m", "arn:x"]);
    expectWindow(desc, "SEARCH s USING COVERING INDEX secrets_by_name (account_id=? AND region=? AND name>? AND (name,arn)<(?,?))");
    expectIndexed(desc.map((s) => s.detail));
  });

  describe("the plan follows the data", () => {
    const dataRegion = isolatedRegion();
    const q = (filters: Filter[], sortBy: ListQuery["sortBy"] = "created-date"): ListQuery => ({ ...query({ filters, sortBy }), region: dataRegion });
    const LIMIT = CANDIDATE_LIMITS["tag-value"];
    // Between the limits of column filters (1,000) and tag and word filters (2,000): the first 1,500 secrets are
    // tagged tier=gold and have a primary region and an owning service.
    const MIDDLE = (CANDIDATE_LIMITS.name + LIMIT) / 2;
    beforeAll(async () => {
      await writeRows(
        Array.from({ length: LIMIT + 100 }, (_, i) =>
          indexRow(dataRegion, `svc-${i % 4}/item-${i}`, {
            createdAt: i,
            description: `item ${i} of the fleet`,
            tags: [{ Key: "env", Value: "prod" }, { Key: "tier", Value: i < MIDDLE ? "gold" : "silver" }, ...(i % 50 === 0 ? [{ Key: "team", Value: "core" }] : [])],
          }),
        ),
      );
      await env.DB.prepare("UPDATE secrets SET primary_region = 'eu-west-1', owning_service = 'rds' WHERE account_id = ? AND region = ? AND created_at < ?")
        .bind(ACCOUNT, dataRegion, MIDDLE)
        .run();
    });

    it("a filter matching more secrets than its candidate limit walks the sort index; a narrower one drives from its candidates", async () => {
      const broad: Filter = { key: "tag-value", values: ["prod"] };
      const narrow: Filter = { key: "tag-value", values: ["core"] };
      expect(await choosePlan(env.DB, q([broad]))).toEqual({ kind: "walk" });
      expect(await choosePlan(env.DB, q([narrow]))).toMatchObject({ kind: "candidates", filter: narrow });
      expect(await choosePlan(env.DB, q([broad, narrow]))).toMatchObject({ kind: "candidates", filter: narrow });
      expect(await choosePlan(env.DB, q([{ key: "tag-value", values: ["!core"] }]))).toEqual({ kind: "walk" });
      const byName: Filter = { key: "name", values: ["svc-1/"] };
      expect(await choosePlan(env.DB, q([byName], "name"))).toEqual({ kind: "name-range", filter: byName });
    });

    it("a name, primary-region or owning-service filter drives from its candidates up to 1,000 matches, a tag or word filter up to 2,000", async () => {
      // 1,500 matches each: columns of the row walk, tags and words drive.
      const eu: Filter = { key: "primary-region", values: ["eu-"] };
      const rds: Filter = { key: "owning-service", values: ["rds"] };
      const gold: Filter = { key: "tag-value", values: ["gold"] };
      expect(await choosePlan(env.DB, q([eu]))).toEqual({ kind: "walk" });
      expect(await choosePlan(env.DB, q([rds]))).toEqual({ kind: "walk" });
      expect(await choosePlan(env.DB, q([gold]))).toMatchObject({ kind: "candidates", filter: gold });
      expect(await choosePlan(env.DB, q([{ key: "tag-key", values: ["tier"] }]))).toEqual({ kind: "walk" });
      expect(await choosePlan(env.DB, q([{ key: "all", values: ["gold"] }]))).toMatchObject({ kind: "candidates" });
      expect(await choosePlan(env.DB, q([{ key: "description", values: ["item"] }]))).toEqual({ kind: "walk" });
      // With both, the tag filter drives and the region is tested on its candidates.
      expect(await choosePlan(env.DB, q([eu, gold]))).toMatchObject({ kind: "candidates", filter: gold });
      // 525 names start with svc-1/: within the name limit; all 2,100 start with svc-.
      const svc1: Filter = { key: "name", values: ["svc-1/"] };
      expect(await choosePlan(env.DB, q([svc1]))).toMatchObject({ kind: "candidates", filter: svc1 });
      expect(await choosePlan(env.DB, q([{ key: "name", values: ["svc-"] }]))).toEqual({ kind: "walk" });
    });

    it("a primary-region filter over its candidate limit lists the same secrets by walking", async () => {
      const r = region(dataRegion);
      const page = await r.list({ Filters: [{ Key: "primary-region", Values: ["eu-"] }, { Key: "owning-service", Values: ["rds"] }], SortOrder: "desc", MaxResults: 100 });
      expect(page.SecretList.map((e) => e.Name)).toEqual(Array.from({ length: 100 }, (_, k) => `svc-${(MIDDLE - 1 - k) % 4}/item-${MIDDLE - 1 - k}`));
      expect(page.NextToken).toBeTypeOf("string");
    });

    it("a word filter is driven by its rarest word, not its longest", async () => {
      const filter: Filter = { key: "all", values: ["fleet 1050"] };
      const plan = await choosePlan(env.DB, q([filter]));
      expect(plan).toMatchObject({ kind: "candidates", filter });
      expect((plan as Extract<Plan, { kind: "candidates" }>).branches).toEqual([expect.stringContaining("word >= '1050' AND word < '1051'")]);
      expect(await region(dataRegion).names({ Filters: [{ Key: "all", Values: ["fleet 1050"] }] })).toEqual([`svc-2/item-1050`]);
      expect(await choosePlan(env.DB, q([{ key: "description", values: ["fleet"] }]))).toEqual({ kind: "walk" });
    });

    it("both plans list the same secrets in the same order", async () => {
      const r = region(dataRegion);
      const viaCandidates = await r.names({ Filters: [{ Key: "tag-value", Values: ["core"] }], SortOrder: "desc", MaxResults: 7 });
      // A negated value makes the same selection walk the sort index: core, or not prod (none).
      const viaWalk = await r.names({ Filters: [{ Key: "tag-value", Values: ["core", "!prod"] }], SortOrder: "desc", MaxResults: 7 });
      expect(viaCandidates).toHaveLength(Math.ceil((LIMIT + 100) / 50));
      expect(viaWalk).toEqual(viaCandidates);
      expect(viaCandidates[0]).toBe(`svc-${(LIMIT + 50) % 4}/item-${LIMIT + 50}`);
    });

    it("a broad filter pages through all its secrets by walking the name index, nothing skipped or repeated", async () => {
      const names = await region(dataRegion).names({ Filters: [{ Key: "tag-value", Values: ["prod"] }], SortBy: "name", SortOrder: "desc", MaxResults: 100 });
      expect(names).toHaveLength(LIMIT + 100);
      expect(names).toEqual([...names].sort().reverse());
      expect(new Set(names).size).toBe(names.length);
    });
  });
});
