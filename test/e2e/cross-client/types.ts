// The cross-client scenario format: steps of (operation, input, expected outcome) that every driver (AWS SDK for
// JavaScript, boto3, AWS CLI) runs unchanged. Inputs are JSON plus two markers a driver resolves itself.

/** A value taken at run time from an earlier step's result: `{ $ref: "label.Path.0.Field" }` (body paths). */
export interface Ref {
  $ref: string;
}

/** Bytes, written as base64: each driver passes them the way its client takes binary (Uint8Array, bytes, fileb://). */
export interface Binary {
  $binary: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Repeat the call (bounded) until `path` in the body has `length` entries or (`exists`) is present: for lists, which are eventually consistent. */
export interface Until {
  path: string;
  length?: number;
  exists?: boolean;
  attempts: number;
  delayMs: number;
}

/** What a step must produce: a success body (matched exactly, absent fields included) or an AWS error. */
export type Expectation = { body: unknown } | { error: { code: unknown; message?: unknown } };

export interface Step {
  op: string;
  input: Record<string, unknown>;
  /** Saves this step's result under a label, for `$ref`s in later inputs and expectations. */
  as?: string;
  /** Sign with these instead of the local test/test key pair. */
  credentials?: Credentials;
  /** Sign for this region instead of us-east-1. */
  region?: string;
  until?: Until;
  expect: Expectation;
}

/** Per-driver values, so that no two drivers (or scenarios) touch the same secret. */
export interface Vars {
  /** Unique secret names; `name` is the main one. */
  name: string;
  name2: string;
  /** A name no secret has. */
  missing: string;
  /** A unique prefix shared by `name` and `name2` (for list filters). */
  prefix: string;
  /** ClientRequestTokens (UUIDs) generated up front, so VersionIds are known before the run. */
  t: string[];
}

export interface Scenario {
  title: string;
  /** Operations that must be registered on the server, beyond the twelve of the foundation. */
  requires?: string[];
  steps(v: Vars): Step[];
  /** Assertions across steps that a per-step expectation cannot state (e.g. pages that together list every version). */
  verify?(results: StepResult[], v: Vars): void;
}

/** One step's normalised result, the same shape from every driver: dates as epoch ms, binary as base64. */
export interface StepResult {
  status?: number;
  requestId?: string;
  body?: Record<string, unknown>;
  error?: { code: string; message: string };
  /** Whether the client raised its modeled exception class for the code (SDK, boto3); absent for the CLI. */
  modeled?: boolean;
  /** The client refused or failed the call before an HTTP answer (validation, transport, parse). */
  clientError?: string;
}
