// CloudTrail records built from calls (src/audit/record.ts): the format's fields, each operation's
// requestParameters / responseElements as CloudTrail logs them, and no secret value in any encoding, ever.
import { describe, expect, it } from "vitest";
import { callerIdentity } from "../../src/audit/identity";
import { requestParameters } from "../../src/audit/parameters";
import { type ApiCall, apiCallRecord, serviceEventRecord } from "../../src/audit/record";
import { toBase64 } from "../../src/crypto/base64";
import { operations } from "../../src/operations";

// Quotes, a backslash and non-ASCII make the JSON-escaped form differ from the plain one.
const MARKER = 'mArKeR-"7f3e\\91"-é-☃-secret';
const encodings = (marker: string) => {
  const bytes = new TextEncoder().encode(marker);
  return [marker, "mArKeR-", toBase64(bytes), JSON.stringify(marker).slice(1, -1), JSON.stringify(JSON.stringify(marker)).slice(1, -1), encodeURIComponent(marker)];
};

const ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf";
const IDENTITY = { type: "IAMUser" as const, principalId: "AIDAEXAMPLE", arn: "arn:aws:iam::111122223333:user/app", accountId: "111122223333", accessKeyId: "AKIDTESTLOCAL", userName: "app" };
const binary = toBase64(new TextEncoder().encode(MARKER));

/** Every operation with every value-bearing member (request and answer) holding the marker. */
const CALLS: Record<string, { request: object; response: object }> = {
  CreateSecret: { request: { Name: "app/db", ClientRequestToken: "t-1", SecretString: MARKER, SecretBinary: binary, Tags: [{ Key: "team", Value: "blue" }] }, response: { ARN, Name: "app/db", VersionId: "t-1" } },
  PutSecretValue: { request: { SecretId: ARN, ClientRequestToken: "t-2", SecretString: MARKER, SecretBinary: binary, RotationToken: `${MARKER}-rotation`, VersionStages: ["AWSCURRENT"] }, response: { ARN, Name: "app/db", VersionId: "t-2", VersionStages: ["AWSCURRENT"] } },
  UpdateSecret: { request: { SecretId: ARN, ClientRequestToken: "t-3", SecretString: MARKER, SecretBinary: binary, Description: "d" }, response: { ARN, Name: "app/db", VersionId: "t-3" } },
  GetSecretValue: { request: { SecretId: ARN, VersionStage: "AWSCURRENT" }, response: { ARN, Name: "app/db", VersionId: "t-2", SecretString: MARKER, SecretBinary: binary, VersionStages: ["AWSCURRENT"], CreatedDate: 1 } },
  BatchGetSecretValue: { request: { SecretIdList: [ARN] }, response: { SecretValues: [{ ARN, Name: "app/db", VersionId: "t-2", SecretString: MARKER, SecretBinary: binary }], Errors: [] } },
  GetRandomPassword: { request: { PasswordLength: 40 }, response: { RandomPassword: MARKER } },
  DescribeSecret: { request: { SecretId: ARN }, response: { ARN, Name: "app/db", Description: "d" } },
  ListSecrets: { request: { MaxResults: 5 }, response: { SecretList: [{ ARN, Name: "app/db" }] } },
  ListSecretVersionIds: { request: { SecretId: ARN }, response: { ARN, Name: "app/db", Versions: [] } },
  DeleteSecret: { request: { SecretId: ARN, RecoveryWindowInDays: 7 }, response: { ARN, Name: "app/db", DeletionDate: 2 } },
  RestoreSecret: { request: { SecretId: ARN }, response: { ARN, Name: "app/db" } },
  TagResource: { request: { SecretId: ARN, Tags: [{ Key: "k", Value: "v" }] }, response: {} },
  UntagResource: { request: { SecretId: ARN, TagKeys: ["k"] }, response: {} },
  UpdateSecretVersionStage: { request: { SecretId: ARN, VersionStage: "AWSCURRENT", MoveToVersionId: "t-2" }, response: { ARN, Name: "app/db" } },
  PutResourcePolicy: { request: { SecretId: ARN, ResourcePolicy: "{}" }, response: { ARN, Name: "app/db" } },
  GetResourcePolicy: { request: { SecretId: ARN }, response: { ARN, Name: "app/db", ResourcePolicy: "{}" } },
  DeleteResourcePolicy: { request: { SecretId: ARN }, response: { ARN, Name: "app/db" } },
  ValidateResourcePolicy: { request: { ResourcePolicy: "{}" }, response: { PolicyValidationPassed: true, ValidationErrors: [] } },
  RotateSecret: {
    request: { SecretId: ARN, ClientRequestToken: "t-4", RotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:f", RotationRules: { AutomaticallyAfterDays: 7 } },
    response: { ARN, Name: "app/db", VersionId: "t-4" },
  },
  CancelRotateSecret: { request: { SecretId: ARN }, response: { ARN, Name: "app/db", VersionId: "t-4" } },
  ReplicateSecretToRegions: {
    request: { SecretId: ARN, AddReplicaRegions: [{ Region: "eu-west-1", KmsKeyId: "alias/replica" }], ForceOverwriteReplicaSecret: true },
    response: { ARN, ReplicationStatus: [{ Region: "eu-west-1", KmsKeyId: "alias/replica", Status: "InProgress" }] },
  },
  RemoveRegionsFromReplication: { request: { SecretId: ARN, RemoveReplicaRegions: ["eu-west-1"] }, response: { ARN, ReplicationStatus: [] } },
  StopReplicationToReplica: { request: { SecretId: ARN }, response: { ARN } },
};

function call(eventName: string, overrides: Partial<ApiCall> = {}): ApiCall {
  const op = operations[eventName as keyof typeof operations];
  return {
    eventSource: "secretsmanager.amazonaws.com",
    eventName,
    eventTime: Date.UTC(2026, 11, 6, 4, 5, 6, 789),
    eventId: "e-1",
    requestId: "r-1",
    region: "us-east-1",
    recipientAccountId: "111122223333",
    identity: IDENTITY,
    sourceIp: "192.0.2.1",
    userAgent: "aws-cli/2",
    request: CALLS[eventName]!.request,
    members: Object.keys((op.input as unknown as { shape: object }).shape),
    response: CALLS[eventName]!.response,
    ...overrides,
  };
}

describe("CloudTrail records", () => {
  it("covers every operation of the registry", () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(operations).sort());
  });

  for (const name of Object.keys(CALLS)) {
    it(`${name}: no value, rotation token or password in any encoding, on success or failure`, () => {
      for (const built of [
        apiCallRecord(call(name)),
        apiCallRecord(call(name, { response: undefined, error: { code: "ValidationException", message: "Value at 'secretString' failed" } })),
      ]) {
        const text = JSON.stringify(built);
        for (const form of encodings(MARKER)) expect(text).not.toContain(form);
      }
    });
  }

  it("has CloudTrail's fields for an API call, times to the second in UTC", () => {
    const { record } = apiCallRecord(call("CreateSecret"));
    expect(record).toEqual({
      eventVersion: "1.11",
      userIdentity: IDENTITY,
      eventTime: "2026-12-06T04:05:06Z",
      eventSource: "secretsmanager.amazonaws.com",
      eventName: "CreateSecret",
      awsRegion: "us-east-1",
      sourceIPAddress: "192.0.2.1",
      userAgent: "aws-cli/2",
      requestParameters: { name: "app/db", clientRequestToken: "t-1", tags: [{ key: "team", value: "blue" }] },
      responseElements: { arn: ARN, name: "app/db", versionId: "t-1" },
      requestID: "r-1",
      eventID: "e-1",
      readOnly: false,
      resources: [{ accountId: "111122223333", type: "AWS::SecretsManager::Secret", ARN }],
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "111122223333",
      eventCategory: "Management",
    });
  });

  it("PutSecretValue logs secretId and clientRequestToken, not the value or RotationToken, and answers arn", () => {
    const { record } = apiCallRecord(call("PutSecretValue"));
    expect(record.requestParameters).toEqual({ secretId: ARN, clientRequestToken: "t-2", versionStages: ["AWSCURRENT"] });
    expect(record.responseElements).toEqual({ arn: ARN, name: "app/db", versionId: "t-2", versionStages: ["AWSCURRENT"] });
  });

  it("reads are readOnly with null responseElements; GetRandomPassword's answer is never recorded", () => {
    for (const name of ["GetSecretValue", "BatchGetSecretValue", "DescribeSecret", "ListSecrets", "GetRandomPassword", "GetResourcePolicy"]) {
      const { record } = apiCallRecord(call(name));
      expect(record.readOnly, name).toBe(true);
      expect(record.responseElements, name).toBeNull();
    }
    expect(apiCallRecord(call("GetRandomPassword")).record.requestParameters).toEqual({ passwordLength: 40 });
  });

  it("a denial is errorCode AccessDenied with the message, no responseElements, the secret named by the request", () => {
    const built = apiCallRecord(
      call("GetSecretValue", { request: { SecretId: "app/db", VersionId: "v" }, response: undefined, error: { code: "AccessDeniedException", message: "User: x is not authorized" } }),
    );
    expect(built.record).toMatchObject({ errorCode: "AccessDenied", errorMessage: "User: x is not authorized", responseElements: null, readOnly: true });
    expect(built.record.requestParameters).toEqual({ secretId: "app/db", versionId: "v" });
    expect(built.record.resources).toBeUndefined();
    expect(built.resources).toEqual([{ type: "AWS::SecretsManager::Secret", name: "app/db" }]);
  });

  it("resources of a batch read are the ARNs it answered for", () => {
    const other = ARN.replace("app/db-AbCdEf", "app/other-ZyXwVu");
    const built = apiCallRecord(call("BatchGetSecretValue", { response: { SecretValues: [{ ARN }, { ARN: other }] } }));
    expect(built.resources.map((r) => r.name)).toEqual([ARN, other]);
  });

  it("members the operation does not model are not recorded, and oversized parameters become null", () => {
    expect(requestParameters({ SecretId: "a", secretString: MARKER, Extra: MARKER }, ["SecretId"])).toEqual({ secretId: "a" });
    expect(requestParameters({ SecretId: "x".repeat(40_000) }, ["SecretId"])).toBeNull();
    expect(requestParameters("not an object", ["SecretId"])).toBeNull();
  });

  it("a service event has invokedBy, the secret in additionalEventData and AwsServiceEvent", () => {
    const { record, resources } = serviceEventRecord({
      eventName: "RotationFailed",
      eventTime: Date.UTC(2026, 0, 1),
      eventId: "e-2",
      requestId: `Rotation-${ARN}-u`,
      region: "us-east-1",
      accountId: "111122223333",
      secretArn: ARN,
      errorMessage: "Error when executing lambda during setSecret step",
    });
    expect(record).toMatchObject({
      userIdentity: { accountId: "111122223333", invokedBy: "secretsmanager.amazonaws.com" },
      eventSource: "secretsmanager.amazonaws.com",
      eventName: "RotationFailed",
      sourceIPAddress: "secretsmanager.amazonaws.com",
      userAgent: "secretsmanager.amazonaws.com",
      errorMessage: "Error when executing lambda during setSecret step",
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: ARN },
      readOnly: false,
      eventType: "AwsServiceEvent",
      recipientAccountId: "111122223333",
    });
    expect(record.userIdentity.type).toBeUndefined();
    expect(resources).toEqual([{ type: "AWS::SecretsManager::Secret", name: ARN }]);
  });
});

describe("userIdentity", () => {
  it("names root, users and role sessions as CloudTrail does, with stable principal ids", async () => {
    expect(await callerIdentity({ principalArn: "arn:aws:iam::111122223333:root", accountId: "111122223333", accessKeyId: "K" })).toEqual({
      type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333", accessKeyId: "K",
    });
    const user = await callerIdentity({ principalArn: "arn:aws:iam::111122223333:user/ops/app", accountId: "111122223333", accessKeyId: "K" });
    expect(user).toMatchObject({ type: "IAMUser", userName: "app" });
    expect(user.principalId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect((await callerIdentity({ principalArn: "arn:aws:iam::111122223333:user/ops/app", accountId: "111122223333", accessKeyId: "K" })).principalId).toBe(user.principalId);
    const session = await callerIdentity({
      principalArn: "arn:aws:sts::111122223333:assumed-role/deployer/ci-run",
      roleArn: "arn:aws:iam::111122223333:role/ops/deployer",
      accountId: "111122223333",
      accessKeyId: "ASID",
    });
    expect(session).toMatchObject({
      type: "AssumedRole",
      sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::111122223333:role/ops/deployer", userName: "deployer" } },
    });
    expect(session.principalId).toMatch(/^AROA[A-Z2-7]{17}:ci-run$/);
  });
});
