// Secrets survive a server restart: values, versions, labels, tags and a scheduled deletion are written,
// the local server is stopped with SIGTERM and started again on the same STATE_DIR, and everything reads back.
// Uses its own server and state directory, since stopping the shared one would break the other files.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, failure, uniqueName } from "./client";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const BINARY_V1 = new Uint8Array([0x00, 0x01, 0x02, 0xff]);
const BINARY_V2 = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x7f]);

const stateDir = freshStateDir();
let server: LocalServer;
let sm: SecretsManagerClient;

// What was written before the restart.
const text = { name: uniqueName("durable-text"), versions: [] as string[] };
const binary = { name: uniqueName("durable-binary"), versions: [] as string[] };
const scheduled = { name: uniqueName("durable-deleted") };
const before = new Map<string, Awaited<ReturnType<typeof describeSecret>>>();

/** DescribeSecret without the SDK's per-request metadata and the day-resolution access date. */
async function describeSecret(name: string) {
  const { $metadata: _, LastAccessedDate: __, ...rest } = await sm.send(new DescribeSecretCommand({ SecretId: name }));
  return rest;
}

beforeAll(async () => {
  server = await startServer({ stateDir });
  sm = client(server.endpoint);

  // A string secret with four versions: v1 deprecated, v2 AWSPREVIOUS + CUSTOM, v3 AWSCURRENT, v4 AWSPENDING.
  const created = await sm.send(
    new CreateSecretCommand({ Name: text.name, SecretString: "text v1", Description: "survives restarts", Tags: [{ Key: "team", Value: "e2e" }] }),
  );
  text.versions.push(created.VersionId!);
  for (const value of ["text v2", "text v3"]) {
    text.versions.push((await sm.send(new PutSecretValueCommand({ SecretId: text.name, SecretString: value }))).VersionId!);
  }
  await sm.send(new UpdateSecretVersionStageCommand({ SecretId: text.name, VersionStage: "CUSTOM", MoveToVersionId: text.versions[1] }));
  text.versions.push(
    (await sm.send(new PutSecretValueCommand({ SecretId: text.name, SecretString: "text v4", VersionStages: ["AWSPENDING"] }))).VersionId!,
  );

  // A binary secret with two versions.
  binary.versions.push((await sm.send(new CreateSecretCommand({ Name: binary.name, SecretBinary: BINARY_V1 }))).VersionId!);
  binary.versions.push((await sm.send(new PutSecretValueCommand({ SecretId: binary.name, SecretBinary: BINARY_V2 }))).VersionId!);

  // A secret scheduled for deletion.
  await sm.send(new CreateSecretCommand({ Name: scheduled.name, SecretString: "doomed" }));
  await sm.send(new DeleteSecretCommand({ SecretId: scheduled.name, RecoveryWindowInDays: 7 }));

  for (const name of [text.name, binary.name, scheduled.name]) before.set(name, await describeSecret(name));
  await server.restart();
});

afterAll(async () => {
  await server?.stop();
  removeStateDir(stateDir);
});

describe("after SIGTERM and a restart on the same STATE_DIR", () => {
  it("GetSecretValue returns every labelled version of a string secret", async () => {
    const [, v2, v3, v4] = text.versions;
    const read = async (input: { VersionId?: string; VersionStage?: string }) =>
      sm.send(new GetSecretValueCommand({ SecretId: text.name, ...input }));
    expect(await read({})).toMatchObject({ VersionId: v3, SecretString: "text v3" });
    expect(await read({ VersionStage: "AWSPREVIOUS" })).toMatchObject({ VersionId: v2, SecretString: "text v2" });
    expect(await read({ VersionStage: "CUSTOM" })).toMatchObject({ VersionId: v2, SecretString: "text v2" });
    expect(await read({ VersionStage: "AWSPENDING" })).toMatchObject({ VersionId: v4, SecretString: "text v4" });
    expect(await read({ VersionId: v2 })).toMatchObject({ SecretString: "text v2" });
  });

  it("GetSecretValue returns a binary secret's versions byte for byte", async () => {
    const [v1, v2] = binary.versions;
    const current = await sm.send(new GetSecretValueCommand({ SecretId: binary.name }));
    expect(current.VersionId).toBe(v2);
    expect(current.SecretBinary).toEqual(BINARY_V2);
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: binary.name, VersionId: v1 }));
    expect(previous.SecretBinary).toEqual(BINARY_V1);
    expect(previous.VersionStages).toEqual(["AWSPREVIOUS"]);
  });

  it("DescribeSecret reports the same ARN, dates, description, tags and staging labels as before", async () => {
    for (const name of [text.name, binary.name]) expect(await describeSecret(name)).toEqual(before.get(name));
    const [, v2, v3, v4] = text.versions;
    const stages = (await describeSecret(text.name)).VersionIdsToStages!;
    expect(Object.fromEntries(Object.entries(stages).map(([id, labels]) => [id, [...labels].sort()]))).toEqual({
      [v2!]: ["AWSPREVIOUS", "CUSTOM"],
      [v3!]: ["AWSCURRENT"],
      [v4!]: ["AWSPENDING"],
    });
  });

  it("ListSecretVersionIds with IncludeDeprecated still lists the deprecated version", async () => {
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: text.name, IncludeDeprecated: true }));
    expect(listed.Versions!.map((v) => v.VersionId).sort()).toEqual([...text.versions].sort());
    const deprecated = listed.Versions!.find((v) => v.VersionId === text.versions[0]);
    expect(deprecated).not.toHaveProperty("VersionStages");
  });

  it("a secret scheduled for deletion is still scheduled", async () => {
    expect(await describeSecret(scheduled.name)).toEqual(before.get(scheduled.name));
    expect(before.get(scheduled.name)?.DeletedDate).toBeInstanceOf(Date);
    const error = await failure(sm.send(new GetSecretValueCommand({ SecretId: scheduled.name })));
    expect(error).toBeInstanceOf(InvalidRequestException);
  });
});
