// Envelope encryption of one version: round trip, tamper detection on every stored field and on the AAD
// (ARN + VersionId + kind), envelopes sealed before the kind was bound (v1) still open, fresh randomness per seal,
// and the keyed value hash used for token idempotency.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromBase64, toBase64 } from "../../src/crypto/base64";
import { DecryptionError, type Envelope, matchesHash, open, seal, valueHash } from "../../src/crypto/envelope";
import { DEFAULT_KEY_NAME, keyRing } from "../../src/crypto/keys";
import { sealV1 } from "../support/legacy-envelope";

const ring = keyRing(env.KMS_KEYS);
const arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-Ab12Cd";
const binding = { arn, versionId: "11111111-2222-3333-4444-555555555555", kind: "string" as const };
const plaintext = new TextEncoder().encode('{"password":"hunter2-envelope"}');

/** A copy of the envelope with one byte of a base64 field flipped. */
function flipped(envelope: Envelope, field: "ciphertext" | "iv" | "wrappedDek", index = 0): Envelope {
  const bytes = fromBase64(envelope[field]);
  bytes[index] = bytes[index]! ^ 0x01;
  return { ...envelope, [field]: toBase64(bytes) };
}

describe("seal / open", () => {
  it("opens what it sealed, under the default key and under a named key", async () => {
    for (const kekId of [DEFAULT_KEY_NAME, "alias/payments"]) {
      const envelope = await seal(ring, kekId, plaintext, binding);
      expect(envelope).toMatchObject({ v: 2, kekId });
      expect(await open(ring, envelope, binding)).toEqual(plaintext);
    }
  });

  it("round-trips binary values byte for byte", async () => {
    const binary = new Uint8Array([0x00, 0x01, 0x02, 0xff]);
    expect(await open(ring, await seal(ring, DEFAULT_KEY_NAME, binary, binding), binding)).toEqual(binary);
  });

  it("records the key's current version and a 12-byte IV", async () => {
    const envelope = await seal(ring, "alias/payments", plaintext, binding);
    expect(envelope.kekVersion).toBe("2");
    expect(fromBase64(envelope.iv)).toHaveLength(12);
  });

  it("never stores the plaintext, in clear or in base64", async () => {
    const stored = JSON.stringify(await seal(ring, DEFAULT_KEY_NAME, plaintext, binding));
    expect(stored).not.toContain("hunter2");
    expect(stored).not.toContain(toBase64(plaintext));
  });

  it("two seals of the same value differ in data key, IV and ciphertext", async () => {
    const a = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    const b = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    expect(a.wrappedDek).not.toBe(b.wrappedDek);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });
});

describe("tampering is a DecryptionError, never garbage", () => {
  for (const field of ["ciphertext", "iv", "wrappedDek"] as const) {
    it(`a flipped byte in ${field}`, async () => {
      const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
      await expect(open(ring, flipped(envelope, field), binding)).rejects.toBeInstanceOf(DecryptionError);
      const last = fromBase64(envelope[field]).length - 1;
      await expect(open(ring, flipped(envelope, field, last), binding)).rejects.toBeInstanceOf(DecryptionError);
    });
  }

  it("a different ARN as additional data", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    await expect(open(ring, envelope, { ...binding, arn: arn.replace("Ab12Cd", "Ab12Ce") })).rejects.toBeInstanceOf(DecryptionError);
  });

  it("a different VersionId as additional data", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    await expect(open(ring, envelope, { ...binding, versionId: "11111111-2222-3333-4444-555555555556" })).rejects.toBeInstanceOf(
      DecryptionError,
    );
  });

  it("the other kind (string ↔ binary) as additional data", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    await expect(open(ring, envelope, { ...binding, kind: "binary" })).rejects.toBeInstanceOf(DecryptionError);
    const binary = await seal(ring, DEFAULT_KEY_NAME, plaintext, { ...binding, kind: "binary" });
    await expect(open(ring, binary, binding)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("an envelope whose version was lowered to 1, which binds no kind", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    await expect(open(ring, { ...envelope, v: 1 }, binding)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("a truncated ciphertext", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    const short = toBase64(fromBase64(envelope.ciphertext).subarray(0, 8));
    await expect(open(ring, { ...envelope, ciphertext: short }, binding)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("an envelope naming another key, or a key version the ring does not hold", async () => {
    const envelope = await seal(ring, DEFAULT_KEY_NAME, plaintext, binding);
    await expect(open(ring, { ...envelope, kekId: "alias/payments", kekVersion: "2" }, binding)).rejects.toBeInstanceOf(DecryptionError);
    await expect(open(ring, { ...envelope, kekVersion: "9" }, binding)).rejects.toBeInstanceOf(DecryptionError);
    await expect(open(ring, { ...envelope, kekId: "alias/unknown" }, binding)).rejects.toBeInstanceOf(DecryptionError);
  });
});

describe("envelopes sealed before the kind was bound (v1)", () => {
  it("still open, and still detect a changed ARN or VersionId", async () => {
    const envelope = await sealV1(ring, DEFAULT_KEY_NAME, plaintext, binding);
    expect(await open(ring, envelope, binding)).toEqual(plaintext);
    await expect(open(ring, envelope, { ...binding, versionId: "11111111-2222-3333-4444-555555555556" })).rejects.toBeInstanceOf(DecryptionError);
    await expect(open(ring, { ...envelope, v: 2 }, binding)).rejects.toBeInstanceOf(DecryptionError);
  });
});

describe("valueHash / matchesHash", () => {
  it("matches the value it was made from, and no other", async () => {
    const hash = await valueHash(ring, arn, "string", plaintext);
    expect(await matchesHash(ring, hash, arn, "string", plaintext)).toBe(true);
    expect(await matchesHash(ring, hash, arn, "string", new TextEncoder().encode("something else"))).toBe(false);
  });

  it("is deterministic for one secret, value and kind", async () => {
    expect(await valueHash(ring, arn, "string", plaintext)).toBe(await valueHash(ring, arn, "string", plaintext));
  });

  it("differs between secrets and between string and binary values", async () => {
    const hash = await valueHash(ring, arn, "string", plaintext);
    expect(await matchesHash(ring, hash, `${arn}x`, "string", plaintext)).toBe(false);
    expect(await matchesHash(ring, hash, arn, "binary", plaintext)).toBe(false);
  });

  it("does not contain the value", async () => {
    const hash = await valueHash(ring, arn, "string", plaintext);
    expect(hash).not.toContain("hunter2");
    expect(hash).not.toContain(toBase64(plaintext));
  });
});
