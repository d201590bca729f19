import { describe, expect, it } from "vitest";
import { buildArn, isValidSecretId, parseSecretId, randomSuffix } from "../../src/domain/secret-id";

const caller = { accountId: "111122223333", region: "us-east-1" };

describe("secret ids", () => {
  it("a name resolves in the caller's account and region", () => {
    expect(parseSecretId("app/db", caller)).toEqual({ ...caller, name: "app/db" });
  });

  it("a full ARN yields the name and its 6-character suffix", () => {
    const arn = buildArn("eu-west-1", "444455556666", "app/db-1", "Ab3dE9");
    expect(parseSecretId(arn, caller)).toEqual({ accountId: "444455556666", region: "eu-west-1", name: "app/db-1", suffix: "Ab3dE9" });
  });

  it("a partial ARN (no suffix) yields the whole name", () => {
    expect(parseSecretId("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db", caller)).toEqual({ ...caller, name: "app/db" });
  });

  it("a partial ARN of a name ending in -xxxxxx is read as a full ARN, as AWS does", () => {
    const ref = parseSecretId("arn:aws:secretsmanager:us-east-1:111122223333:secret:Name-a1b2c3", caller);
    expect(ref).toMatchObject({ name: "Name", suffix: "a1b2c3" });
  });

  it("names with spaces or other characters are invalid", () => {
    expect(isValidSecretId("Valid/_+=.@-Name!")).toBe(true);
    for (const bad of ["Inv Name", " Inv*Name? ", "a:b", ""]) expect(isValidSecretId(bad)).toBe(false);
  });

  it("random suffixes are 6 alphanumerics and differ", () => {
    const suffixes = new Set(Array.from({ length: 200 }, randomSuffix));
    for (const s of suffixes) expect(s).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(suffixes.size).toBe(200);
  });
});
