// boto3 (Python) against the local server with only endpoint_url changed: its SigV4 signatures are accepted,
// and a wrong secret key is refused. Skipped when python3/boto3 are missing, except in CI (CI=true).
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { type TestContext, describe, expect, inject, it } from "vitest";
import { CREDENTIALS, REGION, arnPattern, uniqueName } from "./client";

const run = promisify(execFile);
const endpoint = inject("endpoint");
const boto3Missing = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status !== 0;

const SCRIPT = `
import json, sys, boto3, botocore
endpoint, region, key, secret, name = sys.argv[1:6]
sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region,
                  aws_access_key_id=key, aws_secret_access_key=secret)
out = {}
try:
    out["created"] = sm.create_secret(Name=name, SecretString="from-boto3")["ARN"]
    out["value"] = sm.get_secret_value(SecretId=name)["SecretString"]
    out["binary"] = list(sm.put_secret_value(SecretId=name, SecretBinary=b"\\x00\\xff") and
                         sm.get_secret_value(SecretId=name)["SecretBinary"])
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]["Code"]
    out["status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
print(json.dumps(out))
`;

function requireBoto3(ctx: TestContext): void {
  if (!boto3Missing) return;
  if (process.env.CI === "true") throw new Error("python3 with boto3 is not available, and CI requires the boto3 tests to run");
  ctx.skip("python3 with boto3 is not available; install it (pip install boto3) to run this test");
}

async function boto3(secretAccessKey: string, name: string): Promise<Record<string, unknown>> {
  const env = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
  const args = ["-c", SCRIPT, endpoint, REGION, CREDENTIALS.accessKeyId, secretAccessKey, name];
  const { stdout } = await run("python3", args, { env, timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("boto3", () => {
  it("requests signed by boto3 are accepted", async (ctx) => {
    requireBoto3(ctx);
    const name = uniqueName("boto3");
    const out = await boto3(CREDENTIALS.secretAccessKey, name);
    expect(out).toEqual({ created: expect.stringMatching(arnPattern(name)), value: "from-boto3", binary: [0, 255] });
  });

  it("a boto3 request signed with the wrong secret key gets InvalidSignatureException (400)", async (ctx) => {
    requireBoto3(ctx);
    expect(await boto3("wrong-secret", uniqueName("boto3-bad"))).toEqual({ error: "InvalidSignatureException", status: 400 });
  });
});
