// BatchGetSecretValue through the Worker: AWSCURRENT values by SecretIdList (per-secret failures in Errors with the
// code and message GetSecretValue would answer) or by Filters with MaxResults/NextToken paging over the D1 index,
// the request rules of the model, and account/region isolation. reference/aws-behaviour.md §6; no AWS recording
// of this operation exists (§9), so shapes follow the model and GetSecretValue.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createSecret, isolatedRegion, secretStub, waitUntilIndexed } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const ACCOUNT = "111122223333";
const DAY = 86_400_000;
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

interface ValueEntry {
  ARN: string;
  Name: string;
  VersionId: string;
  SecretString?: string;
  SecretBinary?: string;
  VersionStages: string[];
  CreatedDate: number;
}
interface BatchBody {
  SecretValues: ValueEntry[];
  Errors: { SecretId: string; ErrorCode: string; Message: string }[];
  NextToken?: string;
}

function region(name = isolatedRegion(), accessKeyId?: string) {
  const call = (op: string, input: unknown) => sm(op, input, { region: name, accessKeyId });
  return {
    name,
    call,
    // `extra` replaces the value: a SecretBinary, or {} for a secret without one.
    create(secretName: string, extra: Record<string, unknown> = { SecretString: `value-of-${secretName}` }) {
      return createSecret(secretName, null, extra, { region: name, accessKeyId });
    },
    async batch(input: Record<string, unknown>): Promise<BatchBody> {
      const res = await call("BatchGetSecretValue", input);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
  };
}

describe("BatchGetSecretValue by SecretIdList", () => {
  it("returns each secret's AWSCURRENT value with GetSecretValue's fields, in the order asked, by name, ARN or partial ARN", async () => {
    const r = region();
    const a = await r.create("batch/a");
    const b = await r.create("batch/b");
    const v2 = token();
    await r.call("PutSecretValue", { SecretId: "batch/b", SecretString: "b-second", ClientRequestToken: v2 });
    const body = await r.batch({ SecretIdList: [b.ARN, "batch/a", a.ARN.slice(0, -7)] });
    expect(body).toEqual({ SecretValues: expect.any(Array), Errors: [] });
    expect(body.SecretValues.map((v) => [v.Name, v.SecretString])).toEqual([
      ["batch/b", "b-second"],
      ["batch/a", "value-of-batch/a"],
      ["batch/a", "value-of-batch/a"],
    ]);
    const [first] = body.SecretValues;
    expect(Object.keys(first!).sort()).toEqual(["ARN", "CreatedDate", "Name", "SecretString", "VersionId", "VersionStages"]);
    expect(first).toMatchObject({ ARN: b.ARN, VersionId: v2, VersionStages: ["AWSCURRENT"] });
    const single = (await r.call("GetSecretValue", { SecretId: "batch/b" })).body;
    expect(first!.CreatedDate).toBe(single.CreatedDate);
  });

  it("a binary secret comes back as base64 SecretBinary", async () => {
    const r = region();
    await r.create("binary", { SecretBinary: btoa("\u0000\u0001\u00ff") });
    const [value] = (await r.batch({ SecretIdList: ["binary"] })).SecretValues;
    expect(value!.SecretBinary).toBe(btoa("\u0000\u0001\u00ff"));
    expect(value).not.toHaveProperty("SecretString");
  });

  it("per-secret failures go into Errors with the AWS code and message, and the call still succeeds", async () => {
    const r = region();
    const ok = await r.create("found");
    const doomed = await r.create("doomed");
    await r.call("DeleteSecret", { SecretId: "doomed", RecoveryWindowInDays: 7 });
    await r.create("no-value", {});
    const otherRegionArn = ok.ARN.replace(`:${r.name}:`, ":us-west-2:");
    const otherAccountArn = ok.ARN.replace(`:${ACCOUNT}:`, ":444455556666:");
    const wrongSuffix = ok.ARN.replace(/-[A-Za-z0-9]{6}$/, "-Zz9Zz9");

    const body = await r.batch({
      SecretIdList: ["found", "missing", "doomed", "no-value", "bad name!*", otherRegionArn, otherAccountArn, wrongSuffix, doomed.ARN],
    });
    expect(body.SecretValues.map((v) => v.Name)).toEqual(["found"]);
    expect(body.Errors).toEqual([
      { SecretId: "missing", ErrorCode: "ResourceNotFoundException", Message: NOT_FOUND },
      {
        SecretId: "doomed",
        ErrorCode: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      },
      {
        SecretId: "no-value",
        ErrorCode: "ResourceNotFoundException",
        Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      },
      {
        SecretId: "bad name!*",
        ErrorCode: "ValidationException",
        Message: "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
      },
      { SecretId: otherRegionArn, ErrorCode: "ResourceNotFoundException", Message: NOT_FOUND },
      {
        SecretId: otherAccountArn,
        ErrorCode: "AccessDeniedException",
        Message: `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: secretsmanager:GetSecretValue on resource: ${otherAccountArn} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
      },
      { SecretId: wrongSuffix, ErrorCode: "ResourceNotFoundException", Message: NOT_FOUND },
      {
        SecretId: doomed.ARN,
        ErrorCode: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      },
    ]);
  });

  it("a secret whose stored value cannot be decrypted is a DecryptionFailure in Errors, never a value", async () => {
    const r = region();
    await r.create("intact");
    const broken = await r.create("broken");
    const stub = secretStub("broken", { region: r.name });
    await runInDurableObject(stub, (_o, state) => {
      const envelope = JSON.parse(state.storage.sql.exec("SELECT envelope FROM versions WHERE version_id = ?", broken.VersionId!).one().envelope as string);
      envelope.ciphertext = btoa("not the ciphertext at all");
      state.storage.sql.exec("UPDATE versions SET envelope = ? WHERE version_id = ?", JSON.stringify(envelope), broken.VersionId!);
    });
    const body = await r.batch({ SecretIdList: ["broken", "intact"] });
    expect(body.SecretValues.map((v) => v.Name)).toEqual(["intact"]);
    expect(body.Errors).toEqual([
      { SecretId: "broken", ErrorCode: "DecryptionFailure", Message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key." },
    ]);
    expect(JSON.stringify(body)).not.toContain("value-of-broken");
  });

  it("reads count as access: LastAccessedDate is set as by GetSecretValue", async () => {
    const r = region();
    await r.create("read-me");
    await r.batch({ SecretIdList: ["read-me"] });
    const described = (await r.call("DescribeSecret", { SecretId: "read-me" })).body;
    expect(described.LastAccessedDate).toBe((Math.floor(Date.now() / DAY) * DAY) / 1000);
  });

  it("twenty secrets are read in one call", async () => {
    const r = region();
    const names = Array.from({ length: 20 }, (_, i) => `many/${i}`);
    for (const name of names) await r.create(name);
    const body = await r.batch({ SecretIdList: names });
    expect(body.SecretValues.map((v) => v.SecretString)).toEqual(names.map((n) => `value-of-${n}`));
  });
});

describe("BatchGetSecretValue by Filters", () => {
  it("returns the values of the secrets the filters select, paged by MaxResults with nothing skipped or repeated", async () => {
    const r = region();
    const names = Array.from({ length: 12 }, (_, i) => `app/${String(i).padStart(2, "0")}`);
    for (const name of names) await r.create(name, { SecretString: `value-of-${name}`, Tags: [{ Key: "app", Value: "yes" }] });
    await r.create("other/x");
    await waitUntilIndexed([...names, "other/x"], { region: r.name });

    for (const maxResults of [1, 5, 20]) {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await r.batch({ Filters: [{ Key: "tag-key", Values: ["app"] }], MaxResults: maxResults, NextToken: next });
        expect(page.Errors).toEqual([]);
        expect(page.SecretValues.length).toBeLessThanOrEqual(maxResults);
        seen.push(...page.SecretValues.map((v) => v.SecretString!));
        next = page.NextToken;
        pages++;
      } while (next);
      expect(seen.sort()).toEqual(names.map((n) => `value-of-${n}`));
      expect(pages).toBe(Math.ceil(12 / maxResults));
    }
  });

  it("without MaxResults a page holds at most 20 values", async () => {
    const r = region();
    const names = Array.from({ length: 21 }, (_, i) => `bulk/${i}`);
    for (const name of names) await r.create(name);
    await waitUntilIndexed(names, { region: r.name });
    const first = await r.batch({ Filters: [{ Key: "name", Values: ["bulk/"] }] });
    expect(first.SecretValues).toHaveLength(20);
    const second = await r.batch({ Filters: [{ Key: "name", Values: ["bulk/"] }], NextToken: first.NextToken });
    expect(second.SecretValues).toHaveLength(1);
    expect(second).not.toHaveProperty("NextToken");
  });

  it("leaves out secrets scheduled for deletion, also before the index has caught up", async () => {
    const r = region();
    await r.create("live");
    await r.create("dying");
    await waitUntilIndexed(["live", "dying"], { region: r.name });
    await r.call("DeleteSecret", { SecretId: "dying", RecoveryWindowInDays: 7 });
    // Whether or not the index already knows, the deleted secret is neither a value nor an error.
    const body = await r.batch({ Filters: [{ Key: "name", Values: [""] }] });
    expect(body.SecretValues.map((v) => v.Name)).toEqual(["live"]);
    expect(body.Errors).toEqual([]);
  });

  it("reports a selected secret without a value in Errors under its ARN", async () => {
    const r = region();
    const empty = await r.create("empty", {});
    await waitUntilIndexed(["empty"], { region: r.name });
    const body = await r.batch({ Filters: [{ Key: "name", Values: ["empty"] }] });
    expect(body.SecretValues).toEqual([]);
    expect(body.Errors).toEqual([
      { SecretId: empty.ARN, ErrorCode: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" },
    ]);
  });

  it("never selects another account's or region's secrets", async () => {
    const mine = region();
    await mine.create("mine/secret");
    await waitUntilIndexed(["mine/secret"], { region: mine.name });
    const theirs = region(mine.name, "AKIDOTHERACCOUNT");
    expect(await theirs.batch({ Filters: [{ Key: "name", Values: ["mine/"] }] })).toEqual({ SecretValues: [], Errors: [] });
    expect(await region().batch({ Filters: [{ Key: "name", Values: ["mine/"] }] })).toEqual({ SecretValues: [], Errors: [] });
  });

  it("a forged NextToken, or one from ListSecrets or other filters, is InvalidNextTokenException", async () => {
    const r = region();
    for (const name of ["t/1", "t/2"]) await r.create(name);
    await waitUntilIndexed(["t/1", "t/2"], { region: r.name });
    const filters = [{ Key: "name", Values: ["t/"] }];
    const own = (await r.batch({ Filters: filters, MaxResults: 1 })).NextToken!;
    const listed = (await r.call("ListSecrets", { Filters: filters, MaxResults: 1 })).body.NextToken as string;
    const invalid = { code: "InvalidNextTokenException", message: "The NextToken value is invalid." };
    expect(errorOf(await r.call("BatchGetSecretValue", { Filters: filters, NextToken: "forged" }))).toEqual(invalid);
    expect(errorOf(await r.call("BatchGetSecretValue", { Filters: filters, NextToken: listed }))).toEqual(invalid);
    expect(errorOf(await r.call("BatchGetSecretValue", { Filters: [{ Key: "name", Values: ["t"] }], NextToken: own }))).toEqual(invalid);
    expect((await r.batch({ Filters: filters, NextToken: own })).SecretValues).toHaveLength(1);
  });

  it("a NextToken is opaque: its decoded bytes hold no secret's name, ARN or date", async () => {
    const r = region();
    const names = ["opaque/alpha-payroll", "opaque/beta-merger", "opaque/gamma-audit"];
    const created = [];
    for (const name of names) created.push(await r.create(name));
    await waitUntilIndexed(names, { region: r.name });
    const dates = await Promise.all(names.map(async (name) => String((await r.call("DescribeSecret", { SecretId: name })).body.CreatedDate)));
    const forbidden = [...names, ...created.map((c) => c.ARN), ...dates.map((d) => d.replace(".", "")), "alpha-payroll", "beta-merger", "arn:", "secret:", ACCOUNT];
    const tokens: string[] = [];
    let next: string | undefined;
    do {
      const page = await r.batch({ Filters: [{ Key: "name", Values: ["opaque/"] }], MaxResults: 1, NextToken: next });
      next = page.NextToken;
      if (next) tokens.push(next);
    } while (next);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of tokens) {
      const decoded = [t, ...t.split(".").map((part) => atob(part))].join("\n");
      for (const leak of forbidden) expect(decoded, t).not.toContain(leak);
    }
  });
});

describe("BatchGetSecretValue request rules", () => {
  const BOTH = { code: "InvalidParameterException", message: "Either 'SecretIdList' or 'Filters' must be provided, but not both." };

  it("SecretIdList and Filters together, or neither, is InvalidParameterException", async () => {
    expect(errorOf(await sm("BatchGetSecretValue", { SecretIdList: ["a"], Filters: [{ Key: "name", Values: ["a"] }] }))).toEqual(BOTH);
    expect(errorOf(await sm("BatchGetSecretValue", {}))).toEqual(BOTH);
  });

  it("MaxResults without Filters is InvalidParameterException", async () => {
    expect(errorOf(await sm("BatchGetSecretValue", { SecretIdList: ["a"], MaxResults: 5 }))).toEqual({
      code: "InvalidParameterException",
      message: "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
    });
  });

  it("an empty SecretIdList, more than 20 ids, or MaxResults outside 1–20 is a ValidationException", async () => {
    expect(errorOf(await sm("BatchGetSecretValue", { SecretIdList: [] })).message).toBe(
      "1 validation error detected: Value '[]' at 'secretIdList' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(errorOf(await sm("BatchGetSecretValue", { SecretIdList: Array(21).fill("a") })).message).toContain(
      "at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20",
    );
    expect(errorOf(await sm("BatchGetSecretValue", { Filters: [], MaxResults: 21 })).message).toBe(
      "1 validation error detected: Value '21' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 20",
    );
  });

  it("Filters are validated as in ListSecrets", async () => {
    expect(errorOf(await sm("BatchGetSecretValue", { Filters: [{ Key: "everything", Values: ["a"] }] })).message).toBe(
      "1 validation error detected: Value 'everything' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, name, tag-key, description, tag-value, primary-region, owning-service]",
    );
    expect(errorOf(await sm("BatchGetSecretValue", { Filters: [{ Key: "name" }] }))).toEqual({
      code: "InvalidParameterException",
      message: "Invalid filter values for key: name",
    });
  });

  it("a filter without Key or Values is refused before authorization, also for a key that may not call BatchGetSecretValue", async () => {
    // Neither AKIDBLUEREADER's nor AKIDGREENTEAM's policy allows BatchGetSecretValue (GREENTEAM's not ListSecrets either).
    for (const accessKeyId of ["AKIDBLUEREADER", "AKIDGREENTEAM"]) {
      expect(errorOf(await sm("BatchGetSecretValue", { Filters: [{ Values: ["a"] }] }, { accessKeyId }))).toEqual({ code: "InvalidParameterException", message: "Invalid filter key" });
      expect(errorOf(await sm("BatchGetSecretValue", { Filters: [{ Key: "name" }], MaxResults: 5 }, { accessKeyId }))).toEqual({
        code: "InvalidParameterException",
        message: "Invalid filter values for key: name",
      });
      expect(errorOf(await sm("BatchGetSecretValue", { Filters: [{ Key: "name", Values: ["a"] }] }, { accessKeyId })).code).toBe("AccessDeniedException");
    }
  });
});
