// Concurrent writes to one secret: the Durable Object serialises them, so no version is lost, exactly one
// version is AWSCURRENT (the last committed) and AWSPREVIOUS is the one committed just before it.
import { describe, expect, it } from "vitest";
import { storedVersionIds, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

describe("concurrent PutSecretValue on one secret", () => {
  it("50 concurrent PutSecretValue calls each create a version; none is lost", async () => {
    const name = uniqueName("concurrent-put");
    const first = await sm("CreateSecret", { Name: name, SecretString: "value-0", ClientRequestToken: token() });
    expect(first.status).toBe(200);

    const tokens = Array.from({ length: 50 }, () => token());
    const puts = await Promise.all(tokens.map((t, i) => sm("PutSecretValue", { SecretId: name, SecretString: `value-${i + 1}`, ClientRequestToken: t })));
    for (const [i, put] of puts.entries()) {
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.VersionId).toBe(tokens[i]);
    }

    const listed = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true });
    expect(listed.status).toBe(200);
    const ids = listed.body.Versions.map((v: { VersionId: string }) => v.VersionId);
    expect(ids).toHaveLength(51);
    expect(new Set(ids)).toEqual(new Set([first.body.VersionId, ...tokens]));

    // Exactly one AWSCURRENT and one AWSPREVIOUS, on the last two versions committed.
    const order = await storedVersionIds(name);
    expect(order).toHaveLength(51);
    expect(order[0]).toBe(first.body.VersionId);
    const withLabel = (label: string) => listed.body.Versions.filter((v: { VersionStages?: string[] }) => v.VersionStages?.includes(label));
    expect(withLabel("AWSCURRENT").map((v: { VersionId: string }) => v.VersionId)).toEqual([order[50]]);
    expect(withLabel("AWSPREVIOUS").map((v: { VersionId: string }) => v.VersionId)).toEqual([order[49]]);
    const labelled = listed.body.Versions.filter((v: { VersionStages?: string[] }) => v.VersionStages !== undefined);
    expect(labelled).toHaveLength(2);

    const current = await sm("GetSecretValue", { SecretId: name });
    expect(current.body.VersionId).toBe(order[50]);
    expect(current.body.SecretString).toBe(`value-${tokens.indexOf(order[50]!) + 1}`);
  });

  it("every version written concurrently is readable by its VersionId with its own value", async () => {
    const name = uniqueName("concurrent-read");
    await sm("CreateSecret", { Name: name, SecretString: "value-0", ClientRequestToken: token() });
    const tokens = Array.from({ length: 50 }, () => token());
    await Promise.all(tokens.map((t, i) => sm("PutSecretValue", { SecretId: name, SecretString: `value-${i + 1}`, ClientRequestToken: t })));

    const reads = await Promise.all(tokens.map((t) => sm("GetSecretValue", { SecretId: name, VersionId: t })));
    for (const [i, read] of reads.entries()) {
      expect(read.status).toBe(200);
      expect(read.body.VersionId).toBe(tokens[i]);
      expect(read.body.SecretString).toBe(`value-${i + 1}`);
    }
  });

  it("concurrent retries of one PutSecretValue (same token, same value) create one version", async () => {
    const name = uniqueName("concurrent-retry");
    await sm("CreateSecret", { Name: name, SecretString: "value-0", ClientRequestToken: token() });
    const retried = token();
    const puts = await Promise.all(
      Array.from({ length: 20 }, () => sm("PutSecretValue", { SecretId: name, SecretString: "same", ClientRequestToken: retried })),
    );
    for (const put of puts) {
      expect(put.status).toBe(200);
      expect(put.body.VersionId).toBe(retried);
      expect(put.body.VersionStages).toEqual(["AWSCURRENT"]);
    }
    expect(await storedVersionIds(name)).toHaveLength(2);
  });

  it("concurrent PutSecretValue with one token and different values: one wins, the rest get ResourceExistsException", async () => {
    const name = uniqueName("concurrent-clash");
    const created = await sm("CreateSecret", { Name: name, SecretString: "value-0", ClientRequestToken: token() });
    const clash = token();
    const puts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sm("PutSecretValue", { SecretId: name, SecretString: `value-${i}`, ClientRequestToken: clash })),
    );
    const won = puts.filter((p) => p.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of puts.filter((p) => p.status !== 200)) {
      expect(lost.status).toBe(400);
      expect(errorOf(lost)).toEqual({
        code: "ResourceExistsException",
        message: `You can't use ClientRequestToken ${clash} because that value is already in use for a version of secret ${created.body.ARN}.`,
      });
    }
    expect(await storedVersionIds(name)).toHaveLength(2);
    const stored = await sm("GetSecretValue", { SecretId: name, VersionId: clash });
    expect(puts.indexOf(won[0]!)).toBe(Number(String(stored.body.SecretString).slice("value-".length)));
  });
});

describe("concurrent CreateSecret of one name", () => {
  it("exactly one succeeds; the others get ResourceExistsException", async () => {
    const name = uniqueName("concurrent-create");
    const tokens = Array.from({ length: 20 }, () => token());
    const creates = await Promise.all(tokens.map((t, i) => sm("CreateSecret", { Name: name, SecretString: `value-${i}`, ClientRequestToken: t })));

    const won = creates.filter((c) => c.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of creates.filter((c) => c.status !== 200)) {
      expect(lost.status).toBe(400);
      expect(errorOf(lost)).toEqual({ code: "ResourceExistsException", message: `The operation failed because the secret ${name} already exists.` });
    }

    const winner = creates.indexOf(won[0]!);
    const described = await sm("DescribeSecret", { SecretId: name });
    expect(described.body.ARN).toBe(won[0]!.body.ARN);
    expect(described.body.VersionIdsToStages).toEqual({ [tokens[winner]!]: ["AWSCURRENT"] });
    const value = await sm("GetSecretValue", { SecretId: name });
    expect(value.body.SecretString).toBe(`value-${winner}`);
  });
});
