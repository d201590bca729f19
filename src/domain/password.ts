// GetRandomPassword's generator: AWS character classes, exclusions and the one-of-each-type rule.
// Pure: draws only from crypto.getRandomValues, with rejection sampling so every character is equally likely.
import { z } from "zod";
import { fail, ok, type Result } from "./result";
import { Bool } from "./schemas";

export interface PasswordOptions {
  length: number;
  excludeCharacters: string;
  excludeNumbers: boolean;
  excludePunctuation: boolean;
  excludeUppercase: boolean;
  excludeLowercase: boolean;
  includeSpace: boolean;
  requireEachIncludedType: boolean;
}

/** GetRandomPassword's members with AWS's limits and defaults (the operation's input; built-in rotators' options). */
export const PasswordRequest = z.object({
  PasswordLength: z.number().int().min(1).max(4096).default(32),
  ExcludeCharacters: z.string().max(4096).default(""),
  ExcludeNumbers: Bool.default(false),
  ExcludePunctuation: Bool.default(false),
  ExcludeUppercase: Bool.default(false),
  ExcludeLowercase: Bool.default(false),
  IncludeSpace: Bool.default(false),
  RequireEachIncludedType: Bool.default(true),
});

export const passwordOptions = (request: z.infer<typeof PasswordRequest>): PasswordOptions => ({
  length: request.PasswordLength,
  excludeCharacters: request.ExcludeCharacters,
  excludeNumbers: request.ExcludeNumbers,
  excludePunctuation: request.ExcludePunctuation,
  excludeUppercase: request.ExcludeUppercase,
  excludeLowercase: request.ExcludeLowercase,
  includeSpace: request.IncludeSpace,
  requireEachIncludedType: request.RequireEachIncludedType,
});

export const ALL_EXCLUDED = "The password can't be generated because all characters are excluded.";
export const TOO_SHORT = "The password length is too short to include every required character type.";

export const LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
export const UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const NUMBERS = "0123456789";
export const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
export const SPACE = " ";

const UINT32_RANGE = 2 ** 32;

/** Draws uniform integers in [0, n) from buffered crypto randomness. */
class RandomSource {
  private buffer = new Uint32Array(256);
  private next = this.buffer.length;

  below(n: number): number {
    // Values at or above the largest multiple of n would favour small remainders.
    const limit = UINT32_RANGE - (UINT32_RANGE % n);
    for (;;) {
      const value = this.word();
      if (value < limit) return value % n;
    }
  }

  private word(): number {
    if (this.next === this.buffer.length) {
      crypto.getRandomValues(this.buffer);
      this.next = 0;
    }
    return this.buffer[this.next++] as number;
  }
}

const pick = (chars: string, random: RandomSource): string => chars[random.below(chars.length)] as string;

export function generatePassword(options: PasswordOptions): Result<string> {
  const excluded = new Set(options.excludeCharacters);
  const allowed = (chars: string) => [...chars].filter((char) => !excluded.has(char)).join("");
  // The character types RequireEachIncludedType covers (the model: upper, lower, numbers, punctuation). IncludeSpace
  // allows a space but never requires one.
  const types = [
    options.excludeLowercase ? "" : LOWERCASE,
    options.excludeUppercase ? "" : UPPERCASE,
    options.excludeNumbers ? "" : NUMBERS,
    options.excludePunctuation ? "" : PUNCTUATION,
  ]
    .map(allowed)
    .filter((chars) => chars.length > 0);
  const alphabet = types.join("") + (options.includeSpace ? allowed(SPACE) : "");

  if (alphabet.length === 0) return fail({ code: "InvalidParameterException", message: ALL_EXCLUDED });
  const required = options.requireEachIncludedType ? types : [];
  if (options.length < required.length) return fail({ code: "InvalidParameterException", message: TOO_SHORT });

  const random = new RandomSource();
  const chars = required.map((chars) => pick(chars, random));
  while (chars.length < options.length) chars.push(pick(alphabet, random));

  // Fisher-Yates, so the guaranteed characters land at uniformly random positions.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return ok(chars.join(""));
}
