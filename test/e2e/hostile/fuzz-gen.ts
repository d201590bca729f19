// Request generation for the fuzz run: a seeded PRNG (mulberry32) and, from the API model, operation inputs whose
// members are valid, at a boundary, of the wrong type, unknown or missing, over a small pool of secret names, version
// tokens and labels so that requests build on each other's state. The same seed gives the same request sequence.
import { SHAPES, OPERATIONS, type Shape } from "./model";

/** mulberry32: a tiny, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  op: string;
  /** The exact body sent (usually JSON of an input, sometimes deliberately broken). */
  body: string;
}

const LABELS = ["AWSCURRENT", "AWSPREVIOUS", "AWSPENDING", "L1", "L2", "L3"];
const ODD = ["\u0000", "\n", "é", "🔐", "\u202e", " ", "*", "\\", '"', "\ud800"];
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Per-operation weights: writes and reads of the pooled secrets dominate, deletion is rarer so state accumulates. */
const WEIGHTS: Record<string, number> = {
  CreateSecret: 6,
  PutSecretValue: 8,
  UpdateSecret: 4,
  UpdateSecretVersionStage: 8,
  GetSecretValue: 5,
  DescribeSecret: 3,
  ListSecretVersionIds: 3,
  TagResource: 3,
  UntagResource: 2,
  DeleteSecret: 1.5,
  RestoreSecret: 2,
  GetRandomPassword: 2,
  ListSecrets: 1,
  BatchGetSecretValue: 1.5,
};

export class FuzzGenerator {
  readonly names: string[];
  readonly tokens: string[];
  private readonly random: () => number;
  private readonly ops: string[];
  private readonly arnPrefix: string;
  /** Whether the request being built may carry invalid members; the others are plausible calls that build state. */
  private hostile = false;

  constructor(seed: number, prefix: string, operations: Iterable<string>, account: string, region: string) {
    this.random = mulberry32(seed);
    this.names = Array.from({ length: 10 }, (_, i) => `${prefix}/s${i}`);
    // Few tokens, so that versions get reused as VersionIds and retried tokens meet their versions again.
    this.tokens = Array.from({ length: 16 }, () => this.uuid());
    this.ops = [...operations].filter((op) => OPERATIONS[op] !== undefined);
    this.arnPrefix = `arn:aws:secretsmanager:${region}:${account}:secret:`;
  }

  next(): FuzzRequest {
    const op = this.weighted();
    this.hostile = this.random() < 0.4;
    if (this.hostile && this.random() < 0.08) return { op, body: this.brokenBody() };
    const input = this.structure(OPERATIONS[op]!, 0) as Record<string, unknown>;
    if (!this.hostile) this.plausible(op, input);
    if (this.hostile && this.random() < 0.25) input[this.pick(["Bogus", "secretId", "__proto__", "constructor"])] = this.anyJson(0);
    return { op, body: JSON.stringify(input) };
  }

  /** One value per request (never both), and no page tokens the server never issued. */
  private plausible(op: string, input: Record<string, unknown>): void {
    if (input.SecretString !== undefined && input.SecretBinary !== undefined) delete input[this.random() < 0.5 ? "SecretString" : "SecretBinary"];
    if ((op === "PutSecretValue" || op === "CreateSecret") && input.SecretString === undefined && input.SecretBinary === undefined && this.random() < 0.8) {
      input.SecretString = this.text(1 + Math.floor(this.random() * 30));
    }
    const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
    if (hasValue && input.ClientRequestToken === undefined) input.ClientRequestToken = this.pick(this.tokens);
    delete input.NextToken;
    delete input.RotationToken;
    if (op === "UpdateSecretVersionStage") {
      // Mostly moves of a label to a version; a wrong RemoveFromVersionId would make nearly every call fail.
      input.MoveToVersionId ??= this.pick(this.tokens);
      if (this.random() < 0.7) delete input.RemoveFromVersionId;
    }
    if (op === "BatchGetSecretValue" && input.SecretIdList !== undefined) delete input.Filters;
    if (op === "BatchGetSecretValue" && input.Filters === undefined) delete input.MaxResults;
  }

  private weighted(): string {
    const total = this.ops.reduce((sum, op) => sum + (WEIGHTS[op] ?? 0.5), 0);
    let r = this.random() * total;
    for (const op of this.ops) {
      r -= WEIGHTS[op] ?? 0.5;
      if (r <= 0) return op;
    }
    return this.ops.at(-1)!;
  }

  private structure(shapeName: string, depth: number): Record<string, unknown> {
    const shape = SHAPES[shapeName]!;
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const required = shape.required?.includes(name) ?? false;
      if (this.random() > (required ? 0.95 : 0.4)) continue;
      out[name] = this.hostile && this.random() < 0.1 ? this.wrongType(SHAPES[member.shape]!) : this.value(name, member.shape, depth + 1);
    }
    return out;
  }

  private value(member: string, shapeName: string, depth: number): unknown {
    const shape = SHAPES[shapeName]!;
    switch (shape.type) {
      case "structure":
        return depth > 4 ? {} : this.structure(shapeName, depth);
      case "list": {
        const length = this.hostile && this.random() < 0.15 ? this.boundary(shape) : (shape.min ?? 0) + Math.floor(this.random() * 3);
        return Array.from({ length: Math.max(0, Math.min(length, 30)) }, () => this.value(member, shape.member!.shape, depth + 1));
      }
      case "boolean":
        return this.random() < 0.5;
      case "integer":
      case "long":
        return this.number(shape);
      case "blob":
        if (this.hostile && this.random() < 0.1) return "!!not base64";
        return Buffer.from(this.text(this.hostile && this.random() < 0.15 ? this.boundary(shape) : 1 + Math.floor(this.random() * 40))).toString("base64");
      case "string":
        return this.string(member, shape);
    }
  }

  private string(member: string, shape: Shape): string {
    if (this.hostile && this.random() < 0.15) return this.text(Math.max(0, this.boundary(shape)));
    if (shape.enum) return this.hostile && this.random() < 0.2 ? "bogus-enum" : this.pick(shape.enum);
    switch (member) {
      case "SecretId":
      case "Name":
      case "SecretIdList":
        return this.secretId();
      case "ClientRequestToken":
      case "VersionId":
      case "MoveToVersionId":
      case "RemoveFromVersionId":
        return this.random() < 0.85 ? this.pick(this.tokens) : this.uuid();
      case "VersionStage":
      case "VersionStages":
        return this.random() < 0.9 ? this.pick(LABELS) : this.text(1 + Math.floor(this.random() * 8));
      case "KmsKeyId":
        return this.hostile ? this.pick(["", "alias/no-such-key", this.text(5)]) : "alias/aws/secretsmanager";
      case "Key":
      case "TagKeys":
        return this.hostile ? this.pick(["aws:reserved", this.text(4), ""]) : this.pick(["k1", "k2", "k3"]);
      default:
        return this.text((this.hostile ? 0 : 1) + Math.floor(this.random() * 24));
    }
  }

  private secretId(): string {
    const name = this.pick(this.names);
    const r = this.random();
    if (r < 0.75) return name;
    if (r < 0.85) return `${this.arnPrefix}${name}`;
    if (!this.hostile) return name;
    if (r < 0.9) return `${this.arnPrefix}${name}-${this.alnum(6)}`;
    return `${name}${this.pick(ODD)}`;
  }

  private number(shape: Shape): number {
    const r = this.random();
    if ((r < 0.7 || !this.hostile) && shape.min !== undefined && shape.max !== undefined) {
      return shape.min + Math.floor(this.random() * Math.min(shape.max - shape.min + 1, 64));
    }
    if (!this.hostile) return this.pick([7, 10, 30]);
    if (r < 0.85) return this.boundary(shape);
    return this.pick([-1, 0, 7, 30, 31, 2 ** 31, 2 ** 53 + 2, 1.5]);
  }

  /** min-1, min, max or max+1 of a shape (lengths or values). */
  private boundary(shape: Shape): number {
    const min = shape.min ?? 0;
    const max = shape.max ?? min + 16;
    return this.pick([min - 1, min, max, max + 1]);
  }

  private wrongType(shape: Shape): unknown {
    const options: unknown[] = [42, "text", true, [], {}, [1, "a"], { nested: { deeper: [] } }];
    return this.pick(options.filter((o) => typeof o !== typeof (shape.type === "string" ? "" : shape.type === "boolean" ? true : 0)));
  }

  private anyJson(depth: number): unknown {
    const r = this.random();
    if (depth > 2 || r < 0.4) return this.text(5);
    if (r < 0.6) return Math.floor(this.random() * 1000);
    if (r < 0.8) return [this.anyJson(depth + 1)];
    return { [this.text(3)]: this.anyJson(depth + 1) };
  }

  private brokenBody(): string {
    const valid = JSON.stringify({ SecretId: this.pick(this.names), Padding: this.text(20) });
    return this.pick([
      valid.slice(0, Math.floor(this.random() * valid.length)),
      `${valid}}`,
      "[]",
      "null",
      `{"SecretId":${"[".repeat(500)}${"]".repeat(500)}}`,
      valid.replace(/"/g, "'"),
    ]);
  }

  /** Mostly ASCII letters, sometimes control characters, emoji and other odd code points. */
  private text(length: number): string {
    let out = "";
    const odd = this.hostile ? 0.08 : 0;
    for (let i = 0; i < length; i++) out += this.random() < odd ? this.pick(ODD) : ALNUM[Math.floor(this.random() * ALNUM.length)];
    return out;
  }

  private alnum(length: number): string {
    return Array.from({ length }, () => ALNUM[Math.floor(this.random() * ALNUM.length)]).join("");
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}
