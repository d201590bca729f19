// RotateSecret and CancelRotateSecret through the Worker, with the built-in random-password rotator and a function
// that cannot be reached: AWS's errors (E50, E58, E59, an unfinished rotation), the AWSPENDING placeholder, the
// fields DescribeSecret shows, RotateImmediately=false, a plain PutSecretValue abandoning a rotation, and cancel.
import { describe, expect, it } from "vitest";
import { createSecret, isolatedRegion, sleep, uniqueName } from "../support/fixtures";
import { allEvents } from "../support/trail";
import { errorOf, sm, token } from "../support/sm";

const PASSWORDS = "arn:aws:lambda:us-east-1:111122223333:function:passwords";
const UNREACHABLE = "arn:aws:lambda:us-east-1:111122223333:function:unreachable";

const sorted = (stages: Record<string, string[]>) => Object.fromEntries(Object.entries(stages).map(([id, labels]) => [id, [...labels].sort()]));

const describeSecret = async (name: string) => (await sm("DescribeSecret", { SecretId: name })).body;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < end) {
    await sleep(50);
    value = await read();
  }
  return value;
}

describe("RotateSecret", () => {
  it("without ClientRequestToken answers InvalidParameterException (E50), before looking the secret up", async () => {
    const res = await sm("RotateSecret", { SecretId: uniqueName("missing") });
    expect(errorOf(res)).toEqual({ code: "InvalidParameterException", message: "You must provide a ClientRequestToken value. We recommend a UUID-type value." });
  });

  it("with no function stored or given answers E58; with a function not configured E59, storing nothing", async () => {
    const name = uniqueName("rot");
    await createSecret(name);
    expect(errorOf(await sm("RotateSecret", { SecretId: name, ClientRequestToken: token() }))).toEqual({
      code: "InvalidRequestException", message: "No Lambda rotation function ARN is associated with this secret.",
    });
    const e59 = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:nope" });
    expect(errorOf(e59).code).toBe("AccessDeniedException");
    expect(errorOf(e59).message).toMatch(/^Secrets Manager cannot invoke the specified Lambda function\./);
    const d = await describeSecret(name);
    for (const key of ["RotationEnabled", "RotationLambdaARN", "RotationRules", "NextRotationDate"]) expect(d).not.toHaveProperty(key);
  });

  it("refuses rules with both AutomaticallyAfterDays and ScheduleExpression, and a rate below four hours", async () => {
    const name = uniqueName("rot");
    await createSecret(name);
    const both = await sm("RotateSecret", {
      SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 2, ScheduleExpression: "rate(10 days)" },
    });
    expect(errorOf(both).code).toBe("InvalidParameterException");
    const often = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotationRules: { ScheduleExpression: "rate(2 hours)" } });
    expect(errorOf(often).code).toBe("InvalidParameterException");
    expect(await describeSecret(name)).not.toHaveProperty("RotationEnabled");
  });

  it("rotates with a built-in rotator: AWSCURRENT moves to the token, AWSPREVIOUS follows, the dates and rules are shown", async () => {
    const name = uniqueName("rot");
    const v1 = (await createSecret(name, "first")).VersionId;
    const crt = token();
    const res = await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 30 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Name: name, VersionId: crt });
    // The rotation has ended once LastRotatedDate shows: finishSecret moves AWSCURRENT a commit before that.
    const d = await until(() => describeSecret(name), (b) => b.VersionIdsToStages?.[crt]?.includes("AWSCURRENT") && b.LastRotatedDate !== undefined);
    // AWSPENDING stays with AWSCURRENT, the templates' success state.
    expect(sorted(d.VersionIdsToStages)).toEqual({ [v1]: ["AWSPREVIOUS"], [crt]: ["AWSCURRENT", "AWSPENDING"] });
    expect(d).toMatchObject({ RotationEnabled: true, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 30 } });
    expect(d.LastRotatedDate).toBeGreaterThan(0);
    const day = 86_400;
    expect(d.NextRotationDate).toBeGreaterThan(d.LastRotatedDate + 29 * day);
    expect(d.NextRotationDate).toBeLessThanOrEqual(d.LastRotatedDate + 31 * day);
    const value = (await sm("GetSecretValue", { SecretId: name })).body;
    expect(value.VersionId).toBe(crt);
    expect(value.SecretString).toHaveLength(24);

    // A second rotation reuses the stored configuration.
    const second = token();
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: second })).status).toBe(200);
    const after = await until(() => describeSecret(name), (b) => b.VersionIdsToStages?.[second]?.includes("AWSCURRENT"));
    expect(sorted(after.VersionIdsToStages)).toEqual({ [crt]: ["AWSPREVIOUS"], [second]: ["AWSCURRENT", "AWSPENDING"] });
  });

  it("the placeholder: listed as AWSPENDING without a value, blocks another rotation, filled by a put with its token", async () => {
    const name = uniqueName("rot");
    const v1 = (await createSecret(name, "first")).VersionId;
    const crt = token();
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: UNREACHABLE })).status).toBe(200);
    expect((await describeSecret(name)).VersionIdsToStages).toEqual({ [v1]: ["AWSCURRENT"], [crt]: ["AWSPENDING"] });
    const pending = await sm("GetSecretValue", { SecretId: name, VersionId: crt, VersionStage: "AWSPENDING" });
    expect(errorOf(pending).code).toBe("ResourceNotFoundException");
    expect(errorOf(await sm("RotateSecret", { SecretId: name, ClientRequestToken: token() }))).toEqual({
      code: "InvalidRequestException", message: "A previous rotation isn't complete. That rotation will be reattempted.",
    });
    const put = await sm("PutSecretValue", { SecretId: name, ClientRequestToken: crt, SecretString: "next", VersionStages: ["AWSPENDING"] });
    expect(put.body).toMatchObject({ VersionId: crt, VersionStages: ["AWSPENDING"] });
    expect((await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPENDING" })).body.SecretString).toBe("next");
    expect((await sm("GetSecretValue", { SecretId: name })).body.VersionId).toBe(v1);
  });

  it("a plain PutSecretValue abandons the rotation: AWSPENDING and the empty placeholder go, the next rotation may start", async () => {
    const name = uniqueName("rot");
    await createSecret(name, "first");
    const crt = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: UNREACHABLE });
    const manual = await sm("PutSecretValue", { SecretId: name, ClientRequestToken: token(), SecretString: "by hand" });
    const d = await describeSecret(name);
    expect(Object.keys(d.VersionIdsToStages)).not.toContain(crt);
    expect(d.VersionIdsToStages[manual.body.VersionId]).toEqual(["AWSCURRENT"]);
    const versions = (await sm("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true })).body.Versions;
    expect(versions.map((v: { VersionId: string }) => v.VersionId)).not.toContain(crt);
  });

  it("RotateImmediately=false runs testSecret on a copy of the current value, then removes it; AWSCURRENT stays", async () => {
    const name = uniqueName("rot");
    const v1 = (await createSecret(name, "first")).VersionId;
    const crt = token();
    const res = await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: PASSWORDS, RotateImmediately: false, RotationRules: { ScheduleExpression: "cron(0 16 1,15 * ? *)" } });
    expect(res.status).toBe(200);
    const d = await until(() => describeSecret(name), (b) => !b.VersionIdsToStages?.[crt]);
    expect(d.VersionIdsToStages).toEqual({ [v1]: ["AWSCURRENT"] });
    expect(d).toMatchObject({ RotationEnabled: true, RotationRules: { ScheduleExpression: "cron(0 16 1,15 * ? *)" } });
    expect(d.RotationRules.AutomaticallyAfterDays).toBeGreaterThanOrEqual(1);
    expect(d).not.toHaveProperty("LastRotatedDate");
    expect((await sm("GetSecretValue", { SecretId: name })).body.SecretString).toBe("first");
  });
});

describe("CancelRotateSecret", () => {
  it("turns rotation off, keeps the rules and function visible, and answers the token of the rotation in flight", async () => {
    const name = uniqueName("rot");
    await createSecret(name, "first");
    const crt = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: UNREACHABLE, RotationRules: { AutomaticallyAfterDays: 7 } });
    const res = await sm("CancelRotateSecret", { SecretId: name });
    expect(res.body).toMatchObject({ Name: name, VersionId: crt });
    const d = await describeSecret(name);
    expect(d).toMatchObject({ RotationEnabled: false, RotationLambdaARN: UNREACHABLE, RotationRules: { AutomaticallyAfterDays: 7 } });
    expect(d).not.toHaveProperty("NextRotationDate");
    // Labels are left for the owner to clean up, as AWS documents.
    expect(d.VersionIdsToStages[crt]).toEqual(["AWSPENDING"]);
  });

  it("on a secret never rotated answers ARN and Name only", async () => {
    const name = uniqueName("rot");
    await createSecret(name);
    const res = await sm("CancelRotateSecret", { SecretId: name });
    expect(Object.keys(res.body).sort()).toEqual(["ARN", "Name"]);
    expect(await describeSecret(name)).not.toHaveProperty("RotationEnabled");
  });
});

describe("a managed external secret (a partner Type)", () => {
  const ROLE = "arn:aws:iam::111122223333:role/partner-rotation";
  const METADATA = [{ Key: "apiVersion", Value: "v65.0" }];

  it("rotates without Lambda through its Type's adapter, with the role and metadata stored and shown", async () => {
    const name = uniqueName("rot-partner");
    await createSecret(name, JSON.stringify({ clientId: "app", clientSecret: "old" }), { Type: "ExamplePartnerSecret" });
    const crt = token();
    const rotated = await sm("RotateSecret", {
      SecretId: name, ClientRequestToken: crt, ExternalSecretRotationRoleArn: ROLE, ExternalSecretRotationMetadata: METADATA,
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
    expect(rotated.body).toMatchObject({ Name: name, VersionId: crt });
    const d = await until(() => describeSecret(name), (body) => body.VersionIdsToStages[crt]?.includes("AWSCURRENT"));
    expect(d).toMatchObject({
      Type: "ExamplePartnerSecret", RotationEnabled: true, ExternalSecretRotationRoleArn: ROLE, ExternalSecretRotationMetadata: METADATA,
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
    expect(d).not.toHaveProperty("RotationLambdaARN");
    const value = JSON.parse((await sm("GetSecretValue", { SecretId: name })).body.SecretString);
    expect(value.clientId).toBe("app");
    expect(value.clientSecret).toMatch(/^.{24}$/);
    // The stored role and metadata serve the next rotation.
    const again = token();
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: again })).status).toBe(200);
    expect((await until(() => describeSecret(name), (body) => body.VersionIdsToStages[again]?.includes("AWSCURRENT"))).VersionIdsToStages[again]).toContain("AWSCURRENT");
  });

  it("refuses, in order and storing nothing: a RotationLambdaARN, no role given or stored, a Type without an adapter", async () => {
    const name = uniqueName("rot-partner");
    await createSecret(name, "{}", { Type: "ExamplePartnerSecret" });
    const lambda = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, ExternalSecretRotationRoleArn: ROLE });
    expect(errorOf(lambda)).toEqual({ code: "InvalidRequestException", message: "Rotation Lambda ARN is not supported for a managed external secret." });
    const noRole = await sm("RotateSecret", { SecretId: name, ClientRequestToken: token(), ExternalSecretRotationMetadata: METADATA });
    expect(errorOf(noRole)).toEqual({ code: "InvalidRequestException", message: "No ExternalSecretRotationRoleArn is associated with this managed external secret." });
    const other = uniqueName("rot-partner");
    await createSecret(other, "{}", { Type: "UnconfiguredPartner" });
    const unconfigured = await sm("RotateSecret", { SecretId: other, ClientRequestToken: token(), ExternalSecretRotationRoleArn: ROLE });
    expect(errorOf(unconfigured)).toEqual({
      code: "InvalidRequestException", message: "Secrets Manager can't rotate secrets of Type UnconfiguredPartner: no rotation adapter is configured for it.",
    });
    for (const secret of [name, other]) {
      const d = await describeSecret(secret);
      for (const key of ["RotationEnabled", "ExternalSecretRotationRoleArn", "ExternalSecretRotationMetadata"]) expect(d).not.toHaveProperty(key);
      expect(Object.keys(d.VersionIdsToStages)).toHaveLength(1);
    }
  });
});

describe("on a replica", () => {
  const REPLICA_WRITE = { code: "InvalidParameterException", message: "Operation not permitted on a replica secret. Call must be made in primary secret's region." };

  it("RotateSecret and CancelRotateSecret are refused with AWS's text, before any rotation check, and change nothing", async () => {
    const name = uniqueName("rot-replica");
    const replica = { region: "eu-west-1" };
    await createSecret(name, "first", { AddReplicaRegions: [{ Region: replica.region }] });
    const described = () => sm("DescribeSecret", { SecretId: name }, replica);
    await until(described, (res) => res.status === 200);
    // Refused as a write on a replica, before E58 (no function stored or given).
    expect(errorOf(await sm("RotateSecret", { SecretId: name, ClientRequestToken: token() }, replica))).toEqual(REPLICA_WRITE);

    // Rotation configured on the primary reaches the replica, which still may neither rotate nor cancel it.
    const crt = token();
    await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 7 } });
    const primary = await until(() => describeSecret(name), (d) => d.VersionIdsToStages[crt]?.includes("AWSCURRENT"));
    const before = (await until(described, (res) => res.body.LastRotatedDate === primary.LastRotatedDate)).body;
    expect(before).toMatchObject({ RotationEnabled: true, RotationLambdaARN: PASSWORDS, PrimaryRegion: "us-east-1" });
    expect(before.VersionIdsToStages).toEqual(primary.VersionIdsToStages);

    const attempts: [string, Record<string, unknown>][] = [
      ["RotateSecret", { ClientRequestToken: token() }],
      ["RotateSecret", { ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 1 }, RotateImmediately: false }],
      ["CancelRotateSecret", {}],
    ];
    for (const [op, input] of attempts) expect(errorOf(await sm(op, { SecretId: name, ...input }, replica)), op).toEqual(REPLICA_WRITE);
    const after = (await described()).body;
    expect(after).toMatchObject({ RotationEnabled: true, RotationRules: before.RotationRules, NextRotationDate: before.NextRotationDate });
    expect(after.VersionIdsToStages).toEqual(before.VersionIdsToStages);
  });
});

describe("RotateSecret's condition keys", () => {
  const limited = (op: string, input: unknown) => sm<Record<string, unknown>>(op, input, { accessKeyId: "AKIDROTATIONLIMITED" });
  const denied = (res: Parameters<typeof errorOf>[0]) => errorOf(res).code;

  it("secretsmanager:RotationLambdaARN, ModifyRotationRules and RotateImmediately come from the request", async () => {
    const name = uniqueName("rot-iam");
    await createSecret(name, "first");
    expect(denied(await limited("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: UNREACHABLE }))).toBe("AccessDeniedException");
    expect(denied(await limited("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotationRules: { AutomaticallyAfterDays: 3 } }))).toBe("AccessDeniedException");
    expect(denied(await limited("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS, RotateImmediately: false }))).toBe("AccessDeniedException");
    expect((await limited("RotateSecret", { SecretId: name, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS })).status).toBe(200);
  });

  it("secretsmanager:resource/Type and resource/AllowRotationLambdaArn come from the secret", async () => {
    const typed = uniqueName("rot-iam");
    await createSecret(typed, "first", { Type: "locked" });
    expect(denied(await limited("RotateSecret", { SecretId: typed, ClientRequestToken: token(), RotationLambdaARN: PASSWORDS }))).toBe("AccessDeniedException");
    const stored = uniqueName("rot-iam");
    await createSecret(stored, "first");
    await sm("RotateSecret", { SecretId: stored, ClientRequestToken: token(), RotationLambdaARN: UNREACHABLE });
    await sm("CancelRotateSecret", { SecretId: stored });
    // The request names no function, so only the stored one (unreachable) can deny.
    expect(denied(await limited("RotateSecret", { SecretId: stored, ClientRequestToken: token() }))).toBe("AccessDeniedException");
  });
});

describe("rotation in the audit trail", () => {
  it("RotationStarted and RotationSucceeded are service events of the secret, with its version and no value or RotationToken", async () => {
    const region = isolatedRegion();
    const name = uniqueName("rot-audit");
    const created = (await sm("CreateSecret", { Name: name, SecretString: "first", ClientRequestToken: token() }, { region })).body;
    const crt = token();
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: PASSWORDS }, { region })).status).toBe(200);
    const names = async () => (await allEvents({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "secretsmanager.amazonaws.com" }] }, { region })).map((e) => e.EventName);
    await until(names, (list) => list.includes("RotationSucceeded"));
    const events = await allEvents({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: created.ARN }] }, { region });
    const service = events.filter((e) => e.EventName.startsWith("Rotation")).map((e) => JSON.parse(e.CloudTrailEvent));
    expect(service.map((r) => r.eventName).sort()).toEqual(["RotationStarted", "RotationSucceeded"]);
    for (const r of service) {
      expect(r).toMatchObject({ eventType: "AwsServiceEvent", additionalEventData: { SecretId: created.ARN, VersionId: crt } });
      expect(r.requestID).toMatch(/^Rotation-arn:aws:secretsmanager:/);
    }
    const value = (await sm("GetSecretValue", { SecretId: name }, { region })).body.SecretString as string;
    expect(JSON.stringify(events)).not.toContain(value);
  });
});
