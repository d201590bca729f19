// Page tokens (src/crypto/page-token.ts): the position round-trips only with the binding it was sealed for, a token
// reveals nothing of the position (it may be a row the caller may not list), any change to it is refused, old KEK
// versions keep opening tokens after rotation, and the largest position fits NextTokenType's 4096 characters.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fromBase64, toBase64 } from "../../src/crypto/base64";
import { DEFAULT_KEY_NAME, KeyRing, keyRing } from "../../src/crypto/keys";
import { MAX_TOKEN_LENGTH, openPageToken, sealPageToken } from "../../src/crypto/page-token";

const ring = keyRing(env.KMS_KEYS);
const BINDING = JSON.stringify(["ListSecrets", { accountId: "111122223333", region: "us-east-1", filters: [] }]);
const NAME = "hidden/payroll-database";
const ARN = `arn:aws:secretsmanager:us-east-1:111122223333:secret:${NAME}-AbCdEf`;
const CREATED = 1_712_345_678_901;

/** Every byte a client can get out of a token: the token itself and each base64 part, decoded. */
function readable(token: string): string {
  const parts = token.split(".").map((part) => {
    try {
      return new TextDecoder().decode(fromBase64(part));
    } catch {
      return "";
    }
  });
  return [token, ...parts].join("\n");
}

/** The token with one byte of its sealed part (IV, ciphertext or tag) changed. */
function flipped(token: string, at: number): string {
  const [version, sealed] = token.split(".") as [string, string];
  const bytes = fromBase64(sealed);
  bytes[at < 0 ? bytes.length + at : at]! ^= 0x01;
  return `${version}.${toBase64(bytes)}`;
}

describe("page tokens", () => {
  it("round-trip the position with the same binding", async () => {
    for (const position of [[CREATED, ARN], [NAME, ARN], 7, ["x".repeat(300), "é"]]) {
      expect(await openPageToken(ring, BINDING, await sealPageToken(ring, BINDING, position))).toEqual(position);
    }
  });

  it("reveal nothing of the position: no name, ARN, account or date in the token's decoded bytes", async () => {
    for (const position of [[CREATED, ARN], [NAME, ARN]]) {
      const text = readable(await sealPageToken(ring, BINDING, position));
      for (const leak of [NAME, "payroll", ARN, "arn:", "secret:", "111122223333", String(CREATED)]) expect(text).not.toContain(leak);
    }
  });

  it("are different each time and of a length that does not follow the name's", async () => {
    const a = await sealPageToken(ring, BINDING, [CREATED, ARN]);
    expect(await sealPageToken(ring, BINDING, [CREATED, ARN])).not.toBe(a);
    const short = await sealPageToken(ring, BINDING, [CREATED, "arn:aws:secretsmanager:us-east-1:111122223333:secret:a-AbCdEf"]);
    expect(short.length).toBe(a.length);
  });

  it("are refused with another binding, when altered anywhere, truncated, extended or forged", async () => {
    const real = await sealPageToken(ring, BINDING, [CREATED, ARN]);
    const [version, sealed] = real.split(".") as [string, string];
    expect(await openPageToken(ring, BINDING, real)).toEqual([CREATED, ARN]);
    const bytes = fromBase64(sealed).length;
    const forged = [
      ...[0, 11, 12, 40, bytes - 17, -1].map((at) => flipped(real, at)),
      `${toBase64(new TextEncoder().encode("2"))}.${sealed}`,
      `${toBase64(new TextEncoder().encode("\u0000"))}.${sealed}`,
      `${version}.${toBase64(fromBase64(sealed).subarray(0, bytes - 1))}`,
      `${version}.${toBase64(crypto.getRandomValues(new Uint8Array(bytes)))}`,
      `${real}.x`,
      `${version}.`,
      `.${sealed}`,
      sealed,
      "garbage",
      "",
      // The previous format: base64 JSON and an HMAC.
      `${btoa(JSON.stringify({ k: "1", p: [0, "arn"] }))}.${btoa("x".repeat(32))}`,
    ];
    for (const token of forged) expect(await openPageToken(ring, BINDING, token), token).toBeUndefined();
    expect(await openPageToken(ring, `${BINDING} `, real)).toBeUndefined();
    expect(await openPageToken(ring, JSON.stringify(["BatchGetSecretValue", JSON.parse(BINDING)[1]]), real)).toBeUndefined();
  });

  it("open after the default KEK rotates while the old version is kept, and not once it is removed", async () => {
    const v1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    const v2 = toBase64(crypto.getRandomValues(new Uint8Array(32)));
    const before = new KeyRing({ [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": v1 } } });
    const rotated = new KeyRing({ [DEFAULT_KEY_NAME]: { current: "2", versions: { "1": v1, "2": v2 } } });
    const retired = new KeyRing({ [DEFAULT_KEY_NAME]: { current: "2", versions: { "2": v2 } } });
    const old = await sealPageToken(before, BINDING, [CREATED, ARN]);
    expect(await openPageToken(rotated, BINDING, old)).toEqual([CREATED, ARN]);
    expect(await openPageToken(retired, BINDING, old)).toBeUndefined();
    const fresh = await sealPageToken(rotated, BINDING, [CREATED, ARN]);
    expect(await openPageToken(before, BINDING, fresh)).toBeUndefined();
    expect(await openPageToken(retired, BINDING, fresh)).toEqual([CREATED, ARN]);
    // Another deployment's key ring, with the same version name, does not open it.
    const foreign = new KeyRing({ [DEFAULT_KEY_NAME]: { current: "1", versions: { "1": v2 } } });
    expect(await openPageToken(foreign, BINDING, old)).toBeUndefined();
  });

  it("fit NextTokenType's 4096 characters for the longest position: a 512-character name sorted by name", async () => {
    const name = "n".repeat(512);
    const arn = `arn:aws-iso-b:secretsmanager:us-isob-east-1:111122223333:secret:${name}-AbCdEf`;
    const token = await sealPageToken(ring, BINDING, [name, arn]);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(await openPageToken(ring, BINDING, token)).toEqual([name, arn]);
  });
});
