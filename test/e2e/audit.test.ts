// The audit trail end to end, read with AWS's own clients at the local server's endpoint: `aws cloudtrail
// lookup-events` and boto3's lookup_events paginator (each attribute, time ranges, paging, account isolation, a key
// whose policy lacks cloudtrail:LookupEvents refused); and a SIGKILL in the middle of a burst of reads and writes,
// after which every acknowledged call is on the trail. Own server and state directory (it kills its server).
import { spawnSync } from "node:child_process";
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, REGION, uniqueName } from "./client";
import { awsEnv } from "./drivers/python";
import { rawCall } from "./raw";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const ACCOUNT = "111122223333";
const PARTNER = "444455556666";
const KEYS = {
  admin: CREDENTIALS,
  reader: { accessKeyId: "AKIDE2EREADER", secretAccessKey: "e2e-reader-secret" },
  partner: { accessKeyId: "AKIDE2EPARTNER", secretAccessKey: "e2e-partner-secret" },
};
const ACCESS_KEYS = [
  { ...KEYS.admin, accountId: ACCOUNT },
  {
    ...KEYS.reader,
    accountId: ACCOUNT,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/reader`,
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] },
  },
  { ...KEYS.partner, accountId: PARTNER },
];
const MARKER = "e2e-audit-MARKER-value";

const BURST_CONCURRENCY = 16;
const KILL_AFTER_ACKS = 200;
const KILL_AFTER_MS = 6_000;
const MAX_REQUESTS = 2_000;

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

const stateDir = freshStateDir();
let server: LocalServer;
let secretArn: string;

/** `aws cloudtrail lookup-events …` as a user types it; the parsed JSON output, or the CLI's error text. */
function cli(args: string[], key: Key = KEYS.admin): { ok: boolean; events: any[]; error: string } {
  const run = spawnSync("aws", ["cloudtrail", "lookup-events", "--endpoint-url", server.endpoint, "--region", REGION, "--output", "json", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: awsEnv({ AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey }),
  });
  return { ok: run.status === 0, events: run.status === 0 ? JSON.parse(run.stdout).Events : [], error: run.stderr };
}

/** boto3's lookup_events paginator over each query; per query the events of every page, or the error code. */
function boto3(queries: object[], key: Key = KEYS.admin): ({ events: any[]; pages: number } | { error: string })[] {
  const script = `
import json, sys, boto3, botocore
spec = json.load(sys.stdin)
client = boto3.client("cloudtrail", endpoint_url=spec["endpoint"], region_name=spec["region"],
    aws_access_key_id=spec["key"]["accessKeyId"], aws_secret_access_key=spec["key"]["secretAccessKey"])
out = []
for query in spec["queries"]:
    try:
        pages = list(client.get_paginator("lookup_events").paginate(**query))
        out.append({"events": [e for p in pages for e in p["Events"]], "pages": len(pages)})
    except botocore.exceptions.ClientError as error:
        out.append({"error": error.response["Error"]["Code"]})
print(json.dumps(out, default=str))
`;
  const run = spawnSync("python3", ["-c", script], {
    input: JSON.stringify({ endpoint: server.endpoint, region: REGION, key, queries }),
    encoding: "utf8",
    timeout: 120_000,
    env: awsEnv(),
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const sdk = (key: Key = KEYS.admin) => new SecretsManagerClient({ endpoint: server.endpoint, region: REGION, credentials: key, maxAttempts: 1 });
const attribute = (AttributeKey: string, AttributeValue: string) => [{ AttributeKey, AttributeValue }];

beforeAll(async () => {
  server = await startServer({ stateDir, env: { ACCESS_KEYS: JSON.stringify(ACCESS_KEYS) } });
  const created = await rawCall(server.endpoint, "CreateSecret", { Name: uniqueName("audit"), SecretString: MARKER, ClientRequestToken: crypto.randomUUID() });
  expect(created.status, created.text).toBe(200);
  secretArn = (created.json as { ARN: string }).ARN;
  await sdk().send(new GetSecretValueCommand({ SecretId: secretArn }));
  await sdk(KEYS.reader).send(new GetSecretValueCommand({ SecretId: secretArn }));
  await sdk(KEYS.reader)
    .send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: MARKER }))
    .catch(() => undefined);
});

afterAll(async () => {
  await server?.stop();
  removeStateDir(stateDir);
});

describe("aws cloudtrail lookup-events", () => {
  it("lists the account's events newest first, each record as JSON without the value", () => {
    const all = cli([]);
    expect(all.ok, all.error).toBe(true);
    const sm = all.events.filter((e) => e.EventSource === "secretsmanager.amazonaws.com");
    expect(sm.map((e) => e.EventName)).toEqual(["PutSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
    const denied = JSON.parse(sm[0].CloudTrailEvent);
    expect(denied).toMatchObject({ errorCode: "AccessDenied", userIdentity: { type: "IAMUser", userName: "reader" }, requestParameters: { secretId: secretArn } });
    expect(JSON.stringify(all.events)).not.toContain(MARKER);
  });

  it("filters by an attribute, a time range, and pages with --page-size", () => {
    const byName = cli(["--lookup-attributes", "AttributeKey=EventName,AttributeValue=GetSecretValue"]);
    expect(byName.events.map((e) => e.Username)).toEqual(["reader", "root"]);
    const byResource = cli(["--lookup-attributes", `AttributeKey=ResourceName,AttributeValue=${secretArn}`]);
    expect(byResource.events.map((e) => e.EventName)).toEqual(["PutSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
    const paged = cli(["--page-size", "1", "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com"]);
    expect(paged.events.map((e) => e.EventId)).toEqual(
      cli(["--lookup-attributes", "AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com"]).events.map((e) => e.EventId),
    );
    const future = cli(["--start-time", new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.ok && future.events).toEqual([]);
    const reversed = cli(["--start-time", new Date().toISOString(), "--end-time", new Date(Date.now() - 3_600_000).toISOString()]);
    expect(reversed.error).toContain("InvalidTimeRangeException");
  });

  it("refuses a key whose policy lacks cloudtrail:LookupEvents", () => {
    const refused = cli([], KEYS.reader);
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain("AccessDeniedException");
    expect(refused.error).toContain("cloudtrail:LookupEvents");
  });
});

describe("boto3 lookup_events paginator", () => {
  it("each attribute, time ranges, paging and account isolation", () => {
    const now = Date.now() / 1000;
    const [all, ...rest] = boto3([
      {},
      { LookupAttributes: attribute("EventName", "CreateSecret") },
      { LookupAttributes: attribute("ReadOnly", "false") },
      { LookupAttributes: attribute("Username", "reader") },
      { LookupAttributes: attribute("ResourceType", "AWS::SecretsManager::Secret") },
      { LookupAttributes: attribute("AccessKeyId", KEYS.reader.accessKeyId) },
      { LookupAttributes: attribute("EventSource", "secretsmanager.amazonaws.com"), PaginationConfig: { PageSize: 1 } },
      { StartTime: now - 3600, EndTime: now + 60 },
      { EndTime: now - 3600 },
      { LookupAttributes: [...attribute("EventName", "CreateSecret"), ...attribute("ReadOnly", "true")] },
    ]);
    if (!all || "error" in all) throw new Error(JSON.stringify(all));
    const names = (r: (typeof rest)[number] | undefined) => (r && "events" in r ? r.events.map((e) => e.EventName).filter((n: string) => n !== "LookupEvents") : r);
    const [byName, writes, byUser, byType, byKey, paged, inRange, before, twoAttributes] = rest;
    expect(names(byName)).toEqual(["CreateSecret"]);
    expect(names(writes)).toEqual(["PutSecretValue", "CreateSecret"]);
    expect(names(byUser)).toEqual(["PutSecretValue", "GetSecretValue"]);
    expect(names(byType)).toEqual(["PutSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
    expect(names(byKey)).toEqual(["PutSecretValue", "GetSecretValue"]);
    expect(names(paged)).toEqual(["PutSecretValue", "GetSecretValue", "GetSecretValue", "CreateSecret"]);
    expect(paged && "pages" in paged && paged.pages).toBe(4);
    expect(names(inRange)).toEqual(names(all));
    expect(names(before)).toEqual([]);
    expect(twoAttributes).toEqual({ error: "InvalidLookupAttributesException" });
    const [id] = all.events.filter((e) => e.EventName === "CreateSecret").map((e) => e.EventId as string);
    const [byId] = boto3([{ LookupAttributes: attribute("EventId", id!) }]);
    expect(byId && "events" in byId && byId.events.map((e) => e.EventId)).toEqual([id]);
    const [partner] = boto3([{}], KEYS.partner);
    expect(partner && "events" in partner && partner.events).toEqual([]);
  });
});

describe("SIGKILL in the middle of a burst", () => {
  it("loses no record of an acknowledged call", async () => {
    const acked: string[] = [];
    let sent = 0;
    let killing: Promise<void> | undefined;
    const started = Date.now();
    const kill = () => (killing ??= server.kill());
    const timer = setTimeout(kill, KILL_AFTER_MS);
    const worker = async (i: number) => {
      while (!killing && sent < MAX_REQUESTS) {
        sent++;
        const put = sent % 4 === 0;
        try {
          const answer = put
            ? await rawCall(server.endpoint, "PutSecretValue", { SecretId: secretArn, SecretString: `${MARKER}-${i}`, ClientRequestToken: crypto.randomUUID() })
            : await rawCall(server.endpoint, "GetSecretValue", { SecretId: secretArn });
          if (answer.status === 200) acked.push(answer.headers.get("x-amzn-requestid")!);
          if (acked.length >= KILL_AFTER_ACKS || Date.now() - started >= KILL_AFTER_MS) kill();
        } catch {
          // Cut off by the kill: unacknowledged, may or may not be recorded.
        }
      }
    };
    await Promise.all(Array.from({ length: BURST_CONCURRENCY }, (_, i) => worker(i)));
    clearTimeout(timer);
    await killing;
    expect(acked.length).toBeGreaterThan(20);
    await server.start();

    const [trail] = boto3([{ LookupAttributes: attribute("EventSource", "secretsmanager.amazonaws.com") }]);
    if (!trail || "error" in trail) throw new Error(JSON.stringify(trail));
    const recorded = new Set(trail.events.map((e) => JSON.parse(e.CloudTrailEvent).requestID as string));
    expect(acked.filter((id) => !recorded.has(id))).toEqual([]);
    expect(JSON.stringify(trail.events)).not.toContain(MARKER);
  });
});
