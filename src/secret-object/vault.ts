// The cryptography of one secret's values: sealing a new version, opening one (with its unwrapped data key
// cached), comparing a repeated value by its keyed hash, and re-encrypting under another KMS key.
import { DecryptionError, DekCache, type Envelope, matchesHash, open, seal, valueHash } from "../crypto/envelope";
import { DEFAULT_KEY_NAME, type KeyRing, keyRing } from "../crypto/keys";
import { type Result, fail, ok } from "../domain/result";
import { decryptionFailure, encryptionFailure } from "../domain/errors";
import type { VersionRow } from "./store";
import type { SecretValue } from "./types";

export interface Sealed {
  versionId: string;
  kekId: string;
  kind: SecretValue["kind"];
  envelope: Envelope;
  hash: string;
}

/**
 * The KmsKeyId a secret records: none for the default key, however it was named (DescribeSecret and ListSecrets omit
 * KmsKeyId for aws/secretsmanager), else the name the caller gave.
 */
export function recordedKey(resolved: string, requested: string | undefined): string | null {
  return resolved === DEFAULT_KEY_NAME || !requested ? null : requested;
}

export class Vault {
  private readonly deks = new DekCache();

  constructor(private readonly kmsKeys: () => string) {}

  private get ring(): KeyRing {
    return keyRing(this.kmsKeys());
  }

  /** The ring's key id for a request's KmsKeyId (undefined = the default key), or EncryptionFailure. */
  resolveKey(kmsKeyId: string | undefined): Result<string> {
    const id = this.ring.resolve(kmsKeyId);
    return id ? ok(id) : fail(encryptionFailure());
  }

  async seal(arn: string, kekId: string, versionId: string, value: SecretValue): Promise<Sealed> {
    const [envelope, hash] = await Promise.all([
      seal(this.ring, kekId, value.bytes, { arn, versionId, kind: value.kind }),
      valueHash(this.ring, arn, value.kind, value.bytes),
    ]);
    return { versionId, kekId, kind: value.kind, envelope, hash };
  }

  async open(arn: string, version: VersionRow): Promise<Result<SecretValue>> {
    try {
      const bytes = await open(this.ring, version.envelope, { arn, versionId: version.versionId, kind: version.kind }, this.deks);
      return ok({ kind: version.kind, bytes });
    } catch (error) {
      if (error instanceof DecryptionError) return fail(decryptionFailure());
      throw error;
    }
  }

  /** Whether `value` is the value the version was created with. */
  async matches(arn: string, version: VersionRow, value: SecretValue): Promise<boolean> {
    return version.kind === value.kind && (await matchesHash(this.ring, version.valueHash, arn, value.kind, value.bytes));
  }

  /** The versions' values re-encrypted under `kekId`, bound to the same ARN, VersionIds and kinds (v2 envelopes). */
  async reseal(arn: string, versions: VersionRow[], kekId: string): Promise<Result<{ versionId: string; envelope: Envelope }[]>> {
    const resealed: { versionId: string; envelope: Envelope }[] = [];
    for (const version of versions) {
      const value = await this.open(arn, version);
      if (!value.ok) return value;
      const binding = { arn, versionId: version.versionId, kind: version.kind };
      resealed.push({ versionId: version.versionId, envelope: await seal(this.ring, kekId, value.value.bytes, binding) });
    }
    return ok(resealed);
  }
}
