// Storage tampering and plaintext at rest: a changed or moved envelope answers DecryptionFailure (never a value),
// and no secret value appears in the object's SQLite tables or in the D1 index.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromBase64, toBase64 } from "../../src/crypto/base64";
import { DEFAULT_KEY_NAME, keyRing } from "../../src/crypto/keys";
import { sealV1 } from "../support/legacy-envelope";
import { createUniqueSecret, secretStub, uniqueName } from "../support/fixtures";
import { type SmResponse, sm, token } from "../support/sm";

const DECRYPTION_FAILURE = {
  __type: "DecryptionFailure",
  Message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
};

type EnvelopeField = "ciphertext" | "iv" | "wrappedDek";

async function readEnvelope(name: string, versionId: string): Promise<string> {
  return runInDurableObject(secretStub(name), (_instance, state) => {
    return state.storage.sql.exec("SELECT envelope FROM versions WHERE version_id = ?", versionId).one().envelope as string;
  });
}

async function writeEnvelope(name: string, versionId: string, envelope: string): Promise<void> {
  await runInDurableObject(secretStub(name), (_instance, state) => {
    state.storage.sql.exec("UPDATE versions SET envelope = ? WHERE version_id = ?", envelope, versionId);
  });
}

async function setKind(name: string, versionId: string, kind: string): Promise<void> {
  await runInDurableObject(secretStub(name), (_instance, state) => {
    state.storage.sql.exec("UPDATE versions SET kind = ? WHERE version_id = ?", kind, versionId);
  });
}

/** Flips one bit of one byte of a base64 field of the stored envelope. */
async function flipByte(name: string, versionId: string, field: EnvelopeField): Promise<void> {
  const envelope = JSON.parse(await readEnvelope(name, versionId)) as Record<EnvelopeField, string>;
  const bytes = fromBase64(envelope[field]);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x80;
  await writeEnvelope(name, versionId, JSON.stringify({ ...envelope, [field]: toBase64(bytes) }));
}

function expectDecryptionFailure(response: SmResponse, plaintext: string): void {
  expect(response.status).toBe(400);
  expect(response.body).toEqual(DECRYPTION_FAILURE);
  expect(JSON.stringify(response.body)).not.toContain(plaintext);
}

async function createWithValue(prefix: string) {
  const plaintext = `tamper-plaintext-${crypto.randomUUID()}`;
  const { name, versionId } = await createUniqueSecret(prefix, plaintext);
  return { name, plaintext, versionId };
}

describe("tampered envelopes answer DecryptionFailure", () => {
  for (const field of ["ciphertext", "iv", "wrappedDek"] as const) {
    it(`GetSecretValue after a flipped byte in the stored ${field} returns DecryptionFailure with no value`, async () => {
      const { name, plaintext, versionId } = await createWithValue(`tamper-${field.toLowerCase()}`);
      await flipByte(name, versionId, field);
      expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name }), plaintext);
      expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name, VersionId: versionId }), plaintext);
    });
  }

  it("a binary value with a flipped ciphertext byte returns DecryptionFailure", async () => {
    const name = uniqueName("tamper-binary");
    const created = await sm("CreateSecret", { Name: name, SecretBinary: btoa("binary-tamper-value"), ClientRequestToken: token() });
    await flipByte(name, created.body.VersionId, "ciphertext");
    const got = await sm("GetSecretValue", { SecretId: name });
    expect(got.body).toEqual(DECRYPTION_FAILURE);
  });

  it("version A's envelope copied onto version B of the same secret returns DecryptionFailure", async () => {
    const { name, plaintext: valueA, versionId: versionA } = await createWithValue("tamper-swap");
    const versionB = token();
    const valueB = `tamper-plaintext-b-${crypto.randomUUID()}`;
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: valueB, ClientRequestToken: versionB })).status).toBe(200);

    await writeEnvelope(name, versionB, await readEnvelope(name, versionA));
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name }), valueA);
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name, VersionId: versionB }), valueA);
    // Version A itself is untouched.
    expect((await sm("GetSecretValue", { SecretId: name, VersionId: versionA })).body.SecretString).toBe(valueA);
  });

  it("an envelope copied from secret X onto secret Y returns DecryptionFailure", async () => {
    const x = await createWithValue("tamper-x");
    const y = await createWithValue("tamper-y");
    await writeEnvelope(y.name, y.versionId, await readEnvelope(x.name, x.versionId));
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: y.name }), x.plaintext);
    expect((await sm("GetSecretValue", { SecretId: x.name })).body.SecretString).toBe(x.plaintext);
  });

  it("an envelope whose key version is not in the key ring returns DecryptionFailure", async () => {
    const { name, plaintext, versionId } = await createWithValue("tamper-kek");
    const envelope = JSON.parse(await readEnvelope(name, versionId)) as Record<string, unknown>;
    await writeEnvelope(name, versionId, JSON.stringify({ ...envelope, kekVersion: "99" }));
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name }), plaintext);
  });

  it("a value's kind changed in storage (string ↔ binary) returns DecryptionFailure, not the bytes as the other kind", async () => {
    const { name, plaintext, versionId } = await createWithValue("tamper-kind");
    await setKind(name, versionId, "binary");
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name }), plaintext);
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: name }), btoa(plaintext));
    const binary = uniqueName("tamper-kind-binary");
    const created = await sm("CreateSecret", { Name: binary, SecretBinary: btoa("binary-kind-value"), ClientRequestToken: token() });
    await setKind(binary, created.body.VersionId, "string");
    expectDecryptionFailure(await sm("GetSecretValue", { SecretId: binary }), "binary-kind-value");
  });

  it("a version sealed before the kind was bound (envelope v1) stays readable, and re-encryption binds its kind", async () => {
    const { name, plaintext, versionId } = await createWithValue("legacy-v1");
    const arn = (await sm("DescribeSecret", { SecretId: name })).body.ARN as string;
    const legacy = await sealV1(keyRing(env.KMS_KEYS), DEFAULT_KEY_NAME, new TextEncoder().encode(plaintext), { arn, versionId });
    await writeEnvelope(name, versionId, JSON.stringify(legacy));
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(plaintext);
    // UpdateSecret to another key re-encrypts every version as v2.
    expect((await sm("UpdateSecret", { SecretId: name, KmsKeyId: "alias/payments" })).status).toBe(200);
    expect(JSON.parse(await readEnvelope(name, versionId))).toMatchObject({ v: 2, kekId: "alias/payments" });
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe(plaintext);
  });

  it("a repeated PutSecretValue token is still recognised after its envelope was tampered with", async () => {
    // Idempotency compares the keyed hash, so it never decrypts (and never needs to) the tampered envelope.
    const { name, versionId } = await createWithValue("tamper-token");
    const next = token();
    await sm("PutSecretValue", { SecretId: name, SecretString: "next-value", ClientRequestToken: next });
    await flipByte(name, next, "ciphertext");
    const retried = await sm("PutSecretValue", { SecretId: name, SecretString: "next-value", ClientRequestToken: next });
    expect(retried.status).toBe(200);
    expect(retried.body.VersionId).toBe(next);
    expect((await sm("GetSecretValue", { SecretId: name, VersionId: versionId })).status).toBe(200);
  });
});

describe("no plaintext at rest", () => {
  /** Every row of every table the object can read, as one string. */
  async function objectStorageDump(name: string): Promise<string> {
    return runInDurableObject(secretStub(name), (_instance, state) => {
      const tables = state.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE type = 'table'")
        .toArray()
        .map((r) => r.name as string)
        // workerd's own metadata table is not readable from the object.
        .filter((t) => !t.startsWith("_cf_"));
      expect(tables).toEqual(expect.arrayContaining(["secret", "versions", "stages", "tags", "outbox"]));
      return JSON.stringify(tables.map((t) => [t, state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray()]));
    });
  }

  async function indexDump(arn: string): Promise<string> {
    // The index is written after the response; wait for the row to arrive before scanning.
    for (let i = 0; i < 50; i++) {
      const row = await env.DB.prepare("SELECT * FROM secrets WHERE arn = ?").bind(arn).first();
      if (row) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const secrets = await env.DB.prepare("SELECT * FROM secrets").all();
    const tags = await env.DB.prepare("SELECT * FROM secret_tags").all();
    expect(secrets.results.length).toBeGreaterThan(0);
    return JSON.stringify([secrets.results, tags.results]);
  }

  it("no value of any version appears in the object's tables or the D1 index, in clear or base64", async () => {
    const name = uniqueName("at-rest");
    const values = [`at-rest-first-${crypto.randomUUID()}`, `at-rest-second-${crypto.randomUUID()}`, `at-rest-third-${crypto.randomUUID()}`];
    const created = await sm("CreateSecret", {
      Name: name,
      SecretString: values[0],
      ClientRequestToken: token(),
      Description: "no values here",
      Tags: [{ Key: "team", Value: "payments" }],
    });
    await sm("PutSecretValue", { SecretId: name, SecretString: values[1], ClientRequestToken: token(), VersionStages: ["CUSTOM"] });
    await sm("UpdateSecret", { SecretId: name, SecretString: values[2], ClientRequestToken: token() });
    await sm("GetSecretValue", { SecretId: name });

    const stored = await objectStorageDump(name);
    const indexed = await indexDump(created.body.ARN);
    expect(stored).toContain(created.body.ARN);
    expect(indexed).toContain("payments");
    for (const value of values) {
      for (const form of [value, btoa(value)]) {
        expect(stored).not.toContain(form);
        expect(indexed).not.toContain(form);
      }
    }
  });

  it("a binary value appears neither raw nor in base64 in the object's tables", async () => {
    const name = uniqueName("at-rest-binary");
    const bytes = `binary-at-rest-${crypto.randomUUID()}`;
    await sm("CreateSecret", { Name: name, SecretBinary: btoa(bytes), ClientRequestToken: token() });
    const stored = await objectStorageDump(name);
    expect(stored).not.toContain(bytes);
    expect(stored).not.toContain(btoa(bytes));
  });
});
