// A mutation's record commits with the mutation, in the secret object's own transaction (queued in its outbox for
// D1 with its index snapshot), and reaches the trail exactly once: with D1 unreachable the write is still acknowledged
// and its record waits in the object; a repeated delivery records nothing twice; calls the object does not commit
// (reads, failures, idempotent repeats) are recorded by the Worker. Also the version-deletion service events.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { TrailEntry } from "../../src/audit/events-db";
import type { D1Entry } from "../../src/outbox/d1-writer";
import { responseElements } from "../../src/audit/parameters";
import { breakIndexWrites, createSecret, isolatedRegion, restoreIndexWrites, secretStub, uniqueName } from "../support/fixtures";
import { type SmResponse, errorOf, sm, token } from "../support/sm";
import { allEvents, flushTrail } from "../support/trail";

const ACCOUNT = "111122223333";
const MARKER = "audit-outbox-MARKER";
const PASSWORDS = "arn:aws:lambda:us-east-1:111122223333:function:passwords";

const recordOf = (event: { CloudTrailEvent: string }) => JSON.parse(event.CloudTrailEvent);
const requestId = (res: SmResponse) => res.headers.get("x-amzn-requestid")!;

/** The audit records waiting in the object's outbox, read from its storage. */
async function queuedRecords(name: string, region: string): Promise<{ entry: TrailEntry; attempts: number }[]> {
  return runInDurableObject(secretStub(name, { region }), (_i, state) =>
    state.storage.sql
      .exec("SELECT entry, attempts FROM outbox WHERE destination = 'index' ORDER BY seq")
      .toArray()
      .map((r) => ({ queued: JSON.parse(r.entry as string) as D1Entry, attempts: r.attempts as number }))
      .flatMap(({ queued, attempts }) => (queued.op === "record" ? [{ entry: queued.entry, attempts }] : [])),
  );
}

/** Runs the object's alarm until its audit entries are delivered (and deleted). */
async function deliverAudit(name: string, region: string) {
  for (let i = 0; i < 8 && (await queuedRecords(name, region)).length > 0; i++) await runDurableObjectAlarm(secretStub(name, { region }));
  expect(await queuedRecords(name, region)).toEqual([]);
}

/** Every record of the region's CloudTrail log files (written now), by eventID. */
async function logFileRecords(region: string): Promise<{ eventID: string }[]> {
  await flushTrail(ACCOUNT, region);
  const { env } = await import("cloudflare:workers");
  const listed = await env.AUDIT_LOGS!.list({ prefix: `AWSLogs/${ACCOUNT}/CloudTrail/${region}/` });
  const files = await Promise.all(
    listed.objects.map(async (o) => {
      const object = await env.AUDIT_LOGS!.get(o.key);
      return JSON.parse(await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text()) as { Records: { eventID: string }[] };
    }),
  );
  return files.flatMap((f) => f.Records);
}

describe("a mutation's record commits with the mutation", () => {
  it("with D1 unreachable the write is acknowledged, its record waits in the object's outbox, then lands exactly once", async () => {
    const region = isolatedRegion();
    const name = uniqueName("outboxed");
    await createSecret(name, "v1", {}, { region });
    await breakIndexWrites(name, { region });
    const put = await sm("PutSecretValue", { SecretId: name, SecretString: MARKER, ClientRequestToken: token() }, { region });
    expect(put.status).toBe(200);

    // Committed in the object with the version: the record is in its storage, not yet on the trail.
    const queued = await queuedRecords(name, region);
    expect(queued.map((q) => q.entry.eventName)).toEqual(["PutSecretValue"]);
    expect(queued[0]!.attempts).toBeGreaterThan(0);
    const record = JSON.parse(queued[0]!.entry.record);
    expect(record).toMatchObject({ eventName: "PutSecretValue", requestID: requestId(put), responseElements: { arn: put.body.ARN, versionId: put.body.VersionId } });
    expect(JSON.stringify(queued)).not.toContain(MARKER);
    expect((await allEvents({}, { region })).map((e) => e.EventName)).toEqual(["CreateSecret"]);

    // The object is lost (evicted) before delivery; its next alarm delivers from storage.
    await evictDurableObject(secretStub(name, { region }));
    await deliverAudit(name, region);
    const puts = (await allEvents({}, { region })).filter((e) => e.EventName === "PutSecretValue");
    expect(puts.map((e) => recordOf(e).requestID)).toEqual([requestId(put)]);
    expect(recordOf(puts[0]!)).toEqual(record);
  });

  it("a delivery repeated after a restart adds no second record, in LookupEvents or in the log files", async () => {
    const region = isolatedRegion();
    const name = uniqueName("redelivered");
    const created = await createSecret(name, "v1", {}, { region });
    const tagged = await sm("TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "v" }] }, { region });
    expect(tagged.status).toBe(200);
    // Delivered at once, but deleted only by the next commit (CreateSecret's by TagResource's) or alarm: an eviction
    // now repeats the delivery.
    const delivered = await queuedRecords(name, region);
    expect(delivered.map((q) => q.entry.eventName)).toEqual(["TagResource"]);
    expect(delivered.every((q) => q.attempts === 0)).toBe(true);
    await evictDurableObject(secretStub(name, { region }));
    await deliverAudit(name, region);

    const events = await allEvents({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "secretsmanager.amazonaws.com" }] }, { region });
    expect(events.map((e) => e.EventName)).toEqual(["TagResource", "CreateSecret"]);
    expect(recordOf(events[1]!).responseElements.arn).toBe(created.ARN);
    const inFiles = (await logFileRecords(region)).map((r) => r.eventID);
    for (const event of events) expect(inFiles.filter((id) => id === event.EventId)).toHaveLength(1);
  });

  it("an idempotent repeat, a no-op and a failure are recorded by the Worker: one record per call", async () => {
    const region = isolatedRegion();
    const name = uniqueName("repeats");
    await createSecret(name, "v1", {}, { region });
    const versionId = token();
    const calls = [
      await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: versionId }, { region }),
      await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: versionId }, { region }),
      await sm("PutSecretValue", { SecretId: name, SecretString: "other", ClientRequestToken: versionId }, { region }),
      await sm("UpdateSecret", { SecretId: name }, { region }),
    ];
    expect(calls.map((c) => c.status)).toEqual([200, 200, 400, 200]);
    // Only the first changed the secret: only its record is the object's.
    expect((await queuedRecords(name, region)).map((q) => JSON.parse(q.entry.record).requestID)).toContain(requestId(calls[0]!));
    expect((await queuedRecords(name, region)).map((q) => JSON.parse(q.entry.record).requestID)).not.toContain(requestId(calls[1]!));

    const events = await allEvents({}, { region });
    const byRequest = new Map<string, unknown[]>();
    for (const e of events) byRequest.set(recordOf(e).requestID, [...(byRequest.get(recordOf(e).requestID) ?? []), recordOf(e)]);
    for (const call of calls) expect(byRequest.get(requestId(call)), call.body.__type).toHaveLength(1);
    expect(byRequest.get(requestId(calls[1]!))![0]).toMatchObject({ eventName: "PutSecretValue", responseElements: { versionId } });
    expect(byRequest.get(requestId(calls[2]!))![0]).toMatchObject({ errorCode: errorOf(calls[2]!).code });
    expect(events).toHaveLength(calls.length + 1);
  });

  it("each state-changing operation's record holds the answer the caller got, as the Worker records it", async () => {
    const region = isolatedRegion();
    const name = uniqueName("answers");
    const id = { SecretId: name };
    const created = await sm("CreateSecret", { Name: name, SecretString: "v1", ClientRequestToken: token() }, { region });
    // Every later record stays in the object's outbox until the trail is back.
    await breakIndexWrites(name, { region });
    const staged = await sm("PutSecretValue", { ...id, SecretString: "v2", ClientRequestToken: token(), VersionStages: ["STAGED"] }, { region });
    const calls = [
      staged,
      await sm("UpdateSecret", { ...id, Description: "d", SecretString: "v3", ClientRequestToken: token() }, { region }),
      await sm("UpdateSecretVersionStage", { ...id, VersionStage: "STAGED", RemoveFromVersionId: staged.body.VersionId, MoveToVersionId: created.body.VersionId }, { region }),
      await sm("TagResource", { ...id, Tags: [{ Key: "k", Value: "v" }] }, { region }),
      await sm("UntagResource", { ...id, TagKeys: ["k"] }, { region }),
      await sm("PutResourcePolicy", { ...id, ResourcePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "secretsmanager:*", Resource: "*" }] }) }, { region }),
      await sm("DeleteResourcePolicy", id, { region }),
      await sm("RotateSecret", { ...id, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotateImmediately: false, RotationRules: { AutomaticallyAfterDays: 30 } }, { region }),
      await sm("CancelRotateSecret", id, { region }),
      await sm("DeleteSecret", { ...id, RecoveryWindowInDays: 7 }, { region }),
      await sm("RestoreSecret", id, { region }),
    ];
    for (const call of calls) expect(call.status, JSON.stringify(call.body)).toBe(200);
    const committed = (await queuedRecords(name, region)).map((q) => JSON.parse(q.entry.record).requestID);
    for (const call of calls) expect(committed, "committed in the object").toContain(requestId(call));
    await restoreIndexWrites(name, {}, { region });
    await deliverAudit(name, region);

    const events = (await allEvents({}, { region })).map(recordOf).filter((r) => r.eventType === "AwsApiCall");
    expect(events).toHaveLength(calls.length + 1);
    for (const call of [created, ...calls]) {
      const record = events.find((r) => r.requestID === requestId(call));
      expect(record.responseElements, record.eventName).toEqual(responseElements(call.body));
      // Tag and Untag answer no ARN: their record names the secret as the request did.
      const named = call.body.ARN ? [{ accountId: ACCOUNT, type: "AWS::SecretsManager::Secret", ARN: created.body.ARN }] : undefined;
      expect(record.resources, record.eventName).toEqual(named);
    }
  });
});

describe("version-deletion service events", () => {
  const serviceEvents = async (region: string, arn: string) =>
    (await allEvents({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: arn }] }, { region }))
      .map(recordOf)
      .filter((r) => r.eventType === "AwsServiceEvent")
      .reverse();

  it("DeleteSecret starts the deletion of each version, RestoreSecret cancels it, the purge at the deadline ends it", async () => {
    const region = isolatedRegion();
    const name = uniqueName("deleted-versions");
    const created = await createSecret(name, "v1", {}, { region });
    const v2 = token();
    await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: v2 }, { region });
    const versions = [created.VersionId, v2];
    const named = (events: { eventName: string; additionalEventData: { VersionId: string } }[]) => events.map((e) => `${e.eventName} ${e.additionalEventData.VersionId}`);

    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 }, { region });
    await sm("RestoreSecret", { SecretId: name }, { region });
    await sm("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 }, { region });
    await runInDurableObject(secretStub(name, { region }), (_i, state) => {
      state.storage.sql.exec("UPDATE secret SET deletion_at = ?", Date.now() - 1);
    });
    await runDurableObjectAlarm(secretStub(name, { region }));
    expect(errorOf(await sm("DescribeSecret", { SecretId: name }, { region })).code).toBe("ResourceNotFoundException");
    await deliverAudit(name, region);

    // Events of one transaction share their time, so LookupEvents orders them among themselves by eventID.
    const events = await serviceEvents(region, created.ARN);
    expect(named(events).sort()).toEqual(
      [
        ...versions.map((v) => `StartSecretVersionDelete ${v}`),
        ...versions.map((v) => `CancelSecretVersionDelete ${v}`),
        ...versions.map((v) => `StartSecretVersionDelete ${v}`),
        ...versions.map((v) => `EndSecretVersionDelete ${v}`),
      ].sort(),
    );
    const phase = (event: string) => events.filter((e) => e.eventName === event).map((e) => Date.parse(e.eventTime));
    expect(Math.max(...phase("CancelSecretVersionDelete"))).toBeLessThanOrEqual(Math.min(...phase("EndSecretVersionDelete")));
    expect(events.find((e) => e.eventName === "StartSecretVersionDelete" && e.additionalEventData.VersionId === created.VersionId)).toMatchObject({
      userIdentity: { accountId: ACCOUNT, invokedBy: "secretsmanager.amazonaws.com" },
      eventSource: "secretsmanager.amazonaws.com",
      sourceIPAddress: "secretsmanager.amazonaws.com",
      awsRegion: region,
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: created.ARN, VersionId: created.VersionId },
      readOnly: false,
      eventType: "AwsServiceEvent",
      resources: [{ accountId: ACCOUNT, type: "AWS::SecretsManager::Secret", ARN: created.ARN }],
      recipientAccountId: ACCOUNT,
    });
  });

  it("a forced DeleteSecret starts and ends the deletion of each version at once", async () => {
    const region = isolatedRegion();
    const name = uniqueName("forced-versions");
    const created = await createSecret(name, "v1", {}, { region });
    await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true }, { region });
    const events = await serviceEvents(region, created.ARN);
    expect(events.map((e) => `${e.eventName} ${e.additionalEventData.VersionId}`).sort()).toEqual([
      `EndSecretVersionDelete ${created.VersionId}`,
      `StartSecretVersionDelete ${created.VersionId}`,
    ]);
  });

  it("the versions the limit prunes (deprecated, past the newest 100, older than a day) each start and end their deletion", async () => {
    const region = isolatedRegion();
    const name = uniqueName("pruned-versions");
    const created = await createSecret(name, "v1", {}, { region });
    // 101 deprecated versions two days old, added to storage directly (the API would refuse so many in a day).
    const old = Array.from({ length: 101 }, () => token());
    await runInDurableObject(secretStub(name, { region }), (_i, state) => {
      for (const id of old) {
        state.storage.sql.exec(
          `INSERT INTO versions (version_id, seq, created_at, last_accessed_day, kms_key_id, kind, envelope, value_hash)
           SELECT ?, (SELECT MAX(seq) + 1 FROM versions), ?, NULL, kms_key_id, kind, envelope, value_hash FROM versions ORDER BY seq DESC LIMIT 1`,
          id, Date.now() - 2 * 86_400_000,
        );
      }
    });
    await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() }, { region });
    const pruned = old.slice(0, 2);
    const events = await serviceEvents(region, created.ARN);
    expect(events.map((e) => `${e.eventName} ${e.additionalEventData.VersionId}`).sort()).toEqual(
      [...pruned.map((v) => `StartSecretVersionDelete ${v}`), ...pruned.map((v) => `EndSecretVersionDelete ${v}`)].sort(),
    );
  });
});
