// generatePassword: AWS character classes, exclusions, RequireEachIncludedType and unbiased draws.
import { describe, expect, it } from "vitest";
import {
  ALL_EXCLUDED,
  generatePassword,
  LOWERCASE,
  NUMBERS,
  PUNCTUATION,
  TOO_SHORT,
  UPPERCASE,
  type PasswordOptions,
} from "../../src/domain/password";

const DEFAULTS: PasswordOptions = {
  length: 32,
  excludeCharacters: "",
  excludeNumbers: false,
  excludePunctuation: false,
  excludeUppercase: false,
  excludeLowercase: false,
  includeSpace: false,
  requireEachIncludedType: true,
};

const generate = (overrides: Partial<PasswordOptions> = {}): string => {
  const result = generatePassword({ ...DEFAULTS, ...overrides });
  if (!result.ok) throw new Error(`unexpected failure: ${result.error.message}`);
  return result.value;
};

const many = (count: number, overrides: Partial<PasswordOptions> = {}): string[] =>
  Array.from({ length: count }, () => generate(overrides));

const hasAny = (password: string, chars: string): boolean => [...password].some((c) => chars.includes(c));

const CLASSES = [LOWERCASE, UPPERCASE, NUMBERS, PUNCTUATION];
const NO_CLASSES = { excludeLowercase: true, excludeUppercase: true, excludeNumbers: true, excludePunctuation: true };
const DIGITS_ONLY = { excludeLowercase: true, excludeUppercase: true, excludePunctuation: true };

describe("generatePassword", () => {
  it("defaults to 32 characters containing lowercase, uppercase, numbers and punctuation", () => {
    for (const password of many(300)) {
      expect(password).toHaveLength(32);
      for (const chars of CLASSES) expect(hasAny(password, chars)).toBe(true);
    }
  });

  it("draws only from the 94 printable ASCII characters without space by default", () => {
    const alphabet = CLASSES.join("");
    expect(new Set(alphabet).size).toBe(94);
    for (const password of many(300)) {
      for (const char of password) expect(alphabet).toContain(char);
    }
  });

  it.each([
    ["ExcludeLowercase", "no lowercase letters", { excludeLowercase: true }, LOWERCASE],
    ["ExcludeUppercase", "no uppercase letters", { excludeUppercase: true }, UPPERCASE],
    ["ExcludeNumbers", "no numbers", { excludeNumbers: true }, NUMBERS],
    ["ExcludePunctuation", "no punctuation", { excludePunctuation: true }, PUNCTUATION],
  ] as const)("%s leaves %s in the password", (_name, _what, overrides, forbidden) => {
    for (const password of many(500, overrides)) {
      expect(password).toHaveLength(32);
      expect(hasAny(password, forbidden)).toBe(false);
    }
  });

  it("combined Exclude* options leave only the remaining class", () => {
    for (const password of many(300, DIGITS_ONLY)) {
      expect(password).toMatch(/^[0-9]{32}$/);
    }
  });

  it("ExcludeCharacters removes each listed character from every class", () => {
    const excludeCharacters = "aeiouAEIOU01l|\"'\\`";
    for (const password of many(500, { excludeCharacters })) {
      expect(hasAny(password, excludeCharacters)).toBe(false);
    }
  });

  it("a class emptied by ExcludeCharacters is no longer required", () => {
    for (const password of many(300, { length: 3, excludeCharacters: NUMBERS })) {
      expect(hasAny(password, NUMBERS)).toBe(false);
      for (const chars of [LOWERCASE, UPPERCASE, PUNCTUATION]) expect(hasAny(password, chars)).toBe(true);
    }
  });

  it("a class reduced to one character by ExcludeCharacters still appears when required", () => {
    for (const password of many(300, { length: 4, excludeCharacters: "012345678" })) {
      expect(password).toContain("9");
    }
  });

  it("never contains a space unless IncludeSpace is set", () => {
    for (const password of many(500)) expect(password).not.toContain(" ");
  });

  it("IncludeSpace yields spaces across many draws", () => {
    const passwords = many(500, { includeSpace: true, requireEachIncludedType: false });
    expect(passwords.some((p) => p.includes(" "))).toBe(true);
  });

  it("IncludeSpace with RequireEachIncludedType requires upper, lower, number and punctuation but not a space", () => {
    // Four characters leave no room for a space once each required type has one.
    for (const password of many(500, { length: 4, includeSpace: true })) {
      expect(password).not.toContain(" ");
      for (const chars of CLASSES) expect(hasAny(password, chars)).toBe(true);
    }
    expect(many(500, { length: 5, includeSpace: true }).some((p) => !p.includes(" "))).toBe(true);
  });

  it("IncludeSpace with RequireEachIncludedType still allows spaces", () => {
    expect(many(500, { length: 64, includeSpace: true }).some((p) => p.includes(" "))).toBe(true);
  });

  it("RequireEachIncludedType puts every class in each 4-character password", () => {
    for (const password of many(2000, { length: 4 })) {
      expect(password).toHaveLength(4);
      for (const chars of CLASSES) expect(hasAny(password, chars)).toBe(true);
    }
  });

  it("RequireEachIncludedType places the required characters at random positions", () => {
    const seen = new Set<string>();
    for (const password of many(2000, { length: 4 })) {
      [...password].forEach((char, position) => {
        seen.add(`${position}:${CLASSES.findIndex((chars) => chars.includes(char))}`);
      });
    }
    expect(seen.size).toBe(16);
  });

  it("RequireEachIncludedType=false allows passwords that miss a class", () => {
    const passwords = many(500, { length: 4, requireEachIncludedType: false });
    const complete = passwords.filter((p) => CLASSES.every((chars) => hasAny(p, chars)));
    expect(complete.length).toBeLessThan(passwords.length);
  });

  it("RequireEachIncludedType=false allows a 1-character password with all classes included", () => {
    for (const password of many(200, { length: 1, requireEachIncludedType: false })) {
      expect(password).toHaveLength(1);
    }
  });

  it("generates a 1-character password when only one class is included", () => {
    const password = generate({ length: 1, ...DIGITS_ONLY });
    expect(password).toMatch(/^[0-9]$/);
  });

  it("generates a 4096-character password", () => {
    const password = generate({ length: 4096 });
    expect(password).toHaveLength(4096);
    for (const chars of CLASSES) expect(hasAny(password, chars)).toBe(true);
  });

  it.each([
    ["every class excluded by flag", NO_CLASSES],
    ["every character excluded by ExcludeCharacters", { excludeCharacters: CLASSES.join("") }],
    ["only space included but excluded by ExcludeCharacters", { ...NO_CLASSES, includeSpace: true, excludeCharacters: " " }],
  ] as const)("fails with InvalidParameterException when %s", (_case, overrides) => {
    expect(generatePassword({ ...DEFAULTS, ...overrides })).toEqual({
      ok: false,
      error: { code: "InvalidParameterException", message: ALL_EXCLUDED },
    });
  });

  it("fails with InvalidParameterException when the length is below the number of required classes", () => {
    expect(generatePassword({ ...DEFAULTS, length: 3 })).toEqual({
      ok: false,
      error: { code: "InvalidParameterException", message: TOO_SHORT },
    });
    expect(generatePassword({ ...DEFAULTS, length: 3, includeSpace: true })).toEqual({
      ok: false,
      error: { code: "InvalidParameterException", message: TOO_SHORT },
    });
  });

  it("draws digits uniformly: each digit within 15% of its expected count over 100k characters", () => {
    const counts = countChars(many(100, { length: 1000, ...DIGITS_ONLY }));
    expect(counts.size).toBe(10);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(1_500);
  });

  it("draws all 94 characters uniformly: each within 15% of its expected count over 200k characters", () => {
    const counts = countChars(many(200, { length: 1000, requireEachIncludedType: false }));
    const expected = 200_000 / 94;
    expect(counts.size).toBe(94);
    for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.15);
  });
});

function countChars(passwords: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const password of passwords) for (const char of password) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts;
}
