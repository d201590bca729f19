// The audit trail through the Worker: every call (answered, refused, unauthenticated) leaves exactly one record,
// LookupEvents finds it by each attribute and time range, pages newest first with tokens bound to the query,
// sees only the caller's account, needs cloudtrail:LookupEvents, and the trail fails closed.
// Each test works in a region of its own, so a lookup there sees only that test's events.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditTrail } from "../../src/audit/trail-object";
import { toBase64 } from "../../src/crypto/base64";
import { createSecret, isolatedRegion, uniqueName } from "../support/fixtures";
import { errorOf, sm, token } from "../support/sm";
import { allEvents, flushTrail, lookupEvents, trailShards } from "../support/trail";

const ACCOUNT = "111122223333";
const MARKER = 'audit-MARKER-"q\\-é';

const recordOf = (event: { CloudTrailEvent: string }) => JSON.parse(event.CloudTrailEvent);
const attribute = (AttributeKey: string, AttributeValue: string) => ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });

describe("audit trail: records", () => {
  it("records every call once, success or failure, authentication failures of a configured key included", async () => {
    const region = isolatedRegion();
    const name = uniqueName("audited");
    const created = await sm("CreateSecret", { Name: name, SecretString: MARKER, ClientRequestToken: token() }, { region });
    const read = await sm("GetSecretValue", { SecretId: name }, { region });
    expect(read.body.SecretString).toBe(MARKER);
    const missing = await sm("DescribeSecret", { SecretId: "no-such-secret" }, { region });
    const denied = await sm("GetSecretValue", { SecretId: name }, { region, accessKeyId: "AKIDBLUEREADER" });
    const badSignature = await sm("GetSecretValue", { SecretId: name }, { region, secretAccessKey: "wrong" });
    const unknownKey = await sm("GetSecretValue", { SecretId: name }, { region, accessKeyId: "AKIDNOSUCHKEY" });
    expect([missing.status, denied.status, badSignature.status, unknownKey.status]).toEqual([400, 400, 400, 400]);

    const events = await allEvents({}, { region });
    const byRequest = new Map(events.map((e) => [recordOf(e).requestID, recordOf(e)]));
    expect(events).toHaveLength(5);
    const id = (res: { headers: Headers }) => res.headers.get("x-amzn-requestid")!;
    expect(byRequest.get(id(created))).toMatchObject({
      eventName: "CreateSecret",
      eventSource: "secretsmanager.amazonaws.com",
      awsRegion: region,
      readOnly: false,
      eventType: "AwsApiCall",
      recipientAccountId: ACCOUNT,
      userIdentity: { type: "Root", accountId: ACCOUNT, accessKeyId: "AKIDTESTLOCAL" },
      requestParameters: { name },
      responseElements: { arn: created.body.ARN, name },
      sourceIPAddress: "127.0.0.1",
    });
    expect(byRequest.get(id(read))).toMatchObject({ eventName: "GetSecretValue", readOnly: true, responseElements: null, resources: [{ ARN: created.body.ARN }] });
    expect(byRequest.get(id(missing))).toMatchObject({ errorCode: "ResourceNotFoundException", errorMessage: errorOf(missing).message });
    expect(byRequest.get(id(denied))).toMatchObject({
      errorCode: "AccessDenied",
      userIdentity: { type: "IAMUser", userName: "blue-reader", accessKeyId: "AKIDBLUEREADER" },
    });
    expect(byRequest.get(id(badSignature))).toMatchObject({
      errorCode: "InvalidSignatureException",
      userIdentity: { type: "Unknown", accountId: ACCOUNT, accessKeyId: "AKIDTESTLOCAL" },
    });
    // A key no account owns: there is no trail to put it in.
    expect(byRequest.has(id(unknownKey))).toBe(false);
    for (const form of [MARKER, toBase64(new TextEncoder().encode(MARKER)), JSON.stringify(MARKER).slice(1, -1)]) {
      expect(JSON.stringify(events)).not.toContain(form);
    }
  });

  it("no value written, put, updated, batch-read or generated reaches a record or a log file", async () => {
    const region = isolatedRegion();
    const name = uniqueName("marked");
    const created = await createSecret(name, `${MARKER}-create`, {}, { region });
    await sm("PutSecretValue", { SecretId: name, SecretBinary: toBase64(new TextEncoder().encode(`${MARKER}-bin`)), ClientRequestToken: token() }, { region });
    await sm("UpdateSecret", { SecretId: name, SecretString: `${MARKER}-update`, ClientRequestToken: token() }, { region });
    const batch = await sm("BatchGetSecretValue", { SecretIdList: [name] }, { region });
    expect(batch.body.SecretValues[0].SecretString).toBe(`${MARKER}-update`);
    const password = await sm("GetRandomPassword", { PasswordLength: 64 }, { region });
    const tooLong = await sm("PutSecretValue", { SecretId: name, SecretString: `${MARKER}${"x".repeat(70_000)}`, ClientRequestToken: token() }, { region });
    expect(tooLong.status).toBe(400);

    const events = await allEvents({}, { region });
    expect(events.map((e) => e.EventName).sort()).toEqual(
      ["BatchGetSecretValue", "CreateSecret", "GetRandomPassword", "PutSecretValue", "PutSecretValue", "UpdateSecret"].sort(),
    );
    // Log files are written once a minute; flush writes them now.
    await flushTrail(ACCOUNT, region);
    const files = await logFiles(region);
    // The files also hold the LookupEvents calls made above.
    const fileRecords = files.flatMap((f) => f.Records).filter((r: { eventSource: string }) => r.eventSource === "secretsmanager.amazonaws.com");
    expect(fileRecords.map((r: { eventID: string }) => r.eventID).sort()).toEqual(events.map((e) => e.EventId).sort());
    expect(fileRecords.find((r: { eventName: string }) => r.eventName === "CreateSecret").responseElements.arn).toBe(created.ARN);
    const text = JSON.stringify(events) + JSON.stringify(files);
    for (const form of [MARKER, JSON.stringify(MARKER).slice(1, -1), toBase64(new TextEncoder().encode(`${MARKER}-bin`)), password.body.RandomPassword]) {
      expect(text).not.toContain(form);
    }
  });

  it("fails closed: when the trail cannot take the record, the read answers InternalServiceError without the value", async () => {
    const region = isolatedRegion();
    const name = uniqueName("closed");
    await createSecret(name, MARKER, {}, { region });
    for (const shard of trailShards(ACCOUNT, region)) {
      await runInDurableObject(shard, async (_instance: AuditTrail, state) => {
        state.storage.sql.exec("DROP TABLE batches");
      });
    }
    const read = await sm("GetSecretValue", { SecretId: name }, { region });
    expect(read.status).toBe(500);
    expect(errorOf(read).code).toBe("InternalServiceError");
    expect(JSON.stringify(read.body)).not.toContain(MARKER);
    // The trail back, so the shards' alarms drain cleanly after the test.
    for (const shard of trailShards(ACCOUNT, region)) {
      await runInDurableObject(shard, async (_instance: AuditTrail, state) => {
        state.storage.sql.exec(
          "CREATE TABLE batches (seq INTEGER PRIMARY KEY AUTOINCREMENT, entries TEXT NOT NULL, count INTEGER NOT NULL, created_at INTEGER NOT NULL, indexed INTEGER NOT NULL DEFAULT 0)",
        );
      });
    }
  });

  it("appends that arrive together share one row and one commit, and each answers once it is stored", async () => {
    const region = isolatedRegion();
    const entry = (i: number) =>
      JSON.stringify([
        { accountId: ACCOUNT, region, eventTime: Date.now(), eventId: `shared-${i}`, eventName: "GetSecretValue", eventSource: "secretsmanager.amazonaws.com", readOnly: true, resources: [], record: "{}" },
      ]);
    const [shard] = trailShards(ACCOUNT, region);
    await runInDurableObject(shard!, async (instance: AuditTrail, state) => {
      await Promise.all([0, 1, 2, 3, 4].map((i) => instance.append(entry(i), 1)));
      const rows = state.storage.sql.exec<{ entries: string; count: number }>("SELECT entries, count FROM batches").toArray();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.count).toBe(5);
      expect((JSON.parse(rows[0]!.entries) as { eventId: string }[]).map((e) => e.eventId)).toEqual([0, 1, 2, 3, 4].map((i) => `shared-${i}`));
      await instance.append(entry(5), 1);
      expect(state.storage.sql.exec("SELECT count(*) AS n FROM batches").one().n).toBe(2);
    });
  });

  it("records an earlier version indexed and kept for its own log files are filed, once, then deleted", async () => {
    const region = isolatedRegion();
    const entry = (id: string) => ({
      accountId: ACCOUNT, region, eventTime: Date.now(), eventId: id, eventName: "GetSecretValue", eventSource: "secretsmanager.amazonaws.com",
      readOnly: true, resources: [], record: JSON.stringify({ eventID: id, eventName: "GetSecretValue" }),
    });
    const [shard] = trailShards(ACCOUNT, region);
    // As that version left a shard: one batch D1 holds (at or below indexed_through), waiting for its file.
    await runInDurableObject(shard!, async (_instance: AuditTrail, state) => {
      state.storage.sql.exec("INSERT INTO batches (entries, count, created_at) VALUES (?, 1, ?)", JSON.stringify([entry("kept-for-file")]), Date.now());
      state.storage.sql.exec("UPDATE delivered SET indexed_through = (SELECT max(seq) FROM batches)");
    });
    await flushTrail(ACCOUNT, region);
    await flushTrail(ACCOUNT, region);
    const filed = (await logFiles(region)).flatMap((f) => f.Records.map((r: { eventID: string }) => r.eventID));
    expect(filed).toEqual(["kept-for-file"]);
    await runInDurableObject(shard!, async (_instance: AuditTrail, state) => {
      expect(state.storage.sql.exec("SELECT count(*) AS n FROM batches").one().n).toBe(0);
    });
  });

  it("the cron sweep purges events older than 90 days and keeps newer ones", async () => {
    const region = isolatedRegion();
    await sm("GetRandomPassword", {}, { region });
    const [kept] = await allEvents({}, { region });
    const { toEntry } = await import("../../src/audit/events-db");
    const { insertStatement } = await import("../../src/audit/events-db");
    const old = { ...JSON.parse(kept!.CloudTrailEvent), eventID: crypto.randomUUID() };
    const entry = toEntry({ record: old, resources: [{ type: "AWS::SecretsManager::Secret", name: "old" }] }, Date.now() - 91 * 86_400_000);
    await insertStatement(env.DB, JSON.stringify([entry])).run();
    const { sweep } = await import("../../src/scheduled");
    const before = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE region = ?").bind(region).first<{ n: number }>();
    expect(before!.n).toBe(2);
    // The newest row stays, however old (the log export's cursor counts on rowids that never go back).
    await sweep(env, Date.now());
    expect((await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE event_id = ?").bind(old.eventID).first<{ n: number }>())!.n).toBe(1);
    await sm("GetRandomPassword", {}, { region });
    const [newer] = await allEvents({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetRandomPassword" }] }, { region });
    await sweep(env, Date.now());
    const rows = await env.DB.prepare("SELECT event_id FROM audit_events WHERE region = ? ORDER BY event_time").bind(region).all<{ event_id: string }>();
    expect(rows.results.map((r) => r.event_id)).not.toContain(old.eventID);
    expect(rows.results.map((r) => r.event_id)).toEqual(expect.arrayContaining([kept!.EventId, newer!.EventId]));
    const resources = await env.DB.prepare("SELECT count(*) AS n FROM audit_event_resources WHERE region = ?").bind(region).first<{ n: number }>();
    expect(resources!.n).toBe(0);
  });
});

/** The CloudTrail log files of (ACCOUNT, region) in R2, gunzipped and parsed. */
async function logFiles(region: string): Promise<{ Records: any[] }[]> {
  const listed = await env.AUDIT_LOGS!.list({ prefix: `AWSLogs/${ACCOUNT}/CloudTrail/${region}/` });
  return Promise.all(
    listed.objects.map(async (o) => {
      expect(o.key).toMatch(new RegExp(`^AWSLogs/${ACCOUNT}/CloudTrail/${region}/\\d{4}/\\d{2}/\\d{2}/${ACCOUNT}_CloudTrail_${region}_\\d{8}T\\d{4}Z_[0-9A-Za-z]{16}\\.json\\.gz$`));
      const object = await env.AUDIT_LOGS!.get(o.key);
      const text = await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text();
      return JSON.parse(text);
    }),
  );
}

describe("audit trail: LookupEvents", () => {
  async function scenario() {
    const region = isolatedRegion();
    const a = await createSecret(uniqueName("look-a"), "v", {}, { region });
    const b = await createSecret(uniqueName("look-b"), "v", {}, { region });
    await sm("GetSecretValue", { SecretId: a.ARN }, { region });
    await sm("DescribeSecret", { SecretId: b.ARN }, { region, accessKeyId: "AKIDNOVAULT" });
    await sm("GetRandomPassword", {}, { region, accessKeyId: "ASIDTESTSESSION" });
    return { region, a, b };
  }

  it("finds events by each lookup attribute", async () => {
    const { region, a, b } = await scenario();
    const all = await allEvents({}, { region });
    expect(all).toHaveLength(5);
    // The lookups made so far are on the trail too; these checks are about the Secrets Manager calls.
    const names = async (input: object) => (await allEvents(input, { region })).map((e) => e.EventName).filter((n) => n !== "LookupEvents");
    expect(await names(attribute("EventName", "CreateSecret"))).toEqual(["CreateSecret", "CreateSecret"]);
    expect(await names(attribute("ReadOnly", "true"))).toEqual(["GetRandomPassword", "DescribeSecret", "GetSecretValue"]);
    expect(await names(attribute("ReadOnly", "false"))).toEqual(["CreateSecret", "CreateSecret"]);
    expect(await names(attribute("Username", "no-vault"))).toEqual(["DescribeSecret"]);
    expect(await names(attribute("Username", "session"))).toEqual(["GetRandomPassword"]);
    expect(await names(attribute("Username", "root"))).toHaveLength(3);
    expect(await names(attribute("AccessKeyId", "ASIDTESTSESSION"))).toEqual(["GetRandomPassword"]);
    expect(await names(attribute("ResourceName", a.ARN))).toEqual(["GetSecretValue", "CreateSecret"]);
    expect(await names(attribute("ResourceName", b.ARN))).toEqual(["DescribeSecret", "CreateSecret"]);
    expect(await names(attribute("ResourceType", "AWS::SecretsManager::Secret"))).toHaveLength(4);
    expect(await names(attribute("EventSource", "secretsmanager.amazonaws.com"))).toHaveLength(5);
    expect(await names(attribute("EventId", all[2]!.EventId))).toEqual([all[2]!.EventName]);
    expect(await names(attribute("EventName", "createsecret"))).toEqual([]);
  });

  it("answers newest first with CloudTrail's event fields", async () => {
    const { region, a } = await scenario();
    const all = await allEvents({}, { region });
    const times = all.map((e) => recordOf(e).eventTime);
    expect([...times].sort().reverse()).toEqual(times);
    const get = all.find((e) => e.EventName === "GetSecretValue")!;
    expect(get).toEqual({
      EventId: recordOf(get).eventID,
      EventName: "GetSecretValue",
      ReadOnly: "true",
      AccessKeyId: "AKIDTESTLOCAL",
      EventTime: Date.parse(recordOf(get).eventTime) / 1000,
      EventSource: "secretsmanager.amazonaws.com",
      Username: "root",
      Resources: [{ ResourceType: "AWS::SecretsManager::Secret", ResourceName: a.ARN }],
      CloudTrailEvent: get.CloudTrailEvent,
    });
    // The lookups themselves are on the trail, as CloudTrail records its own management events.
    const lookups = await allEvents(attribute("EventSource", "cloudtrail.amazonaws.com"), { region });
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((e) => e.EventName === "LookupEvents" && e.ReadOnly === "true")).toBe(true);
  });

  it("limits by StartTime and EndTime (epoch seconds) and refuses a start after the end", async () => {
    const region = isolatedRegion();
    await sm("GetRandomPassword", {}, { region });
    const now = Date.now() / 1000;
    expect((await lookupEvents({ StartTime: now - 60, EndTime: now + 60 }, { region })).body.Events).toHaveLength(1);
    expect((await lookupEvents({ StartTime: now + 60 }, { region })).body.Events).toHaveLength(0);
    expect((await lookupEvents({ EndTime: now - 3600 }, { region })).body.Events).toHaveLength(0);
    const bad = await lookupEvents({ StartTime: now, EndTime: now - 10 }, { region });
    expect([bad.status, errorOf(bad).code]).toEqual([400, "InvalidTimeRangeException"]);
  });

  it("pages newest first by MaxResults with a NextToken bound to the query, the account and the region", async () => {
    const { region } = await scenario();
    const whole = (await lookupEvents(attribute("EventSource", "secretsmanager.amazonaws.com"), { region })).body.Events.map((e) => e.EventId);
    const paged: string[] = [];
    let next: string | undefined;
    const tokens: string[] = [];
    do {
      const res = await lookupEvents({ ...attribute("EventSource", "secretsmanager.amazonaws.com"), MaxResults: 2, NextToken: next }, { region });
      expect(res.body.Events.length).toBeLessThanOrEqual(2);
      paged.push(...res.body.Events.map((e) => e.EventId));
      next = res.body.NextToken;
      if (next) tokens.push(next);
    } while (next);
    expect(paged).toEqual(whole);
    expect(tokens).toHaveLength(2);
    const token = tokens[0]!;
    for (const [input, options] of [
      [attribute("EventSource", "cloudtrail.amazonaws.com"), { region }],
      [{}, { region }],
      [attribute("EventSource", "secretsmanager.amazonaws.com"), { region: isolatedRegion() }],
      [attribute("EventSource", "secretsmanager.amazonaws.com"), { region, accessKeyId: "AKIDOTHERACCOUNT" }],
    ] as const) {
      const res = await lookupEvents({ ...input, NextToken: token }, options);
      expect([res.status, errorOf(res).code]).toEqual([400, "InvalidNextTokenException"]);
    }
    const tampered = await lookupEvents({ ...attribute("EventSource", "secretsmanager.amazonaws.com"), NextToken: `${token.slice(0, -4)}AAAA` }, { region });
    expect(errorOf(tampered).code).toBe("InvalidNextTokenException");
  });

  it("an account sees only its own events", async () => {
    const { region } = await scenario();
    expect(await allEvents({}, { region, accessKeyId: "AKIDOTHERACCOUNT" })).toEqual([]);
    await sm("GetRandomPassword", {}, { region, accessKeyId: "AKIDOTHERACCOUNT" });
    const other = await allEvents(attribute("EventSource", "secretsmanager.amazonaws.com"), { region, accessKeyId: "AKIDOTHERACCOUNT" });
    expect(other.map((e) => e.AccessKeyId)).toEqual(["AKIDOTHERACCOUNT"]);
  });

  it("needs cloudtrail:LookupEvents in a key's policy; keys without a policy have it", async () => {
    const region = isolatedRegion();
    await sm("GetRandomPassword", {}, { region });
    const refused = await lookupEvents({}, { region, accessKeyId: "AKIDBLUEREADER" });
    expect([refused.status, errorOf(refused).code]).toEqual([400, "AccessDeniedException"]);
    expect(errorOf(refused).message).toBe(
      "User: arn:aws:iam::111122223333:user/blue-reader is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
    );
    const auditor = await lookupEvents(attribute("EventName", "GetRandomPassword"), { region, accessKeyId: "AKIDAUDITOR" });
    expect(auditor.status).toBe(200);
    expect(auditor.body.Events).toHaveLength(1);
    // The refusal itself is on the trail.
    const refusals = await allEvents(attribute("EventName", "LookupEvents"), { region });
    expect(refusals.map((e) => recordOf(e)).some((r) => r.errorCode === "AccessDenied" && r.userIdentity.userName === "blue-reader")).toBe(true);
    // The auditor reads the trail, not secrets.
    expect(errorOf(await sm("GetRandomPassword", {}, { region, accessKeyId: "AKIDAUDITOR" })).code).toBe("AccessDeniedException");
  });

  it("answers CloudTrail's error codes for bad input", async () => {
    const region = isolatedRegion();
    const cases: [object, string][] = [
      [{ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "a" }, { AttributeKey: "ReadOnly", AttributeValue: "true" }] }, "InvalidLookupAttributesException"],
      [attribute("SecretId", "x"), "InvalidLookupAttributesException"],
      [attribute("EventName", ""), "InvalidLookupAttributesException"],
      [attribute("EventName", "x".repeat(2001)), "InvalidLookupAttributesException"],
      [{ MaxResults: 0 }, "InvalidMaxResultsException"],
      [{ MaxResults: 51 }, "InvalidMaxResultsException"],
      [{ EventCategory: "data" }, "InvalidEventCategoryException"],
      [{ NextToken: "not-a-token" }, "InvalidNextTokenException"],
      [{ StartTime: "yesterday" }, "SerializationException"],
    ];
    for (const [input, code] of cases) {
      const res = await lookupEvents(input, { region });
      expect([res.status, errorOf(res).code], JSON.stringify(input)).toEqual([400, code]);
    }
    expect((await lookupEvents({ EventCategory: "insight" }, { region })).body).toEqual({ Events: [] });
  });

  it("accepts each signing scope for its own targets only", async () => {
    const region = isolatedRegion();
    const wrongForTrail = await lookupEvents({}, { region, service: "secretsmanager" });
    expect([wrongForTrail.status, errorOf(wrongForTrail)]).toEqual([
      400,
      { code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'cloudtrail'." },
    ]);
    const wrongForSecrets = await sm("GetRandomPassword", {}, { region, service: "cloudtrail" });
    expect(errorOf(wrongForSecrets)).toEqual({ code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'secretsmanager'." });
    const unknown = await lookupEvents({}, { region, headers: { "x-amz-target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail" } });
    expect(errorOf(unknown).code).toBe("UnknownOperationException");
  });

  it("answers LookupEvents under the target the AWS SDK for JavaScript v3 sends (CloudTrail_20131101.LookupEvents)", async () => {
    const region = isolatedRegion();
    await sm("GetRandomPassword", {}, { region });
    const short = await lookupEvents({}, { region, headers: { "x-amz-target": "CloudTrail_20131101.LookupEvents" } });
    expect(short.status).toBe(200);
    expect(short.body.Events.map((e) => e.EventName)).toEqual(["GetRandomPassword"]);
    const wrongScope = await lookupEvents({}, { region, service: "secretsmanager", headers: { "x-amz-target": "CloudTrail_20131101.LookupEvents" } });
    expect(errorOf(wrongScope)).toEqual({ code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'cloudtrail'." });
    const unknown = await lookupEvents({}, { region, headers: { "x-amz-target": "CloudTrail_20131101.CreateTrail" } });
    expect(errorOf(unknown).code).toBe("UnknownOperationException");
  });
});
