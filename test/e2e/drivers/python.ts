// The boto3 and AWS CLI drivers: one python3 process per batch (drivers/boto3_driver.py, drivers/cli_driver.py)
// reads the steps as JSON on stdin and prints the results, so a whole scenario set costs one interpreter start.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StepResult } from "../cross-client/types";
import type { Batch, Driver } from "./driver";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const RUN_LIMIT_MS = 150_000;

/** Only the endpoint and key pair each step names: no profile, config file, pager or retries from the machine. */
export function awsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
    AWS_EC2_METADATA_DISABLED: "true",
    PYTHONIOENCODING: "utf-8",
    ...extra,
  };
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_CA_BUNDLE"]) delete env[name];
  return env;
}

const probe = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8", env: awsEnv(), timeout: 30_000 });

const boto3Probe = probe("python3", ["-c", "import boto3, botocore; print(boto3.__version__, botocore.__version__)"]);
/** `aws --version` prints e.g. "aws-cli/1.45.11 Python/3.11.7 …" (v1 to stderr, v2 to stdout). */
const cliProbe = probe("aws", ["--version"]);
const cliVersion = /aws-cli\/(\S+)/.exec(`${cliProbe.stdout ?? ""}${cliProbe.stderr ?? ""}`)?.[1];
// The CLI's own entry point can run in-process when python3 imports the same awscli the `aws` command is.
const awscliModule = probe("python3", ["-c", "import awscli; print(awscli.__version__)"]).stdout?.trim();

export const boto3Driver: Driver = {
  name: "boto3",
  reportsModeled: true,
  unavailable: () =>
    boto3Probe.status === 0 ? undefined : "python3 with boto3 is not available; install it (pip install boto3) to run the boto3 driver",
  run: (batch) => runPython("boto3_driver.py", batch),
};

/** The CLI through its entry point in one process (fast), or the `aws` executable per step when that is not importable. */
export const cliDriver: Driver = {
  name: "AWS CLI",
  reportsModeled: false,
  unavailable: () =>
    cliVersion === undefined
      ? "the AWS CLI (`aws`) is not on PATH; install it (pip install awscli, or apt-get install awscli) to run the CLI driver"
      : undefined,
  run: (batch) => runPython("cli_driver.py", { ...batch, mode: awscliModule === cliVersion ? "inprocess" : "executable" }),
};

/** The `aws` executable itself, one process per step, as a user types it: for a few scenarios (it is slow). */
export const cliExecutableDriver: Driver = {
  ...cliDriver,
  name: "aws executable",
  run: (batch) => runPython("cli_driver.py", { ...batch, mode: "executable" }),
};

export const versions = { boto3: boto3Probe.status === 0 ? boto3Probe.stdout.trim() : undefined, cli: cliVersion, cliInProcess: awscliModule === cliVersion };

async function runPython(script: string, batch: Batch & { mode?: string }): Promise<Record<string, StepResult[]>> {
  const child = spawn("python3", [`${HERE}${script}`], { env: awsEnv(), stdio: ["pipe", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
  child.stdin.end(JSON.stringify(batch));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  const out = Buffer.concat(stdout).toString("utf8");
  if (code !== 0) throw new Error(`${script} exited ${code}:\n${Buffer.concat(stderr).toString("utf8").slice(-4000)}`);
  return (JSON.parse(out) as { results: Record<string, StepResult[]> }).results;
}
