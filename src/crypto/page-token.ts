// Opaque, tamper-evident page tokens. The position (which may be a row the caller is not allowed to see, e.g. the
// last row a filtered listing read) is encrypted with AES-256-GCM under a key derived from the default KEK, with
// what is being paged (a secret's ARN, or a list query) as additional authenticated data, so a token reveals
// nothing of the position and a forged, altered or foreign token is refused.
//
// Token: base64(KEK version) "." base64(IV ‖ ciphertext ‖ tag). The plaintext is the position's JSON padded with
// spaces to a multiple of PAD bytes, so a token's length says little about the names in it.
import { fromBase64, toBase64 } from "./base64";
import { DEFAULT_KEY_NAME, type KeyRing } from "./keys";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintexts are padded to a multiple of this many bytes. */
export const PAD = 256;
/** NextTokenType's max length in the model. */
export const MAX_TOKEN_LENGTH = 4096;

/** The additional authenticated data: the KEK version and the binding, unambiguously joined. */
const aad = (version: string, binding: string) => encoder.encode(JSON.stringify([version, binding]));

/** A token for `position`, valid only with the same `binding`. */
export async function sealPageToken(ring: KeyRing, binding: string, position: unknown): Promise<string> {
  const kek = await ring.current(DEFAULT_KEY_NAME);
  const json = encoder.encode(JSON.stringify(position));
  const plain = new Uint8Array(Math.ceil(Math.max(json.length, 1) / PAD) * PAD).fill(0x20);
  plain.set(json);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(kek.version, binding) }, kek.tokenKey, plain));
  const bytes = new Uint8Array(IV_BYTES + sealed.length);
  bytes.set(iv);
  bytes.set(sealed, IV_BYTES);
  const token = `${toBase64(encoder.encode(kek.version))}.${toBase64(bytes)}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new Error(`page token of ${token.length} characters exceeds ${MAX_TOKEN_LENGTH}`);
  return token;
}

/** The position a token carries, or undefined when it was not issued by us for this binding. */
export async function openPageToken(ring: KeyRing, binding: string, token: string): Promise<unknown> {
  try {
    const [version, sealed, extra] = token.split(".");
    if (!version || !sealed || extra !== undefined) return undefined;
    const bytes = fromBase64(sealed);
    if (bytes.length < IV_BYTES + TAG_BYTES + PAD) return undefined;
    const kek = await ring.get(DEFAULT_KEY_NAME, decoder.decode(fromBase64(version)));
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: aad(kek.version, binding) },
      kek.tokenKey,
      bytes.subarray(IV_BYTES),
    );
    return JSON.parse(decoder.decode(plain));
  } catch {
    return undefined;
  }
}
