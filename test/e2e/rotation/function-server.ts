// Starts the Python rotation function (rotation/lambda_function.py by default) behind the Lambda Invoke API on
// loopback (rotation/invoke_server.py), for e2e tests; ROTATION_FUNCTIONS points a function ARN at `invokeUrl`.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { awsEnv } from "../drivers/python";
import { CREDENTIALS, REGION } from "../client";

const SERVER = fileURLToPath(new URL("./invoke_server.py", import.meta.url));
export const INVOKE_PATH = "/2015-03-31/functions/function/invocations";

export interface Invocation {
  event: { Step: string; SecretId: string; ClientRequestToken: string; RotationToken?: string };
  outcome: "ok" | "error";
  error: string | null;
}

export interface FunctionServer {
  /** http://127.0.0.1:<port>/2015-03-31/functions/function/invocations */
  invokeUrl: string;
  /** The events the function saw, in order, with their outcomes. */
  invocations(): Promise<Invocation[]>;
  stop(): Promise<void>;
}

export interface FunctionOptions {
  /** The Secrets Manager endpoint the function calls back (SECRETS_MANAGER_ENDPOINT). */
  endpoint?: string;
  /** A step that fails before the handler runs. */
  failStep?: string;
  /** module.function to serve instead of lambda_function.lambda_handler. */
  handler?: string;
}

export async function startFunctionServer(options: FunctionOptions = {}): Promise<FunctionServer> {
  const env = awsEnv({
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    ...(options.endpoint && { SECRETS_MANAGER_ENDPOINT: options.endpoint }),
    ...(options.failStep && { FAIL_STEP: options.failStep }),
    ...(options.handler && { HANDLER: options.handler }),
  });
  const child: ChildProcess = spawn("python3", [SERVER], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the rotation function server did not start within 20 s")), 20_000);
    child.once("exit", (code) => reject(new Error(`the rotation function server exited (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening on (\d+)$/.exec(line);
      if (match) (clearTimeout(timer), resolve(Number(match[1])));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    invokeUrl: `${base}${INVOKE_PATH}`,
    invocations: async () => (await fetch(`${base}/invocations`)).json() as Promise<Invocation[]>,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
