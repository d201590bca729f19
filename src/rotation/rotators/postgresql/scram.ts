// SCRAM-SHA-256 password verifiers (RFC 5802/7677, PostgreSQL's stored form), computed here so that ALTER ROLE carries
// a verifier, never the password: it stays out of the server's statement logs and pg_stat_statements, as with psql's
// \password. WebCrypto only.
import { toBase64 } from "../../../crypto/base64";

const ITERATIONS = 4096;
const encoder = new TextEncoder();

async function hmac(key: ArrayBuffer, message: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", imported, encoder.encode(message));
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. Passwords are used as given (SASLprep is the identity for ASCII). */
export async function scramVerifier(password: string, salt: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const salted = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS }, base, 256);
  const clientKey = await hmac(salted, "Client Key");
  const storedKey = await crypto.subtle.digest("SHA-256", clientKey);
  const serverKey = await hmac(salted, "Server Key");
  const b64 = (bytes: ArrayBuffer | Uint8Array) => toBase64(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return `SCRAM-SHA-256$${ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
