// What the scenario files share: AWS's exact messages (reference/aws-behaviour.md) and step shorthands.
import type { Expectation, Step } from "../types";

export const NOT_FOUND = "Secrets Manager can't find the specified secret.";
export const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";
export const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";
export const BOTH_VALUES = "You can't specify both a binary secret value and a string secret value in the same secret.";
export const ALREADY_DELETED = "You tried to perform the operation on a secret that's currently marked deleted.";

/** 0x00 0x01 0x02 0xff: binary that is not UTF-8. */
export const BYTES_B64 = "AAEC/w==";

export const succeeds = (body: unknown): Expectation => ({ body });
export const fails = (code: unknown, message?: unknown): Expectation => ({ error: message === undefined ? { code } : { code, message } });

/** A step; `extra` carries `as`, `credentials`, `region` or `until`. */
export const call = (op: string, input: Record<string, unknown>, expect: Expectation, extra: Omit<Step, "op" | "input" | "expect"> = {}): Step => ({
  op,
  input,
  expect,
  ...extra,
});

/** "1 validation error detected: Value … at '<member>' failed to satisfy constraint: <constraint>" (Coral form). */
export const validationMessage = (member: string, constraint: string) =>
  new RegExp(`^1 validation error detected: Value .* at '${member.replace(/\./g, "\\.")}' failed to satisfy constraint: ${constraint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "s");
