// The AWS SDK for JavaScript v3 driver: each step is `client.send(new <Op>Command(input))` on a stock client whose
// only change is the endpoint (and no retries, so a failure is seen as it happened).
import * as SecretsManager from "@aws-sdk/client-secrets-manager";
import type { StepResult } from "../cross-client/types";
import type { Batch, Driver, WireStep } from "./driver";
import { satisfied, valueAt } from "./paths";

const { SecretsManagerClient, SecretsManagerServiceException } = SecretsManager;
/** Scenarios run side by side, each one's steps in order. */
const CONCURRENCY = 6;

export const sdkDriver: Driver = {
  name: "AWS SDK for JavaScript",
  reportsModeled: true,
  unavailable: () => undefined,
  async run(batch) {
    const clients = new Map<string, SecretsManager.SecretsManagerClient>();
    const clientFor = (step: WireStep) => {
      const credentials = step.credentials ?? batch.credentials;
      const region = step.region ?? batch.region;
      const key = `${credentials.accessKeyId}\n${credentials.secretAccessKey}\n${region}`;
      let client = clients.get(key);
      if (!client) {
        client = new SecretsManagerClient({ endpoint: batch.endpoint, region, credentials, maxAttempts: 1 });
        clients.set(key, client);
      }
      return client;
    };

    const results: Record<string, StepResult[]> = {};
    const queue = [...batch.scenarios];
    const worker = async () => {
      for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
        const saved = new Map<string, StepResult>();
        const out: StepResult[] = [];
        for (const step of scenario.steps) {
          const result = await runStep(step, saved, clientFor(step));
          out.push(result);
          if (step.as) saved.set(step.as, result);
        }
        results[scenario.id] = out;
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      for (const client of clients.values()) client.destroy();
    }
    return results;
  },
};

async function runStep(step: WireStep, saved: Map<string, StepResult>, client: SecretsManager.SecretsManagerClient): Promise<StepResult> {
  const Command = (SecretsManager as unknown as Record<string, new (input: unknown) => never>)[`${step.op}Command`];
  if (!Command) return { clientError: `the SDK has no ${step.op}Command` };
  let input: unknown;
  try {
    input = materialise(step.input, saved);
  } catch (error) {
    return { clientError: String(error) };
  }
  const attempts = step.until?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    const result = await send(client, new Command(input));
    if (!step.until || !result.body || satisfied(result.body, step.until) || attempt >= attempts) return result;
    await new Promise((resolve) => setTimeout(resolve, step.until!.delayMs));
  }
}

async function send(client: SecretsManager.SecretsManagerClient, command: never): Promise<StepResult> {
  try {
    const { $metadata, ...body } = (await client.send(command)) as { $metadata: SecretsManager.SecretsManagerServiceException["$metadata"] };
    return { status: $metadata.httpStatusCode, requestId: $metadata.requestId, body: toJson(body) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof SecretsManagerServiceException)) return { clientError: String(error) };
    return {
      status: error.$metadata.httpStatusCode,
      requestId: error.$metadata.requestId,
      error: { code: error.name, message: error.message },
      // Unmodeled codes (ValidationException, signature errors) arrive as the service's base exception class.
      modeled: Object.getPrototypeOf(error) !== SecretsManagerServiceException.prototype,
    };
  }
}

/** Resolves `$ref`s from earlier results and turns `$binary` into the Uint8Array the SDK takes. */
function materialise(value: unknown, saved: Map<string, StepResult>): unknown {
  if (Array.isArray(value)) return value.map((item) => materialise(item, saved));
  if (typeof value !== "object" || value === null) return value;
  if ("$ref" in value) {
    const [label, ...path] = String(value.$ref).split(".");
    const found = valueAt(saved.get(label!)?.body, path.join("."));
    if (found === undefined) throw new Error(`cannot resolve $ref ${String(value.$ref)}`);
    return found;
  }
  if ("$binary" in value) return new Uint8Array(Buffer.from(String(value.$binary), "base64"));
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, materialise(member, saved)]));
}

/** Dates → epoch ms, bytes → base64: the common form every driver reports. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}
