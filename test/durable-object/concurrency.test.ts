// Concurrent writes to one secret: the Durable Object serialises them, so no version is lost, exactly one
// version is AWSCURRENT (the last committed) and AWSPREVIOUS is the one committed just before it.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Auth } from "../../src/authz/secret";
import type { SecretObject } from "../../src/secret-object/secret-object";
import type { CreateInput, Target } from "../../src/secret-object/types";
import { createSecret, secretStub, storedVersionIds, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";

/** The authorization facts of a caller with full access to its own account (a key without a policy). */
const authFor = (action: string, named: string): Auth => ({
  principal: { arn: `arn:aws:iam::${ACCOUNT}:user/tester`, accountId: ACCOUNT },
  now: Date.now(),
  action: `secretsmanager:${action}`,
  named,
});

const stringValue = (text: string) => ({ kind: "string" as const, bytes: new TextEncoder().encode(text) });

const createInput = (name: string, suffix: string, versionId: string, value: string): CreateInput => ({
  accountId: ACCOUNT, region: REGION, name, suffix, versionId, value: stringValue(value),
});

/**
 * Makes the object's next call of vault[method] (seal or reseal) run `meanwhile` once it has finished and before its
 * caller goes on to commit: another request's whole transition landing while this one awaits its cryptography.
 */
function interleave(instance: SecretObject, method: "seal" | "reseal", meanwhile: () => Promise<unknown>): void {
  const vault = (instance as any).vault;
  vault[method] = async (...args: unknown[]) => {
    delete vault[method];
    const result = await vault[method](...args);
    await meanwhile();
    return result;
  };
}

/** The KmsKeyIds ListSecretVersionIds reports per VersionId. */
async function keysByVersion(name: string): Promise<Record<string, string[]>> {
  const listed = await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true });
  expect(listed.status).toBe(200);
  return Object.fromEntries(listed.body.Versions.map((v: { VersionId: string; KmsKeyIds: string[] }) => [v.VersionId, v.KmsKeyIds]));
}

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

describe("a CreateSecret overtaken by another CreateSecret of the same name while it seals its value", () => {
  it("a retry with the same ClientRequestToken and value that commits first leaves the first attempt the same success", async () => {
    const name = uniqueName("create-overlap");
    const crt = token();
    const { first, retry } = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      const auth = authFor("CreateSecret", name);
      let retry: unknown;
      interleave(instance, "seal", async () => {
        retry = await instance.create(auth, createInput(name, "Rtry01", crt, "same"));
      });
      const first = await instance.create(auth, createInput(name, "Frst01", crt, "same"));
      return { first, retry };
    });
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-Rtry01`;
    expect(retry).toEqual({ ok: true, value: { arn, name, versionId: crt } });
    expect(first).toEqual({ ok: true, value: { arn, name, versionId: crt } });
    expect(await storedVersionIds(name)).toEqual([crt]);
    expect((await sm("GetSecretValue", { SecretId: name })).body).toMatchObject({ ARN: arn, VersionId: crt, SecretString: "same" });
  });

  it("the same ClientRequestToken with another value returns ResourceExistsException for the token (E6)", async () => {
    const name = uniqueName("create-overlap");
    const crt = token();
    const first = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      const auth = authFor("CreateSecret", name);
      interleave(instance, "seal", () => instance.create(auth, createInput(name, "Othr01", crt, "other")));
      return instance.create(auth, createInput(name, "Frst01", crt, "mine"));
    });
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-Othr01`;
    expect(first).toEqual({
      ok: false,
      error: {
        code: "ResourceExistsException",
        message: `You can't use ClientRequestToken ${crt} because that value is already in use for a version of secret ${arn}.`,
      },
    });
  });

  it("a secret of that name already scheduled for deletion returns InvalidRequestException (E5)", async () => {
    const name = uniqueName("create-overlap");
    const crt = token();
    const first = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      interleave(instance, "seal", async () => {
        await instance.create(authFor("CreateSecret", name), createInput(name, "Othr01", crt, "same"));
        await instance.scheduleDeletion(authFor("DeleteSecret", name), { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-??????` }, 7, false);
      });
      return instance.create(authFor("CreateSecret", name), createInput(name, "Frst01", crt, "same"));
    });
    expect(first).toEqual({
      ok: false,
      error: {
        code: "InvalidRequestException",
        message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
      },
    });
  });
});

describe("writes overlapping an UpdateSecret that changes the KMS key", () => {
  const target = (name: string): Target => ({ arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-??????` });
  const changeKey = (instance: SecretObject, name: string) => () =>
    instance.update(authFor("UpdateSecret", name), target(name), { kmsKeyId: "alias/payments" });

  it("a PutSecretValue sealed while the key changed is encrypted under the new key", async () => {
    const name = uniqueName("key-overlap");
    const created = await createSecret(name);
    const v2 = token();
    const put = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      interleave(instance, "seal", changeKey(instance, name));
      return instance.putValue(authFor("PutSecretValue", name), target(name), v2, stringValue("v2"));
    });
    expect(put.ok).toBe(true);
    expect(await keysByVersion(name)).toEqual({ [created.VersionId]: ["alias/payments"], [v2]: ["alias/payments"] });
    expect((await sm("DescribeSecret", { SecretId: name })).body.KmsKeyId).toBe("alias/payments");
    expect((await sm("GetSecretValue", { SecretId: name })).body).toMatchObject({ VersionId: v2, SecretString: "v2" });
  });

  it("an UpdateSecret with a value sealed while the key changed is encrypted under the new key", async () => {
    const name = uniqueName("key-overlap");
    const created = await createSecret(name);
    const v2 = token();
    const updated = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      interleave(instance, "seal", changeKey(instance, name));
      return instance.update(authFor("UpdateSecret", name), target(name), { versionId: v2, value: stringValue("v2") });
    });
    expect(updated.ok).toBe(true);
    expect(await keysByVersion(name)).toEqual({ [created.VersionId]: ["alias/payments"], [v2]: ["alias/payments"] });
    expect((await sm("GetSecretValue", { SecretId: name })).body).toMatchObject({ VersionId: v2, SecretString: "v2" });
  });

  it("a key change whose re-encryption a PutSecretValue overtook re-encrypts the version that became AWSCURRENT too", async () => {
    const name = uniqueName("key-overlap");
    const created = await createSecret(name);
    const v2 = token();
    const updated = await runInDurableObject(secretStub(name), async (instance: SecretObject) => {
      interleave(instance, "reseal", () => instance.putValue(authFor("PutSecretValue", name), target(name), v2, stringValue("v2")));
      return changeKey(instance, name)();
    });
    expect(updated.ok).toBe(true);
    expect(await keysByVersion(name)).toEqual({ [created.VersionId]: ["alias/payments"], [v2]: ["alias/payments"] });
    expect((await sm("GetSecretValue", { SecretId: name })).body).toMatchObject({ VersionId: v2, SecretString: "v2" });
  });
});
