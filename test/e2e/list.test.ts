// ListSecrets and BatchGetSecretValue through the stock AWS SDK v3 client against the local server, with the SDK's
// own paginators (paginateListSecrets, paginateBatchGetSecretValue) following NextToken to the end.
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  type Filter,
  type SecretListEntry,
  type SecretValueEntry,
  paginateBatchGetSecretValue,
  paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { arnPattern, client, failure, uniqueName } from "./client";

const sm = client(inject("endpoint"));
const COUNT = 7;
const base = uniqueName("list");
const names = Array.from({ length: COUNT }, (_, i) => `${base}/${String(i).padStart(2, "0")}`);
const byPrefix: Filter[] = [{ Key: "name", Values: [`${base}/`] }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listAll(input: ListSecretsCommandInput, pageSize: number) {
  const entries: SecretListEntry[] = [];
  let pages = 0;
  for await (const page of paginateListSecrets({ client: sm, pageSize }, input)) {
    pages++;
    entries.push(...(page.SecretList ?? []));
  }
  return { entries, pages };
}

/** ListSecrets is eventually consistent (as on AWS): waits until the index shows what the test expects. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !done(value); i++) {
    await sleep(100);
    value = await read();
  }
  return value;
}

beforeAll(async () => {
  for (const [i, name] of names.entries()) {
    await sm.send(
      new CreateSecretCommand({ Name: name, SecretString: `value ${i}`, Description: `item number ${i}`, Tags: [{ Key: "parity", Value: i % 2 ? "odd" : "even" }] }),
    );
  }
  await eventually(() => listAll({ Filters: byPrefix }, 100), (r) => r.entries.length === COUNT);
});

describe("paginateListSecrets", () => {
  it("pages through every secret once, in CreatedDate order, two per page", async () => {
    const { entries, pages } = await listAll({ Filters: byPrefix }, 2);
    expect(entries.map((e) => e.Name)).toEqual(names);
    expect(pages).toBe(Math.ceil(COUNT / 2));
  });

  it("returns the entry fields as SDK types: dates as Date, SecretVersionsToStages, Tags", async () => {
    const { entries } = await listAll({ Filters: [{ Key: "name", Values: [names[3]!] }] }, 100);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.ARN).toMatch(arnPattern(names[3]!));
    expect(entry!.CreatedDate).toBeInstanceOf(Date);
    expect(Math.abs(entry!.CreatedDate!.getTime() - Date.now())).toBeLessThan(300_000);
    expect(entry!.LastChangedDate).toBeInstanceOf(Date);
    expect(entry!.Description).toBe("item number 3");
    expect(entry!.Tags).toEqual([{ Key: "parity", Value: "odd" }]);
    expect(Object.values(entry!.SecretVersionsToStages!)).toEqual([["AWSCURRENT"]]);
    expect(JSON.stringify(entry)).not.toContain("value 3");
  });

  it("sorts by name descending and filters by tag value and description words", async () => {
    const { entries } = await listAll({ Filters: [...byPrefix, { Key: "tag-value", Values: ["odd"] }], SortBy: "name", SortOrder: "desc" }, 1);
    expect(entries.map((e) => e.Name)).toEqual(names.filter((_, i) => i % 2).reverse());
    const { entries: described } = await listAll({ Filters: [...byPrefix, { Key: "description", Values: ["NUMBER 4"] }] }, 3);
    expect(described.map((e) => e.Name)).toEqual([names[4]]);
  });

  it("hides a secret scheduled for deletion unless IncludePlannedDeletion", async () => {
    const doomed = uniqueName("list-doomed");
    await sm.send(new CreateSecretCommand({ Name: doomed, SecretString: "bye" }));
    await sm.send(new DeleteSecretCommand({ SecretId: doomed, RecoveryWindowInDays: 7 }));
    const filters: Filter[] = [{ Key: "name", Values: [doomed] }];
    const planned = await eventually(
      () => listAll({ Filters: filters, IncludePlannedDeletion: true }, 10),
      (r) => r.entries[0]?.DeletedDate !== undefined,
    );
    expect(planned.entries[0]!.DeletedDate).toBeInstanceOf(Date);
    expect((await listAll({ Filters: filters }, 10)).entries).toEqual([]);
  });

  it("a forged NextToken is InvalidNextTokenException", async () => {
    const error = await failure(sm.send(new ListSecretsCommand({ NextToken: "forged-token" })));
    expect(error).toBeInstanceOf(InvalidNextTokenException);
    expect(error.message).toBe("The NextToken value is invalid.");
  });
});

describe("paginateBatchGetSecretValue", () => {
  it("pages through the values of the secrets the filters select", async () => {
    const values: SecretValueEntry[] = [];
    let pages = 0;
    for await (const page of paginateBatchGetSecretValue({ client: sm, pageSize: 3 }, { Filters: byPrefix })) {
      pages++;
      expect(page.Errors).toEqual([]);
      values.push(...(page.SecretValues ?? []));
    }
    expect(pages).toBe(Math.ceil(COUNT / 3));
    expect(values.map((v) => [v.Name, v.SecretString])).toEqual(names.map((n, i) => [n, `value ${i}`]));
    expect(values[0]!.CreatedDate).toBeInstanceOf(Date);
    expect(values[0]!.VersionStages).toEqual(["AWSCURRENT"]);
  });

  it("by SecretIdList returns the values found and an Errors entry for each secret that fails", async () => {
    const missing = uniqueName("list-missing");
    const result = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [names[0]!, missing, names[1]!] }));
    expect(result.SecretValues!.map((v) => v.SecretString)).toEqual(["value 0", "value 1"]);
    expect(result.Errors).toEqual([
      { SecretId: missing, ErrorCode: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." },
    ]);
  });

  it("refuses SecretIdList and Filters together", async () => {
    const error = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: [names[0]!], Filters: byPrefix })));
    expect(error).toBeInstanceOf(InvalidParameterException);
  });
});
