// zod issues → the AWS error a Coral-based JSON service answers: ValidationException in AWS's
// "N validation errors detected: Value '…' at '…' failed to satisfy constraint: …" form, or
// SerializationException when a value has the wrong JSON type.
import type { z } from "zod";
import { AwsError } from "./errors";

/** Fields whose values never appear in an error message. */
const SENSITIVE = new Set(["SecretString", "SecretBinary", "RotationToken"]);

export function toAwsError(error: z.ZodError, input: unknown): AwsError {
  const wrongType = error.issues.find(
    (i) => (i.code === "invalid_type" && valueAt(input, i.path) !== undefined) || (i.code === "custom" && i.message === "SERIALIZATION"),
  );
  if (wrongType) {
    return new AwsError("SerializationException", `Unexpected value type at '${memberPath(wrongType.path)}'.`);
  }
  // zod adds a safe-integer range issue beside the model's own range for huge numbers: AWS reports the model's.
  const issues = error.issues.filter(
    (issue, _, all) => !(isRange(issue) && issue.origin === "int" && all.some((other) => other !== issue && samePath(other.path, issue.path))),
  );
  const details = issues.map((issue) => {
    const value = valueAt(input, issue.path);
    // AWS leaves sensitive values out of the message entirely: "Value at 'secretString' failed to …".
    const shown = issue.path.some((p) => SENSITIVE.has(String(p))) ? "" : value === undefined ? " null" : ` '${render(value)}'`;
    return `Value${shown} at '${memberPath(issue.path)}' failed to satisfy constraint: ${constraint(issue)}`;
  });
  const count = details.length === 1 ? "1 validation error detected" : `${details.length} validation errors detected`;
  return new AwsError("ValidationException", `${count}: ${details.join("; ")}`);
}

function constraint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return "Member must not be null";
    case "too_small":
      return isNumeric(issue.origin)
        ? `Member must have value greater than or equal to ${issue.minimum}`
        : `Member must have length greater than or equal to ${issue.minimum}`;
    case "too_big":
      return isNumeric(issue.origin)
        ? `Member must have value less than or equal to ${issue.maximum}`
        : `Member must have length less than or equal to ${issue.maximum}`;
    case "invalid_format":
      return `Member must satisfy regular expression pattern: ${"pattern" in issue ? String(issue.pattern).replace(/^\/(.*)\/[a-z]*$/s, "$1") : issue.format}`;
    case "invalid_value":
      return `Member must satisfy enum value set: [${issue.values.join(", ")}]`;
    default:
      return issue.message;
  }
}

const isRange = (issue: z.core.$ZodIssue) => issue.code === "too_big" || issue.code === "too_small";
const isNumeric = (origin: string) => origin === "number" || origin === "int" || origin === "bigint";
const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/** AWS member paths: camelCase names, 1-based list indexes as `tags.1.member.key`. */
export function memberPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `${p + 1}.member` : String(p).charAt(0).toLowerCase() + String(p).slice(1)))
    .join(".");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(", ")}]`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
