// The key ring: how a request's KmsKeyId (alias, alias ARN, key id, key ARN) resolves to a configured KEK,
// that rotated KEK versions keep opening old envelopes, and that a broken configuration is refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { open, seal } from "../../src/crypto/envelope";
import { DEFAULT_KEY_NAME, KeyRing, keyRing } from "../../src/crypto/keys";
import { ringChecks } from "../../src/key-ring/check-values";

const PAYMENTS_KEY_ID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const ring = keyRing(env.KMS_KEYS);

const DEFAULT_MATERIAL = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const OLD_MATERIAL = "cGF5bWVudHMtb2xkLWtleS0wMTIzNDU2Nzg5YWJjZGU=";
const NEW_MATERIAL = "cGF5bWVudHMtbmV3LWtleS0wMTIzNDU2Nzg5YWJjZGU=";

describe("KeyRing.resolve", () => {
  it("an omitted or empty KmsKeyId means the default key aws/secretsmanager", () => {
    expect(ring.resolve(undefined)).toBe(DEFAULT_KEY_NAME);
    expect(ring.resolve("")).toBe(DEFAULT_KEY_NAME);
    expect(ring.resolve("alias/aws/secretsmanager")).toBe(DEFAULT_KEY_NAME);
  });

  it("an alias name", () => {
    expect(ring.resolve("alias/payments")).toBe("alias/payments");
  });

  it("an alias ARN", () => {
    expect(ring.resolve("arn:aws:kms:us-east-1:111122223333:alias/payments")).toBe("alias/payments");
    expect(ring.resolve("arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager")).toBe(DEFAULT_KEY_NAME);
  });

  it("a key id", () => {
    expect(ring.resolve(PAYMENTS_KEY_ID)).toBe("alias/payments");
  });

  it("a key ARN", () => {
    expect(ring.resolve(`arn:aws:kms:us-east-1:111122223333:key/${PAYMENTS_KEY_ID}`)).toBe("alias/payments");
  });

  it("a key that is not configured resolves to nothing", () => {
    for (const unknown of [
      "alias/unknown",
      "arn:aws:kms:us-east-1:111122223333:alias/unknown",
      "ffffffff-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
      "arn:aws:kms:us-east-1:111122223333:key/ffffffff-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
      "arn:aws:s3:::alias/payments",
      "payments",
    ]) {
      expect(ring.resolve(unknown), unknown).toBeUndefined();
    }
  });
});

describe("key versions", () => {
  const binding = { arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:k-Ab12Cd", versionId: "a".repeat(32), kind: "string" as const };
  const value = new TextEncoder().encode("rotated-kek-value");

  it("envelopes sealed under an old key version still open after the current version changes", async () => {
    const before = new KeyRing({
      [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": DEFAULT_MATERIAL } },
      "alias/payments": { current: "1", versions: { "1": OLD_MATERIAL } },
    });
    const envelope = await seal(before, "alias/payments", value, binding);
    expect(envelope.kekVersion).toBe("1");

    const after = new KeyRing({
      [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": DEFAULT_MATERIAL } },
      "alias/payments": { current: "2", versions: { "1": OLD_MATERIAL, "2": NEW_MATERIAL } },
    });
    expect(await open(after, envelope, binding)).toEqual(value);
    expect((await seal(after, "alias/payments", value, binding)).kekVersion).toBe("2");
  });

  it("an envelope whose key version was removed from the ring no longer opens", async () => {
    const envelope = await seal(ring, "alias/payments", value, binding);
    const withoutV2 = new KeyRing({
      [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": DEFAULT_MATERIAL } },
      "alias/payments": { current: "1", versions: { "1": OLD_MATERIAL } },
    });
    await expect(open(withoutV2, envelope, binding)).rejects.toThrow();
  });

  it("the ring for one configuration is parsed once and shared", () => {
    expect(keyRing(env.KMS_KEYS)).toBe(ring);
  });
});

describe("invalid configuration", () => {
  it("a missing KMS_KEYS throws", () => {
    expect(() => keyRing(undefined)).toThrow(/KMS_KEYS/);
    expect(() => keyRing("")).toThrow(/KMS_KEYS/);
  });

  it("KMS_KEYS that is not JSON is refused without quoting it (the parser's message would show key material)", async () => {
    const material = "c2VjcmV0LWtleS1tYXRlcmlhbC0zMmJ5dGVz";
    for (const text of [material, `{"${DEFAULT_KEY_NAME}": {"current": "1", "versions": {"1": ${material}}}}`]) {
      expect(() => keyRing(text)).toThrow('KMS_KEYS is not valid JSON (see README "Keys")');
      await expect(ringChecks(text)).rejects.toThrow('KMS_KEYS is not valid JSON (see README "Keys")');
    }
  });

  it("a key ring without the default key throws", () => {
    expect(() => new KeyRing({ "alias/payments": { current: "1", versions: { "1": OLD_MATERIAL } } })).toThrow(/alias\/aws\/secretsmanager/);
  });

  it("a key ring naming alias/aws/secretsmanager only as an alias of another key is refused at load", () => {
    const config = { "alias/main": { current: "1", aliases: [DEFAULT_KEY_NAME], versions: { "1": DEFAULT_MATERIAL } } };
    expect(() => new KeyRing(config)).toThrow(`KMS_KEYS must configure ${DEFAULT_KEY_NAME} as a key of its own, not as an alias of alias/main`);
    expect(() => keyRing(JSON.stringify(config))).toThrow(/as a key of its own/);
  });

  it("a name given to two keys (as a key or an alias) is refused at load", () => {
    expect(
      () =>
        new KeyRing({
          [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": DEFAULT_MATERIAL } },
          "alias/payments": { current: "1", aliases: [DEFAULT_KEY_NAME], versions: { "1": OLD_MATERIAL } },
        }),
    ).toThrow(`KMS_KEYS: ${DEFAULT_KEY_NAME} names both key ${DEFAULT_KEY_NAME} and key alias/payments`);
    expect(
      () =>
        new KeyRing({
          [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": DEFAULT_MATERIAL } },
          "alias/a": { current: "1", aliases: ["shared-id"], versions: { "1": OLD_MATERIAL } },
          "alias/b": { current: "1", aliases: ["shared-id"], versions: { "1": NEW_MATERIAL } },
        }),
    ).toThrow("KMS_KEYS: shared-id names both key alias/a and key alias/b");
  });

  it("a current version with no key material throws", () => {
    expect(() => new KeyRing({ [DEFAULT_KEY_NAME]: { current: "2", versions: { "1": DEFAULT_MATERIAL } } })).toThrow(/version 2/);
  });

  it("key material that is not 32 bytes is refused when the key is used", async () => {
    const short = new KeyRing({ [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": btoa("sixteen byte key") } } });
    await expect(short.current(DEFAULT_KEY_NAME)).rejects.toThrow(/32 bytes/);
  });

  it("asking for a key that is not configured throws", () => {
    expect(() => ring.current("alias/unknown")).toThrow(/unknown key/);
  });

  it("malformed JSON throws", () => {
    expect(() => keyRing("{not json")).toThrow();
  });
});
