// Envelope encryption of one version's value: a fresh AES-256-GCM data key per version, a random 12-byte IV,
// additional authenticated data binding ARN + VersionId + the value's kind, and the data key wrapped by a KEK with
// AES-KW.
import { fromBase64, toBase64 } from "./base64";
import { DEFAULT_KEY_NAME, type KeyRing } from "./keys";

export interface Envelope {
  /** 2 binds the value's kind into the AAD; 1 (sealed before it did) binds ARN and VersionId only. */
  v: 1 | 2;
  kekId: string;
  kekVersion: string;
  wrappedDek: string;
  iv: string;
  ciphertext: string;
}

export interface Binding {
  arn: string;
  versionId: string;
  /** Whether the value is a SecretString or a SecretBinary: changing it in storage must fail decryption. */
  kind: "string" | "binary";
}

const encoder = new TextEncoder();
/**
 * The additional authenticated data of an envelope of version `v`. A v2 envelope cannot be opened as v1: its
 * ciphertext was sealed with the kind in its AAD, so lowering `v` in storage fails the check as well.
 */
const aadOf = (v: Envelope["v"], { arn, versionId, kind }: Binding) => encoder.encode(v === 1 ? `${arn}\n${versionId}` : `${arn}\n${versionId}\n${kind}`);

export async function seal(ring: KeyRing, kekId: string, plaintext: Uint8Array, binding: Binding): Promise<Envelope> {
  const kek = await ring.current(kekId);
  const dek = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"])) as CryptoKey;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aadOf(2, binding) }, dek, plaintext);
  const wrappedDek = await crypto.subtle.wrapKey("raw", dek, kek.wrapKey, "AES-KW");
  return {
    v: 2,
    kekId,
    kekVersion: kek.version,
    wrappedDek: toBase64(new Uint8Array(wrappedDek)),
    iv: toBase64(iv),
    ciphertext: toBase64(new Uint8Array(ciphertext)),
  };
}

export class DecryptionError extends Error {}

/** Unwrapped data keys by wrapped key, so a hot version is unwrapped once per isolate. Bounded. */
export class DekCache {
  private readonly keys = new Map<string, CryptoKey>();
  constructor(private readonly capacity = 256) {}

  async unwrap(ring: KeyRing, envelope: Envelope): Promise<CryptoKey> {
    const id = `${envelope.kekId}\n${envelope.kekVersion}\n${envelope.wrappedDek}`;
    const cached = this.keys.get(id);
    if (cached) return cached;
    const kek = await ring.get(envelope.kekId, envelope.kekVersion);
    const dek = await crypto.subtle.unwrapKey("raw", fromBase64(envelope.wrappedDek), kek.wrapKey, "AES-KW", "AES-GCM", false, ["decrypt"]);
    if (this.capacity === 0) return dek;
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(id, dek);
    return dek;
  }
}

const uncached = new DekCache(0);

/**
 * Decrypts an envelope; any tampering (ciphertext, IV, wrapped key, envelope version, or a different ARN, version or
 * kind) throws DecryptionError.
 */
export async function open(ring: KeyRing, envelope: Envelope, binding: Binding, deks: DekCache = uncached): Promise<Uint8Array> {
  try {
    const dek = await deks.unwrap(ring, envelope);
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(envelope.iv), additionalData: aadOf(envelope.v, binding) },
      dek,
      fromBase64(envelope.ciphertext),
    );
    return new Uint8Array(plaintext);
  } catch {
    throw new DecryptionError("decryption failed");
  }
}

/**
 * A keyed hash of a value, stored beside its ciphertext so a repeated ClientRequestToken can be compared
 * without decrypting. Keyed by the default KEK (always configured, independent of the version's own key,
 * which UpdateSecret may change) and bound to the ARN so equal values in different secrets hash differently.
 */
export async function valueHash(ring: KeyRing, arn: string, kind: string, plaintext: Uint8Array, kekVersion?: string): Promise<string> {
  const kek = kekVersion === undefined ? await ring.current(DEFAULT_KEY_NAME) : await ring.get(DEFAULT_KEY_NAME, kekVersion);
  const prefix = encoder.encode(`${arn}\n${kind}\n`);
  const data = new Uint8Array(prefix.length + plaintext.length);
  data.set(prefix);
  data.set(plaintext, prefix.length);
  return `${kek.version}:${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", kek.hashKey, data)))}`;
}

/** Whether `plaintext` is the value a stored hash was made from. */
export async function matchesHash(ring: KeyRing, stored: string, arn: string, kind: string, plaintext: Uint8Array): Promise<boolean> {
  const kekVersion = stored.slice(0, stored.indexOf(":"));
  return (await valueHash(ring, arn, kind, plaintext, kekVersion)) === stored;
}
