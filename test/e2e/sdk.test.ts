// Every supported operation through the stock AWS SDK v3 client against the local server (`npm start`),
// with only `endpoint` changed: request signing, JSON 1.1 framing, base64 blobs, dates and error mapping.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { describe, expect, inject, it } from "vitest";
import { arnPattern, client, failure, uniqueName } from "./client";

const sm = client(inject("endpoint"));
const DAY = 86_400_000;
const BYTES = new Uint8Array([0x00, 0x01, 0x02, 0xff]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";
const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

/** A response without the SDK's $metadata, for asserting exactly which fields the service sent. */
const fields = <T extends { $metadata: unknown }>(response: T): Omit<T, "$metadata"> => {
  const { $metadata: _, ...rest } = response;
  return rest;
};

async function createSecret(prefix: string, value = "first value") {
  const name = uniqueName(prefix);
  const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return { name, arn: created.ARN!, v1: created.VersionId! };
}

async function putValue(secretId: string, value: string, stages?: string[]) {
  const put = await sm.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, VersionStages: stages }));
  return put.VersionId!;
}

describe("CreateSecret", () => {
  it("with SecretString, Description and Tags returns ARN, Name and the ClientRequestToken as VersionId", async () => {
    const name = uniqueName("create");
    const token = crypto.randomUUID();
    const tags = [
      { Key: "team", Value: "payments" },
      { Key: "env", Value: "e2e" },
    ];
    const created = await sm.send(
      new CreateSecretCommand({ Name: name, SecretString: "s3cret", ClientRequestToken: token, Description: "db password", Tags: tags }),
    );
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.$metadata.requestId).toMatch(UUID);
    expect(fields(created)).toEqual({ ARN: expect.stringMatching(arnPattern(name)), Name: name, VersionId: token });

    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.Description).toBe("db password");
    expect(described.Tags).toEqual(tags);
  });

  it("with SecretBinary stores the bytes exactly, including 0x00 and 0xff", async () => {
    const name = uniqueName("binary");
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: BYTES }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.SecretBinary).toBeInstanceOf(Uint8Array);
    expect(Array.from(got.SecretBinary!)).toEqual([0x00, 0x01, 0x02, 0xff]);
    expect(got.SecretString).toBeUndefined();
  });

  it('with KmsKeyId "alias/aws/secretsmanager" encrypts under the default key and reads back', async () => {
    const name = uniqueName("kms");
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: "under the default key", KmsKeyId: "alias/aws/secretsmanager" }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.SecretString).toBe("under the default key");
  });

  it("without a value returns no VersionId, and DescribeSecret has no VersionIdsToStages", async () => {
    const name = uniqueName("empty");
    const created = await sm.send(new CreateSecretCommand({ Name: name }));
    expect(fields(created)).toEqual({ ARN: expect.stringMatching(arnPattern(name)), Name: name });
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).not.toHaveProperty("VersionIdsToStages");
  });

  it("for a name that already exists returns ResourceExistsException", async () => {
    const { name } = await createSecret("dup");
    const error = await failure(sm.send(new CreateSecretCommand({ Name: name, SecretString: "other" })));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.name).toBe("ResourceExistsException");
    expect(error.message).toBe(`The operation failed because the secret ${name} already exists.`);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("for a name scheduled for deletion returns InvalidRequestException", async () => {
    const { name } = await createSecret("recreate");
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const error = await failure(sm.send(new CreateSecretCommand({ Name: name, SecretString: "again" })));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.name).toBe("InvalidRequestException");
    expect(error.message).toBe("You can't create this secret because a secret with this name is already scheduled for deletion.");
  });

  it("with both SecretString and SecretBinary returns InvalidParameterException", async () => {
    const error = await failure(sm.send(new CreateSecretCommand({ Name: uniqueName("both"), SecretString: "s", SecretBinary: BYTES })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("You can't specify both a binary secret value and a string secret value in the same secret.");
  });
});

describe("GetSecretValue", () => {
  it("finds a secret by name, by full ARN and by partial ARN", async () => {
    const { name, arn, v1 } = await createSecret("lookup", "found me");
    for (const secretId of [name, arn, arn.slice(0, -7)]) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
      expect(got).toMatchObject({ ARN: arn, Name: name, VersionId: v1, SecretString: "found me" });
    }
  });

  it("returns VersionStages and the version's CreatedDate as a Date", async () => {
    const before = Date.now();
    const { name, arn, v1 } = await createSecret("shape");
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(fields(got)).toEqual({
      ARN: arn,
      Name: name,
      VersionId: v1,
      SecretString: "first value",
      VersionStages: ["AWSCURRENT"],
      CreatedDate: expect.any(Date),
    });
    expect(got.CreatedDate!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(got.CreatedDate!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it("selects a version by VersionId and by VersionStage", async () => {
    const { name, v1 } = await createSecret("select", "one");
    const v2 = await putValue(name, "two");

    const byId = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1 }));
    expect(byId).toMatchObject({ VersionId: v1, SecretString: "one", VersionStages: ["AWSPREVIOUS"] });
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }));
    expect(previous).toMatchObject({ VersionId: v1, SecretString: "one" });
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSCURRENT" }));
    expect(current).toMatchObject({ VersionId: v2, SecretString: "two", VersionStages: ["AWSCURRENT"] });
    const both = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v2, VersionStage: "AWSCURRENT" }));
    expect(both.SecretString).toBe("two");
  });

  it("for a secret that does not exist returns ResourceNotFoundException with HTTP 400 and a request id", async () => {
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: uniqueName("missing") })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(NOT_FOUND);
    expect(error.$fault).toBe("client");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(UUID);
  });

  it("for an unknown VersionId returns ResourceNotFoundException", async () => {
    const { name } = await createSecret("noversion");
    const versionId = crypto.randomUUID();
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId })));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
  });

  it("for a VersionStage attached to no version returns ResourceNotFoundException", async () => {
    const { name } = await createSecret("nostage");
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPENDING" })));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
  });

  it("for a VersionStage not attached to the given VersionId returns InvalidRequestException", async () => {
    const { name, v1 } = await createSecret("mismatch");
    await putValue(name, "two");
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1, VersionStage: "AWSCURRENT" })));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toBe("You provided a VersionStage that is not associated to the provided VersionId.");
  });
});

describe("PutSecretValue", () => {
  it("without VersionStages makes the new version AWSCURRENT and the old one AWSPREVIOUS", async () => {
    const { name, arn, v1 } = await createSecret("put");
    const token = crypto.randomUUID();
    const put = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "second", ClientRequestToken: token }));
    expect(fields(put)).toEqual({ ARN: arn, Name: name, VersionId: token, VersionStages: ["AWSCURRENT"] });

    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toEqual({ [v1]: ["AWSPREVIOUS"], [token]: ["AWSCURRENT"] });
  });

  it("with VersionStages attaches only those labels and leaves AWSCURRENT where it was", async () => {
    const { name, v1 } = await createSecret("putstages", "current");
    const put = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "staged", VersionStages: ["SAMPLESTAGE1", "SAMPLESTAGE0"] }));
    expect([...put.VersionStages!].sort()).toEqual(["SAMPLESTAGE0", "SAMPLESTAGE1"]);

    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(current).toMatchObject({ VersionId: v1, SecretString: "current" });
    const staged = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "SAMPLESTAGE0" }));
    expect(staged).toMatchObject({ VersionId: put.VersionId, SecretString: "staged" });
  });

  it("with SecretBinary adds a binary version", async () => {
    const { name } = await createSecret("putbinary");
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretBinary: BYTES }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.SecretBinary).toEqual(BYTES);
    expect(got.SecretString).toBeUndefined();
  });

  it("repeating a ClientRequestToken with the same value is idempotent", async () => {
    const { name } = await createSecret("idem");
    const token = crypto.randomUUID();
    const first = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "same", ClientRequestToken: token }));
    const again = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "same", ClientRequestToken: token }));
    expect(fields(again)).toEqual(fields(first));
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    expect(versions.Versions).toHaveLength(2);
  });

  it("repeating a ClientRequestToken with a different value returns ResourceExistsException", async () => {
    const { name, arn } = await createSecret("tokenreuse");
    const token = crypto.randomUUID();
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "one", ClientRequestToken: token }));
    const error = await failure(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: "two", ClientRequestToken: token })));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.message).toBe(`You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`);
  });
});

describe("UpdateSecret", () => {
  it("changing only the Description returns ARN and Name without a VersionId", async () => {
    const { name, arn } = await createSecret("describe-only");
    const updated = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: "new description" }));
    expect(fields(updated)).toEqual({ ARN: arn, Name: name });
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.Description).toBe("new description");
  });

  it("with a new SecretString creates a new AWSCURRENT version", async () => {
    const { name, arn, v1 } = await createSecret("update", "old");
    const token = crypto.randomUUID();
    const updated = await sm.send(new UpdateSecretCommand({ SecretId: arn, SecretString: "new", ClientRequestToken: token }));
    expect(fields(updated)).toEqual({ ARN: arn, Name: name, VersionId: token });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe("new");
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }));
    expect(previous).toMatchObject({ VersionId: v1, SecretString: "old" });
  });

  it("for a secret that does not exist returns ResourceNotFoundException", async () => {
    const error = await failure(sm.send(new UpdateSecretCommand({ SecretId: uniqueName("missing"), Description: "x" })));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(NOT_FOUND);
  });
});

describe("UpdateSecretVersionStage", () => {
  it("moving AWSCURRENT to a pending version gives the old one AWSPREVIOUS and keeps AWSPENDING", async () => {
    const { name, arn, v1 } = await createSecret("promote");
    const v2 = await putValue(name, "pending", ["AWSPENDING"]);
    const moved = await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v1, MoveToVersionId: v2 }),
    );
    expect(fields(moved)).toEqual({ ARN: arn, Name: name });

    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    const stages = Object.fromEntries(listed.Versions!.map((v) => [v.VersionId, [...(v.VersionStages ?? [])].sort()]));
    expect(stages).toEqual({ [v1]: ["AWSPREVIOUS"], [v2]: ["AWSCURRENT", "AWSPENDING"] });
  });

  it("moving AWSCURRENT without RemoveFromVersionId returns InvalidParameterException", async () => {
    const { name, v1 } = await createSecret("noremove");
    const v2 = await putValue(name, "pending", ["AWSPENDING"]);
    const error = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v2 })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
  });
});

describe("DescribeSecret", () => {
  it("of a fresh secret returns only ARN, Name, Date-typed CreatedDate and LastChangedDate, and VersionIdsToStages", async () => {
    const before = Date.now();
    const { name, arn, v1 } = await createSecret("describe");
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(fields(described)).toEqual({
      ARN: arn,
      Name: name,
      CreatedDate: expect.any(Date),
      LastChangedDate: expect.any(Date),
      VersionIdsToStages: { [v1]: ["AWSCURRENT"] },
    });
    expect(described.CreatedDate!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(described.LastChangedDate!.getTime()).toBeGreaterThanOrEqual(described.CreatedDate!.getTime());
  });

  it("after GetSecretValue adds LastAccessedDate at day resolution", async () => {
    const { name } = await createSecret("accessed");
    await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.LastAccessedDate).toBeInstanceOf(Date);
    expect(described.LastAccessedDate!.getTime() % DAY).toBe(0);
    expect(Date.now() - described.LastAccessedDate!.getTime()).toBeLessThan(DAY);
  });
});

describe("ListSecretVersionIds", () => {
  it("lists labelled versions only, and deprecated ones without VersionStages when IncludeDeprecated", async () => {
    const { name, arn, v1 } = await createSecret("versions", "v1");
    const v2 = await putValue(name, "v2");
    const v3 = await putValue(name, "v3");
    const v4 = await putValue(name, "v4");

    const labelled = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    expect(labelled).toMatchObject({ ARN: arn, Name: name });
    expect(Object.fromEntries(labelled.Versions!.map((v) => [v.VersionId, v.VersionStages]))).toEqual({
      [v3]: ["AWSPREVIOUS"],
      [v4]: ["AWSCURRENT"],
    });

    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    expect(all.Versions!.map((v) => v.VersionId).sort()).toEqual([v1, v2, v3, v4].sort());
    for (const version of all.Versions!) {
      expect(version.CreatedDate).toBeInstanceOf(Date);
      expect(version.KmsKeyIds).toEqual(["DefaultEncryptionKey"]);
      if (version.VersionId === v1 || version.VersionId === v2) expect(version).not.toHaveProperty("VersionStages");
    }
  });

  it("pages with MaxResults and NextToken", async () => {
    const { name, v1 } = await createSecret("paging", "v1");
    const written = [v1];
    for (const value of ["v2", "v3", "v4", "v5"]) written.push(await putValue(name, value));

    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 2, NextToken: nextToken }));
      expect(page.Versions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Versions!.map((v) => v.VersionId!));
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(written.sort());
  });

  it("for a secret that does not exist returns ResourceNotFoundException", async () => {
    const error = await failure(sm.send(new ListSecretVersionIdsCommand({ SecretId: uniqueName("missing") })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe(NOT_FOUND);
  });
});

describe("DeleteSecret and RestoreSecret", () => {
  it("DeleteSecret with a recovery window schedules deletion; RestoreSecret cancels it", async () => {
    const { name, arn } = await createSecret("window", "kept");
    const before = Date.now();
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    expect(fields(deleted)).toEqual({ ARN: arn, Name: name, DeletionDate: expect.any(Date) });
    expect(deleted.DeletionDate!.getTime()).toBeGreaterThanOrEqual(before + 7 * DAY - 1_000);
    expect(deleted.DeletionDate!.getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1_000);

    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.DeletedDate).toBeInstanceOf(Date);
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: name })));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toBe(MARKED_FOR_DELETION);

    const restored = await sm.send(new RestoreSecretCommand({ SecretId: name }));
    expect(fields(restored)).toEqual({ ARN: arn, Name: name });
    expect(await sm.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty("DeletedDate");
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe("kept");
  });

  it("DeleteSecret without RecoveryWindowInDays schedules deletion 30 days out", async () => {
    const { name } = await createSecret("default-window");
    const before = Date.now();
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name }));
    expect(deleted.DeletionDate!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1_000);
    expect(deleted.DeletionDate!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY + 1_000);
  });

  it("DeleteSecret with ForceDeleteWithoutRecovery removes the secret and frees its name", async () => {
    const { name, arn } = await createSecret("force");
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    expect(fields(deleted)).toEqual({ ARN: arn, Name: name, DeletionDate: expect.any(Date) });

    const error = await failure(sm.send(new DescribeSecretCommand({ SecretId: name })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const recreated = await sm.send(new CreateSecretCommand({ Name: name, SecretString: "reborn" }));
    expect(recreated.ARN).toMatch(arnPattern(name));
    expect(recreated.ARN).not.toBe(arn);
  });

  it("DeleteSecret with ForceDeleteWithoutRecovery on a name that does not exist answers as if it existed", async () => {
    // AWS-validated (localstack test_delete_non_existent_secret_returns_as_if_secret_exists): Name, an ARN, a DeletionDate.
    const name = uniqueName("never-existed");
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    expect(fields(deleted)).toEqual({ ARN: expect.any(String), Name: name, DeletionDate: expect.any(Date) });
  });

  it("DeleteSecret with RecoveryWindowInDays outside 7–30 returns InvalidParameterException", async () => {
    const { name } = await createSecret("short-window");
    const error = await failure(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("DeleteSecret with both RecoveryWindowInDays and ForceDeleteWithoutRecovery returns InvalidParameterException", async () => {
    const { name } = await createSecret("both-delete");
    const error = await failure(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  });
});

describe("TagResource and UntagResource", () => {
  it("TagResource adds tags in order; UntagResource removes them and leaves Tags: []", async () => {
    const { name, arn } = await createSecret("tags");
    expect(await sm.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty("Tags");

    const tagged = await sm.send(
      new TagResourceCommand({ SecretId: arn, Tags: [{ Key: "tag1", Value: "value1" }, { Key: "tag2", Value: "value2" }] }),
    );
    expect(fields(tagged)).toEqual({});
    expect(tagged.$metadata.httpStatusCode).toBe(200);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([
      { Key: "tag1", Value: "value1" },
      { Key: "tag2", Value: "value2" },
    ]);

    const untagged = await sm.send(new UntagResourceCommand({ SecretId: arn, TagKeys: ["tag1", "tag2"] }));
    expect(fields(untagged)).toEqual({});
    expect((await sm.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([]);
  });

  it("TagResource and UntagResource on a secret marked for deletion return InvalidRequestException", async () => {
    const { name } = await createSecret("tag-deleted");
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const tagError = await failure(sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: "k", Value: "v" }] })));
    expect(tagError).toBeInstanceOf(InvalidRequestException);
    expect(tagError.message).toBe(MARKED_FOR_DELETION);
    const untagError = await failure(sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ["k"] })));
    expect(untagError).toBeInstanceOf(InvalidRequestException);
    expect(untagError.message).toBe(MARKED_FOR_DELETION);
  });
});

describe("GetRandomPassword", () => {
  it("defaults to 32 characters with every character type", async () => {
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({}));
    expect(RandomPassword).toHaveLength(32);
    expect(RandomPassword).toMatch(/[a-z]/);
    expect(RandomPassword).toMatch(/[A-Z]/);
    expect(RandomPassword).toMatch(/[0-9]/);
    expect(RandomPassword).toMatch(/[^A-Za-z0-9]/);
  });

  it("honours PasswordLength, ExcludePunctuation and ExcludeCharacters", async () => {
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 20, ExcludePunctuation: true, ExcludeCharacters: "abc" }));
    expect(RandomPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(RandomPassword).not.toMatch(/[abc]/);
  });

  it("excluding every character type returns InvalidParameterException", async () => {
    const error = await failure(
      sm.send(new GetRandomPasswordCommand({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe("invalid secret names", () => {
  const secretId = "Inv Name";
  const calls = {
    CreateSecret: () => new CreateSecretCommand({ Name: secretId, SecretString: "x" }),
    DeleteSecret: () => new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }),
    DescribeSecret: () => new DescribeSecretCommand({ SecretId: secretId }),
    GetSecretValue: () => new GetSecretValueCommand({ SecretId: secretId }),
    ListSecretVersionIds: () => new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true }),
    PutSecretValue: () => new PutSecretValueCommand({ SecretId: secretId, SecretString: "x" }),
    TagResource: () => new TagResourceCommand({ SecretId: secretId, Tags: [{ Key: "k", Value: "v" }] }),
    UntagResource: () => new UntagResourceCommand({ SecretId: secretId, TagKeys: ["k"] }),
    UpdateSecret: () => new UpdateSecretCommand({ SecretId: secretId, SecretString: "x" }),
  };

  it.each(Object.entries(calls))("%s with a name containing a space returns ValidationException", async (_op, command) => {
    // ValidationException is not a modeled Secrets Manager error: the SDK surfaces it as the service's base exception.
    const error = await failure(sm.send(command() as never));
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe(INVALID_NAME);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
