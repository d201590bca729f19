// Boundary cases derived from the API model: for every string, blob and list member (nested ones included) of each
// registered operation's input, a value at min-1, min, max and max+1 length; for every bounded number, min-1, min,
// max and max+1. Everything else in the request stays valid (templates below), so the only thing a case varies is
// the one member.
import { SHAPES, OPERATIONS, type Shape } from "./model";

export interface Fixture {
  /** An existing secret with a version, for SecretId members. */
  secretId: string;
  versionId: string;
  unique(): string;
}

export interface BoundaryCase {
  op: string;
  /** Member path as in the input (`Tags.0.Key`) and as AWS names it in messages (`tags.1.member.key`). */
  path: (string | number)[];
  memberPath: string;
  kind: "length" | "value";
  size: number;
  /** The constraint AWS must report when the size is out of range; undefined when it is in range. */
  violation?: string;
  input: Record<string, unknown>;
}

/** A valid request for each operation, before one member is changed. */
export function template(op: string, f: Fixture): Record<string, unknown> {
  const token = crypto.randomUUID();
  const templates: Record<string, Record<string, unknown>> = {
    BatchGetSecretValue: { SecretIdList: [f.secretId] },
    CreateSecret: { Name: f.unique(), SecretString: "x", ClientRequestToken: token },
    DeleteSecret: { SecretId: f.unique(), RecoveryWindowInDays: 7 },
    GetRandomPassword: { PasswordLength: 8 },
    ListSecrets: {},
    PutResourcePolicy: { SecretId: f.secretId, ResourcePolicy: "{}" },
    PutSecretValue: { SecretId: f.secretId, SecretString: "x", ClientRequestToken: token },
    RemoveRegionsFromReplication: { SecretId: f.secretId, RemoveReplicaRegions: ["eu-west-1"] },
    ReplicateSecretToRegions: { SecretId: f.secretId, AddReplicaRegions: [{ Region: "eu-west-1" }] },
    RotateSecret: { SecretId: f.secretId, ClientRequestToken: token },
    TagResource: { SecretId: f.secretId, Tags: [{ Key: "k", Value: "v" }] },
    UntagResource: { SecretId: f.secretId, TagKeys: ["k"] },
    UpdateSecret: { SecretId: f.secretId, Description: "d" },
    UpdateSecretVersionStage: { SecretId: f.secretId, VersionStage: "CUSTOM", MoveToVersionId: f.versionId },
    ValidateResourcePolicy: { ResourcePolicy: "{}" },
  };
  return structuredClone(templates[op] ?? { SecretId: f.secretId });
}

/** A string of `length` characters that fits the shape's pattern, or undefined when the simple fillers cannot. */
function filler(shape: Shape, length: number, seed: number): string | undefined {
  const candidates = [
    "a".repeat(length),
    length >= 2 ? `${"a".repeat(length - 2)}-${seed % 10}` : undefined,
    length >= 1 ? `${"1".repeat(length - 1)}h` : undefined,
  ];
  const pattern = shape.pattern ? new RegExp(shape.pattern) : undefined;
  return candidates.find((c) => c !== undefined && (!pattern || pattern.test(c)));
}

/** A small valid value of a shape, for members a template lacks. */
export function minimal(shapeName: string, seed = 0): unknown {
  const shape = SHAPES[shapeName]!;
  switch (shape.type) {
    case "string":
      return shape.enum ? shape.enum[0] : filler(shape, Math.max(shape.min ?? 1, 1, shape.pattern ? 3 : 1), seed);
    case "blob":
      return Buffer.from("x").toString("base64");
    case "boolean":
      return false;
    case "integer":
    case "long":
      return shape.min ?? 1;
    case "list":
      return [minimal(shape.member!.shape, seed)];
    case "structure":
      return Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, m]) => [name, minimal(m.shape, seed)]));
  }
}

/** Sets `value` at `path`, creating the containers on the way from their shapes. */
function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown, shapeName: string): void {
  let container: Record<string | number, unknown> = root;
  let shape = SHAPES[shapeName]!;
  path.forEach((key, i) => {
    const childShape = shape.type === "list" ? shape.member!.shape : shape.members![key as string]!.shape;
    if (i === path.length - 1) {
      container[key] = value;
      return;
    }
    container[key] ??= minimal(childShape);
    container = container[key] as Record<string | number, unknown>;
    shape = SHAPES[childShape]!;
  });
}

/** AWS's member path: lowerCamel names, 1-based list indexes (`tags.1.member.key`). */
export const awsPath = (path: (string | number)[]) =>
  path.map((p) => (typeof p === "number" ? `${p + 1}.member` : p.charAt(0).toLowerCase() + p.slice(1))).join(".");

/** Every bounded member slot of a shape, to a small depth. */
function slots(shapeName: string, path: (string | number)[] = [], depth = 0): { path: (string | number)[]; shape: string }[] {
  const shape = SHAPES[shapeName]!;
  const here = path.length > 0 && (shape.min !== undefined || shape.max !== undefined) && !shape.enum ? [{ path, shape: shapeName }] : [];
  if (depth > 3) return here;
  if (shape.type === "structure") {
    return [...here, ...Object.entries(shape.members ?? {}).flatMap(([name, m]) => slots(m.shape, [...path, name], depth + 1))];
  }
  if (shape.type === "list") return [...here, ...slots(shape.member!.shape, [...path, 0], depth + 1)];
  return here;
}

/** The boundary cases of one operation. */
export function boundaryCases(op: string, fixture: Fixture): BoundaryCase[] {
  const inputShape = OPERATIONS[op]!;
  const cases: BoundaryCase[] = [];
  for (const slot of slots(inputShape)) {
    const shape = SHAPES[slot.shape]!;
    const numeric = shape.type === "integer" || shape.type === "long";
    const min = shape.min ?? 0;
    const sizes = [...new Set([min - 1, min, ...(shape.max !== undefined ? [shape.max, shape.max + 1] : [])])].filter((n) => numeric || n >= 0);
    for (const size of sizes) {
      const violation =
        size < min
          ? `Member must have ${numeric ? "value" : "length"} greater than or equal to ${min}`
          : shape.max !== undefined && size > shape.max
            ? `Member must have ${numeric ? "value" : "length"} less than or equal to ${shape.max}`
            : undefined;
      const value = valueOfSize(slot.shape, size);
      if (value === undefined) continue;
      const input = template(op, fixture);
      setAt(input, slot.path, value, inputShape);
      // A request carries one value: a binary one replaces the template's string.
      if (slot.path[0] === "SecretBinary") delete input.SecretString;
      cases.push({ op, path: slot.path, memberPath: awsPath(slot.path), kind: numeric ? "value" : "length", size, violation, input });
    }
  }
  return cases;
}

function valueOfSize(shapeName: string, size: number): unknown {
  const shape = SHAPES[shapeName]!;
  switch (shape.type) {
    case "string":
      return filler(shape, size, 0);
    case "blob":
      return Buffer.alloc(size, 0xa5).toString("base64");
    case "integer":
    case "long":
      return size;
    case "list":
      // Distinct items, so lists of labels or ids are not refused for repeating themselves.
      return Array.from({ length: size }, (_, i) => distinct(shape.member!.shape, i));
    default:
      return undefined;
  }
}

function distinct(shapeName: string, i: number): unknown {
  const shape = SHAPES[shapeName]!;
  if (shape.type === "string" && !shape.enum && !shape.pattern) return `${"a".repeat(Math.max((shape.min ?? 1) - 3, 0))}x${String(i).padStart(2, "0")}`;
  return minimal(shapeName, i);
}
