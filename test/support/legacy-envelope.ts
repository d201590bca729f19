// A version-1 envelope as the sealer made one before the value's kind was bound into the AAD (ARN and VersionId
// only), for the tests that such versions still open.
import { toBase64 } from "../../src/crypto/base64";
import type { Binding, Envelope } from "../../src/crypto/envelope";
import type { KeyRing } from "../../src/crypto/keys";

export async function sealV1(ring: KeyRing, kekId: string, value: Uint8Array, { arn, versionId }: Omit<Binding, "kind">): Promise<Envelope> {
  const kek = await ring.current(kekId);
  const dek = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"])) as CryptoKey;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = new TextEncoder().encode(`${arn}\n${versionId}`);
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, dek, value);
  const wrappedDek = await crypto.subtle.wrapKey("raw", dek, kek.wrapKey, "AES-KW");
  return { v: 1, kekId, kekVersion: kek.version, wrappedDek: toBase64(new Uint8Array(wrappedDek)), iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(ciphertext)) };
}
