// GetRandomPassword through the Worker: AWS defaults, every option, and the PasswordLength constraint messages.
import { describe, expect, it } from "vitest";
import { sm } from "../support/sm";

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

async function password(input: Record<string, unknown> = {}): Promise<string> {
  const res = await sm("GetRandomPassword", input);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body)).toEqual(["RandomPassword"]);
  return res.body.RandomPassword as string;
}

describe("GetRandomPassword", () => {
  it("defaults to 32 characters with lowercase, uppercase, digits and punctuation and no space", async () => {
    const value = await password();
    expect(value).toHaveLength(32);
    expect(value).toMatch(/[a-z]/);
    expect(value).toMatch(/[A-Z]/);
    expect(value).toMatch(/[0-9]/);
    expect(value).toMatch(PUNCTUATION);
    expect(value).not.toContain(" ");
  });

  it("two calls return different passwords", async () => {
    expect(await password()).not.toBe(await password());
  });

  it("honours PasswordLength at both ends of its range", async () => {
    expect(await password({ PasswordLength: 1, RequireEachIncludedType: false })).toHaveLength(1);
    expect(await password({ PasswordLength: 4096 })).toHaveLength(4096);
  });

  it("honours ExcludeNumbers, ExcludePunctuation, ExcludeUppercase and ExcludeLowercase", async () => {
    expect(await password({ ExcludeNumbers: true, PasswordLength: 200 })).not.toMatch(/[0-9]/);
    expect(await password({ ExcludePunctuation: true, PasswordLength: 200 })).toMatch(/^[A-Za-z0-9]+$/);
    expect(await password({ ExcludeUppercase: true, PasswordLength: 200 })).not.toMatch(/[A-Z]/);
    expect(await password({ ExcludeLowercase: true, PasswordLength: 200 })).not.toMatch(/[a-z]/);
    expect(await password({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, PasswordLength: 50 })).toMatch(/^[0-9]{50}$/);
  });

  it("never uses a character in ExcludeCharacters", async () => {
    const value = await password({ ExcludeCharacters: "abcABC012!@#", PasswordLength: 500 });
    expect(value).not.toMatch(/[abcABC012!@#]/);
  });

  it("IncludeSpace with RequireEachIncludedType requires one of each of upper, lower, number and punctuation, not a space", async () => {
    // A 4-character password has room for the four required types only.
    const value = await password({ IncludeSpace: true, RequireEachIncludedType: true, PasswordLength: 4 });
    expect(value).toMatch(/[a-z]/);
    expect(value).toMatch(/[A-Z]/);
    expect(value).toMatch(/[0-9]/);
    expect(value).toMatch(PUNCTUATION);
    expect(value).not.toContain(" ");
  });

  it("RequireEachIncludedType puts one of every included type even in a 4-character password", async () => {
    for (let i = 0; i < 5; i++) {
      const value = await password({ PasswordLength: 4 });
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/[0-9]/);
      expect(value).toMatch(PUNCTUATION);
    }
  });

  describe("errors", () => {
    it("PasswordLength 0 returns ValidationException with AWS's constraint message", async () => {
      const res = await sm("GetRandomPassword", { PasswordLength: 0 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "ValidationException",
        Message: "1 validation error detected: Value '0' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1",
      });
    });

    it("PasswordLength 4097 returns ValidationException with AWS's constraint message", async () => {
      const res = await sm("GetRandomPassword", { PasswordLength: 4097 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "ValidationException",
        Message: "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096",
      });
    });

    it("excluding every character returns InvalidParameterException", async () => {
      const res = await sm("GetRandomPassword", { ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
    });

    it("a PasswordLength shorter than the number of required types returns InvalidParameterException", async () => {
      const res = await sm("GetRandomPassword", { PasswordLength: 3 });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
    });

    it("a PasswordLength that is not a number returns SerializationException", async () => {
      const res = await sm("GetRandomPassword", { PasswordLength: "32" });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("SerializationException");
    });
  });
});
