// Opaque, tamper-evident page tokens: a JSON position MAC'd with a key derived from the default KEK and
// bound to what is being paged (a secret's ARN, or a list query), so a forged or foreign token is refused.
import { fromBase64, toBase64 } from "./base64";
import { DEFAULT_KEY_NAME, type KeyRing } from "./keys";

const encoder = new TextEncoder();

export async function signPageToken(ring: KeyRing, binding: string, position: unknown): Promise<string> {
  const kek = await ring.current(DEFAULT_KEY_NAME);
  const payload = toBase64(encoder.encode(JSON.stringify({ k: kek.version, p: position })));
  const mac = await crypto.subtle.sign("HMAC", kek.tokenKey, encoder.encode(`${binding}\n${payload}`));
  return `${payload}.${toBase64(new Uint8Array(mac))}`;
}

/** The position a token carries, or undefined when it was not issued by us for this binding. */
export async function openPageToken(ring: KeyRing, binding: string, token: string): Promise<unknown> {
  try {
    const [payload, mac, extra] = token.split(".");
    if (!payload || !mac || extra !== undefined) return undefined;
    const { k, p } = JSON.parse(new TextDecoder().decode(fromBase64(payload))) as { k: string; p: unknown };
    const kek = await ring.get(DEFAULT_KEY_NAME, String(k));
    const valid = await crypto.subtle.verify("HMAC", kek.tokenKey, fromBase64(mac), encoder.encode(`${binding}\n${payload}`));
    return valid ? p : undefined;
  } catch {
    return undefined;
  }
}
