// Runs one rotation step on a configured target: a Lambda Invoke API URL, a service binding speaking the same API, or
// a built-in rotator run here. Every path ends in a StepOutcome; nothing a function does escapes as an exception.
import { errorTrace } from "../../observability/error-trace";
import { stepFailed, type RotationEvent, type StepOutcome } from "../event";
import { postgresqlRotator } from "../rotators/postgresql";
import { randomPasswordRotator } from "../rotators/random-password";
import { RotationStepError, type Rotator } from "../rotators/rotator";
import type { RotationSecrets } from "../secrets";
import type { RotationTarget } from "./config";
import { DEFAULT_TIMEOUT_SECONDS, invokeLambda } from "./lambda-invoke";

export interface StepContext {
  fetch: (request: Request) => Promise<Response>;
  /** The Worker's bindings, where `service` targets are looked up. */
  bindings: Record<string, unknown>;
  /** How built-in rotators read and write secrets (implemented over the object by the engine). */
  secrets: RotationSecrets;
}

/** The path AWS's Runtime Interface Emulator serves; a service binding is called on it too. */
export const INVOKE_PATH = "/2015-03-31/functions/function/invocations";

export async function runStep(target: RotationTarget, event: RotationEvent, context: StepContext): Promise<StepOutcome> {
  if ("url" in target) return invokeLambda(target.url, event, { fetch: context.fetch, credentials: target.credentials, timeoutSeconds: target.timeoutSeconds });
  if ("service" in target) {
    const binding = context.bindings[target.service] as Fetcher | undefined;
    if (typeof binding?.fetch !== "function") return stepFailed(`The service binding ${target.service} is not configured.`);
    return invokeLambda(`https://${target.service}${INVOKE_PATH}`, event, { fetch: (request) => binding.fetch(request), timeoutSeconds: target.timeoutSeconds });
  }
  return runBuiltin(target.builtin === "postgresql" ? postgresqlRotator(target) : randomPasswordRotator(target), event, context.secrets);
}

async function runBuiltin(rotator: Rotator, event: RotationEvent, secrets: RotationSecrets): Promise<StepOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<StepOutcome>((resolve) => {
    timer = setTimeout(() => resolve(stepFailed(`${event.Step}: the built-in rotator did not finish within ${DEFAULT_TIMEOUT_SECONDS} seconds.`)), DEFAULT_TIMEOUT_SECONDS * 1000);
  });
  const run = rotator.runStep(event, secrets).then(
    (): StepOutcome => ({ ok: true }),
    (error: unknown): StepOutcome => {
      if (error instanceof RotationStepError) return stepFailed(error.message);
      // Anything else (a storage or driver error, a parse error) may quote the value it was handling: logged and
      // recorded by its type and stack frames only.
      const trace = errorTrace(error);
      console.error(JSON.stringify({ event: "rotation_builtin_failed", step: event.Step, arn: event.SecretId, ...trace }));
      return stepFailed(`${event.Step}: the built-in rotator failed (${trace.errorType}).`);
    },
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
