// ROTATION_FUNCTIONS: the deployment's map from a rotation function ARN (or a managed external secret's partner Type)
// to where that function runs. Parsed once per configuration string; errors never quote a value (it may hold keys).
import { z } from "zod";
import { PostgresqlOptions } from "../rotators/postgresql";
import { RandomPasswordOptions } from "../rotators/random-password";

const Timeout = z.number().positive().max(900).optional();

/** A function served over the Lambda Invoke API (Lambda Runtime Interface Emulator, LocalStack, AWS Lambda). */
const UrlTarget = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** SigV4 credentials for service `lambda`, to invoke a real AWS Lambda function. */
    credentials: z
      .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1).optional(), region: z.string().min(1).optional() })
      .strict()
      .optional(),
    timeoutSeconds: Timeout,
  })
  .strict();

/** A Worker bound to this one (wrangler `services`), speaking the same Invoke API. */
const ServiceTarget = z.object({ service: z.string().min(1), timeoutSeconds: Timeout }).strict();

const BuiltinTarget = z.discriminatedUnion("builtin", [RandomPasswordOptions, PostgresqlOptions]);

export type RotationTarget = z.infer<typeof UrlTarget> | z.infer<typeof ServiceTarget> | z.infer<typeof BuiltinTarget>;

/** The kind of target is named by its key, so errors point at the member that is wrong. */
const schemaOf = (value: object) => ("url" in value ? UrlTarget : "service" in value ? ServiceTarget : "builtin" in value ? BuiltinTarget : undefined);
export type UrlTarget = z.infer<typeof UrlTarget>;

/** A Lambda function ARN (optionally with a version or alias), or a partner Type such as `SalesforceClientSecret`. */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9_$-]{1,128})?$/;
const PARTNER_TYPE = /^[A-Za-z][A-Za-z0-9]{0,255}$/;

export type RotationFunctions = ReadonlyMap<string, RotationTarget>;

const cache = new Map<string, RotationFunctions>();

export function rotationFunctions(raw: string | undefined): RotationFunctions {
  const text = raw ?? "{}";
  let parsed = cache.get(text);
  if (!parsed) {
    parsed = parse(text);
    cache.set(text, parsed);
  }
  return parsed;
}

function parse(text: string): RotationFunctions {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("ROTATION_FUNCTIONS is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error("ROTATION_FUNCTIONS must be a JSON object from function ARN or partner Type to target");
  }
  const functions = new Map<string, RotationTarget>();
  for (const [key, value] of Object.entries(json)) {
    if (!FUNCTION_ARN.test(key) && !PARTNER_TYPE.test(key)) {
      throw new Error(`ROTATION_FUNCTIONS: ${JSON.stringify(key)} is neither a Lambda function ARN nor a partner Type`);
    }
    const schema = typeof value === "object" && value !== null ? schemaOf(value) : undefined;
    if (!schema) throw new Error(`ROTATION_FUNCTIONS: the target of ${key} needs url, service or builtin`);
    const target = schema.safeParse(value);
    if (!target.success) {
      const where = [...new Set(target.error.issues.map((issue) => issue.path.join(".") || "(target)"))].join(", ");
      throw new Error(`ROTATION_FUNCTIONS: the target of ${key} is not valid (at ${where})`);
    }
    functions.set(key, target.data);
  }
  return functions;
}

/**
 * The target of a secret's rotation: by its partner Type for a managed external secret, else by RotationLambdaARN
 * (exactly, then without a version or alias qualifier). Undefined means AWS's E59: the function cannot be invoked.
 */
export function targetFor(functions: RotationFunctions, by: { lambdaArn?: string; type?: string }): RotationTarget | undefined {
  if (by.type) return functions.get(by.type);
  if (!by.lambdaArn) return undefined;
  return functions.get(by.lambdaArn) ?? functions.get(by.lambdaArn.replace(/^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+):[^:]+$/, "$1"));
}
