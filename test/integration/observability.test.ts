// GET /health without credentials, the per-request log line (never a value), request counters through the Worker,
// and the key-ring guard: writes refused under a ring that lacks or changed a key the state depends on.
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/env";
import { admitWrites, forgetVerdicts } from "../../src/key-ring/ring-guard";
import { requestLog } from "../../src/observability/request-log";
import { sm, token } from "../support/sm";
import { lookupEvents } from "../support/trail";

const VALUE = `health-secret-value-${crypto.randomUUID()}`;
/** The test runtime's ring (which the state already depends on) plus these test keys. */
const ring = (keys: Record<string, Record<string, string>>, current: Record<string, string> = {}) =>
  JSON.stringify({
    ...JSON.parse(env.KMS_KEYS),
    ...Object.fromEntries(Object.entries(keys).map(([id, versions]) => [id, { current: current[id] ?? "1", versions }])),
  });
const KEY_A = btoa("a".repeat(32));
const KEY_B = btoa("b".repeat(32));

afterEach(async () => {
  vi.restoreAllMocks();
  await env.DB.prepare("DELETE FROM key_checks WHERE key_id LIKE 'test/%'").run();
  forgetVerdicts();
});

describe("GET /health", () => {
  it("answers 200 without authentication and says nothing about secrets", async () => {
    await sm("CreateSecret", { Name: `health-${crypto.randomUUID().slice(0, 8)}`, SecretString: VALUE, ClientRequestToken: token() });
    const res = await SELF.fetch("http://127.0.0.1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { index: "ok", keyRing: "ok" } });
  });

  it("answers 503 when the key ring lacks a key the state depends on", async () => {
    await env.DB.prepare("INSERT INTO key_checks VALUES ('test/gone', '1', '0011223344556677', 0)").run();
    const res = await SELF.fetch("http://127.0.0.1/health");
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: "unavailable", checks: { index: "ok", keyRing: "failing" } });
    expect(text).not.toContain("test/gone");
  });
});

describe("request log", () => {
  it("writes one JSON line per request with operation, status, account, region and ARN, never the value", async () => {
    const log = vi.spyOn(console, "log");
    const name = `logged-${crypto.randomUUID().slice(0, 8)}`;
    const created = await sm("CreateSecret", { Name: name, SecretString: VALUE, ClientRequestToken: token() });
    await sm("GetSecretValue", { SecretId: name });
    await sm("GetSecretValue", { SecretId: `${name}-missing` });
    const lines = log.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('"event":"request"'));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(VALUE);
    const [create, read, missing] = lines.map((line) => JSON.parse(line));
    expect(create).toMatchObject({ operation: "CreateSecret", status: 200, errorCode: null, account: "111122223333", region: "us-east-1", arn: created.body.ARN });
    expect(read).toMatchObject({ operation: "GetSecretValue", status: 200, arn: created.body.ARN });
    expect(typeof read.latencyMs).toBe("number");
    expect(missing).toMatchObject({ operation: "GetSecretValue", status: 400, errorCode: "ResourceNotFoundException", arn: `${name}-missing` });
  });

  it("logs unauthenticated requests without an account", async () => {
    const log = vi.spyOn(console, "log");
    await sm("ListSecrets", {}, { unsigned: true });
    const line = log.mock.calls.map((call) => String(call[0])).find((l) => l.includes('"event":"request"'));
    expect(JSON.parse(line!)).toMatchObject({ operation: "ListSecrets", status: 400, errorCode: "MissingAuthenticationTokenException", account: null });
  });

  it("writes no line where REQUEST_LOG is off (npm start without --verbose), and still counts the request", async () => {
    const log = vi.spyOn(console, "log");
    const points: AnalyticsEngineDataPoint[] = [];
    const app = new Hono<AppEnv>().use(requestLog).post("/", (c) => c.json({}));
    const bindings = { REQUEST_LOG: "off", METRICS: { writeDataPoint: (point: AnalyticsEngineDataPoint) => points.push(point) } };
    const res = await app.request("/", { method: "POST", headers: { "x-amz-target": "secretsmanager.ListSecrets" } }, bindings);
    expect(res.status).toBe(200);
    expect(log.mock.calls.filter((call) => String(call[0]).includes('"event":"request"'))).toHaveLength(0);
    expect(points).toEqual([expect.objectContaining({ blobs: ["request", "ListSecrets", "ok"] })]);
  });
});

describe("key-ring guard", () => {
  it("records a ring's current keys by check value, never the key", async () => {
    expect(await admitWrites(env.DB, ring({ "test/a": { "1": KEY_A } }))).toBeUndefined();
    const row = await env.DB.prepare("SELECT * FROM key_checks WHERE key_id = 'test/a'").first<Record<string, string>>();
    expect(row).toMatchObject({ key_id: "test/a", version: "1" });
    expect(row!.check_value).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(row)).not.toContain(KEY_A);
  });

  it("refuses a ring that lacks a recorded key, or holds another key under its name", async () => {
    expect(await admitWrites(env.DB, ring({ "test/a": { "1": KEY_A } }))).toBeUndefined();
    expect(await admitWrites(env.DB, ring({ "test/b": { "1": KEY_B } }))).toEqual({ keyId: "test/a", version: "1", kind: "missing" });
    expect(await admitWrites(env.DB, ring({ "test/a": { "1": KEY_B } }))).toEqual({ keyId: "test/a", version: "1", kind: "different" });
  });

  it("accepts a rotated ring that keeps the old version, and then depends on the new one too", async () => {
    expect(await admitWrites(env.DB, ring({ "test/a": { "1": KEY_A } }))).toBeUndefined();
    const rotated = ring({ "test/a": { "1": KEY_A, "2": KEY_B } }, { "test/a": "2" });
    expect(await admitWrites(env.DB, rotated)).toBeUndefined();
    forgetVerdicts();
    expect(await admitWrites(env.DB, ring({ "test/a": { "1": KEY_A } }))).toEqual({ keyId: "test/a", version: "2", kind: "missing" });
  });

  it("refuses writes through the Worker, naming the key, while reads go on", async () => {
    const name = `guarded-${crypto.randomUUID().slice(0, 8)}`;
    expect((await sm("CreateSecret", { Name: name, SecretString: VALUE, ClientRequestToken: token() })).status).toBe(200);
    await env.DB.prepare("INSERT INTO key_checks VALUES ('test/gone', '1', '0011223344556677', 0)").run();
    forgetVerdicts();
    const put = await sm("PutSecretValue", { SecretId: name, SecretString: "new", ClientRequestToken: token() });
    // EncryptionFailure is a 400, which the SDKs do not retry; InternalServiceError's 500 they retry several times.
    expect(put.status).toBe(400);
    expect(put.body.__type).toBe("EncryptionFailure");
    expect(put.body.Message).toContain("lacks key test/gone version 1");
    const tag = await sm("TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "v" }] });
    expect([tag.status, tag.body.__type]).toEqual([400, "EncryptionFailure"]);
    const read = await sm("GetSecretValue", { SecretId: name });
    expect(read.status).toBe(200);
    expect(read.body.SecretString).toBe(VALUE);
  });

  it("lets the audit trail be read (CloudTrail LookupEvents) while writes are refused", async () => {
    await env.DB.prepare("INSERT INTO key_checks VALUES ('test/gone', '1', '0011223344556677', 0)").run();
    forgetVerdicts();
    const lookup = await lookupEvents({ MaxResults: 1 });
    expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
    // The AWS SDK for JavaScript's form of the target (the web console's) is a read as well.
    const fromJs = await lookupEvents({ MaxResults: 1 }, { headers: { "x-amz-target": "CloudTrail_20131101.LookupEvents" } });
    expect(fromJs.status, JSON.stringify(fromJs.body)).toBe(200);
  });
});
