// The key ring: key-encryption keys (KEKs) named like KMS keys, parsed from the KMS_KEYS Worker secret
// and imported once per isolate. See README "Keys" for the format.
import { fromBase64 } from "./base64";

export const DEFAULT_KEY_NAME = "alias/aws/secretsmanager";

interface KeyConfig {
  current: string;
  versions: Record<string, string>;
  aliases?: string[];
}

export interface Kek {
  /** The configured name: what a version records and what DescribeSecret reports. */
  id: string;
  version: string;
  wrapKey: CryptoKey;
  /** HMAC key for the idempotency hash of values. */
  hashKey: CryptoKey;
  /** AES-GCM key for page tokens. */
  tokenKey: CryptoKey;
}

export class KeyRing {
  private readonly byName = new Map<string, string>();
  private readonly imported = new Map<string, Promise<Kek>>();

  constructor(private readonly config: Record<string, KeyConfig>) {
    for (const [id, key] of Object.entries(config)) {
      if (!key.versions[key.current]) throw new Error(`KMS_KEYS: key ${id} has no version ${key.current}`);
      for (const name of [id, ...(key.aliases ?? [])]) {
        const other = this.byName.get(name);
        if (other !== undefined && other !== id) throw new Error(`KMS_KEYS: ${name} names both key ${other} and key ${id}`);
        this.byName.set(name, id);
      }
    }
    // The default key is used by its name (new versions, value hashes, page tokens, "DefaultEncryptionKey"), so it
    // must be a key of its own, not an alias of another.
    if (!Object.hasOwn(config, DEFAULT_KEY_NAME)) {
      const owner = this.byName.get(DEFAULT_KEY_NAME);
      throw new Error(
        owner === undefined
          ? `KMS_KEYS must configure ${DEFAULT_KEY_NAME}`
          : `KMS_KEYS must configure ${DEFAULT_KEY_NAME} as a key of its own, not as an alias of ${owner}`,
      );
    }
  }

  /** Maps a request's KmsKeyId (alias, alias ARN, key id or key ARN) to a configured key id. */
  resolve(kmsKeyId: string | undefined): string | undefined {
    if (kmsKeyId === undefined || kmsKeyId === "") return DEFAULT_KEY_NAME;
    const direct = this.byName.get(kmsKeyId);
    if (direct) return direct;
    const arn = /^arn:[^:]+:kms:[^:]*:[^:]*:((?:alias|key)\/.+)$/.exec(kmsKeyId);
    if (!arn) return undefined;
    const resource = arn[1]!;
    return this.byName.get(resource) ?? this.byName.get(resource.replace(/^key\//, ""));
  }

  current(id: string): Promise<Kek> {
    const key = this.config[id];
    if (!key) throw new Error(`unknown key ${id}`);
    return this.get(id, key.current);
  }

  /** A specific version of a key; undefined when the ring no longer holds it. */
  get(id: string, version: string): Promise<Kek> {
    const cacheKey = `${id}#${version}`;
    let kek = this.imported.get(cacheKey);
    if (!kek) {
      const material = this.config[id]?.versions[version];
      if (!material) return Promise.reject(new Error(`key ${id} has no version ${version}`));
      kek = importKek(id, version, fromBase64(material));
      this.imported.set(cacheKey, kek);
    }
    return kek;
  }
}

async function importKek(id: string, version: string, material: Uint8Array): Promise<Kek> {
  if (material.length !== 32) throw new Error(`KMS_KEYS: key ${id} version ${version} must be 32 bytes`);
  const wrapKey = await crypto.subtle.importKey("raw", material, "AES-KW", false, ["wrapKey", "unwrapKey"]);
  // Separate keys derived from the KEK, so no purpose ever reuses the wrapping key.
  const base = await crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveKey"]);
  const derive = (purpose: string, algorithm: SubtleCryptoImportKeyAlgorithm, usages: string[]) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new TextEncoder().encode(`secrets-edge/${purpose}`) },
      base,
      algorithm,
      false,
      usages,
    );
  const [hashKey, tokenKey] = await Promise.all([
    derive("value-hash", { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign", "verify"]),
    derive("page-token-aead", { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]),
  ]);
  return { id, version, wrapKey, hashKey, tokenKey };
}

const rings = new Map<string, KeyRing>();

/** KMS_KEYS as JSON. A syntax error is reported without the parser's message, which quotes the text: key material. */
export function parseKmsKeys(kmsKeys: string): unknown {
  try {
    return JSON.parse(kmsKeys);
  } catch {
    throw new Error("KMS_KEYS is not valid JSON (see README \"Keys\")");
  }
}

/** The key ring for this isolate's configuration, parsed and cached once. */
export function keyRing(kmsKeys: string | undefined): KeyRing {
  if (!kmsKeys) throw new Error("KMS_KEYS is not configured (see README \"Keys\")");
  let ring = rings.get(kmsKeys);
  if (!ring) {
    ring = new KeyRing(parseKmsKeys(kmsKeys) as Record<string, KeyConfig>);
    rings.set(kmsKeys, ring);
  }
  return ring;
}
