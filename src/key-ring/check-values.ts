// Key check values: a short one-way fingerprint of each key version of the ring (HKDF-SHA-256 of the key, info
// "secrets-edge/key-check-value", 8 bytes, hex), safe to store and print. scripts/lib/key-checks.mjs computes the
// same value in Node for the pre-start check; test/e2e/lifecycle.test.ts holds the two to each other.
import { fromBase64 } from "../crypto/base64";
import { parseKmsKeys } from "../crypto/keys";

export interface KeyVersionCheck {
  keyId: string;
  version: string;
  checkValue: string;
  /** The version new writes of this key use. */
  current: boolean;
}

interface RingConfig {
  [keyId: string]: { current: string; versions: Record<string, string> };
}

const INFO = new TextEncoder().encode("secrets-edge/key-check-value");

export async function checkValue(material: Uint8Array): Promise<string> {
  const base = await crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: INFO }, base, 64);
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every key version of a KMS_KEYS ring with its check value. */
export async function ringChecks(kmsKeys: string): Promise<KeyVersionCheck[]> {
  const ring = parseKmsKeys(kmsKeys) as RingConfig;
  const checks = Object.entries(ring).flatMap(([keyId, key]) =>
    Object.entries(key.versions).map(async ([version, material]) => ({
      keyId,
      version,
      checkValue: await checkValue(fromBase64(material)),
      current: version === key.current,
    })),
  );
  return Promise.all(checks);
}
