// The AWS CLI against the local server with --endpoint-url, as the README shows it.
// Skipped when `aws` is not on PATH, except in CI (CI=true), where a missing CLI is a failure.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { type TestContext, describe, expect, inject, it } from "vitest";
import { CREDENTIALS, REGION, arnPattern, uniqueName } from "./client";

const run = promisify(execFile);
const endpoint = inject("endpoint");
const cliMissing = spawnSync("aws", ["--version"], { stdio: "ignore" }).error !== undefined;

// Only the endpoint and a static key pair: no profile, config file or pager from the machine leaks in.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_DEFAULT_REGION: REGION,
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_PAGER: "",
};
for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER"]) delete env[name];

/** Skips the test when the CLI is missing, except in CI, where that fails it. */
function requireCli(ctx: TestContext): void {
  if (!cliMissing) return;
  if (process.env.CI === "true") throw new Error("the AWS CLI (`aws`) is not on PATH, and CI requires the CLI tests to run");
  ctx.skip("the AWS CLI (`aws`) is not on PATH; install it (pip install awscli, or apt-get install awscli) to run this test");
}

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run("aws", ["secretsmanager", ...args, "--endpoint-url", endpoint, "--output", "json"], { env, timeout: 30_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("AWS CLI", () => {
  it("create-secret then get-secret-value with --endpoint-url", async (ctx) => {
    requireCli(ctx);
    const name = uniqueName("cli");
    const created = await aws("create-secret", "--name", name, "--secret-string", '{"user":"admin","password":"hunter2"}');
    expect(created).toMatchObject({ ARN: expect.stringMatching(arnPattern(name)), Name: name, VersionId: expect.any(String) });

    const got = await aws("get-secret-value", "--secret-id", name);
    expect(got).toMatchObject({
      ARN: created.ARN,
      Name: name,
      VersionId: created.VersionId,
      SecretString: '{"user":"admin","password":"hunter2"}',
      VersionStages: ["AWSCURRENT"],
    });
    expect(got.CreatedDate).toBeDefined();
  });

  it("a CLI request signed with an unknown access key gets UnrecognizedClientException", async (ctx) => {
    requireCli(ctx);
    const failed = await run("aws", ["secretsmanager", "list-secret-version-ids", "--secret-id", "x", "--endpoint-url", endpoint], {
      env: { ...env, AWS_ACCESS_KEY_ID: "AKIDNOBODYATALL" },
      timeout: 30_000,
    }).then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );
    expect(failed?.stderr).toContain("UnrecognizedClientException");
    expect(failed?.stderr).toContain("The security token included in the request is invalid.");
  });

  it("get-secret-value of a missing secret exits non-zero with ResourceNotFoundException", async (ctx) => {
    requireCli(ctx);
    const failed = await aws("get-secret-value", "--secret-id", uniqueName("missing")).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain("ResourceNotFoundException");
    expect(failed?.stderr).toContain("Secrets Manager can't find the specified secret.");
  });
});
