// Replication in the runtime: replicas are real objects in their regions' namespaces, kept in sync through the
// primary's outbox (one destination per region), in order and idempotently; a failing region neither blocks another
// nor the primary, and ReplicationStatus moves InProgress → InSync, or → Failed with a StatusMessage and back.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SecretObject } from "../../src/secret-object/secret-object";
import type { ReplicaSnapshot } from "../../src/secret-object/replica-sync";
import { createSecret, secretStub, sleep, uniqueName } from "../support/fixtures";
import { sm, token } from "../support/sm";

const PRIMARY = "us-east-1";
const REPLICA_WRITE = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
const inRegion = (arn: string, region: string) => arn.replace(":us-east-1:", `:${region}:`);

type Status = { Region: string; KmsKeyId: string; Status: string; StatusMessage?: string; LastAccessedDate?: number };

async function statuses(secretId: string): Promise<Status[]> {
  const res = await sm("DescribeSecret", { SecretId: secretId });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.ReplicationStatus ?? [];
}

/** Waits until no region is InProgress (deliveries run right after the answer; the alarm retries). */
async function settled(secretId: string, attempts = 100): Promise<Status[]> {
  for (let i = 0; i < attempts; i++) {
    const s = await statuses(secretId);
    if (s.every((r) => r.Status !== "InProgress")) return s;
    await sleep(50);
  }
  throw new Error(`replication of ${secretId} did not settle: ${JSON.stringify(await statuses(secretId))}`);
}

/** A new secret `prefix-…` with one replica region, once the replica is in sync. */
async function replicatedSecret(prefix: string, region: string, secretString = "v1") {
  const name = uniqueName(prefix);
  const created = await createSecret(name, secretString, { AddReplicaRegions: [{ Region: region }] });
  await settled(name);
  return { name, created };
}

const PASSWORDS = "arn:aws:lambda:us-east-1:111122223333:function:passwords";
const UNREACHABLE = "arn:aws:lambda:us-east-1:111122223333:function:unreachable";

const value = async (secretId: string, region: string) => sm("GetSecretValue", { SecretId: secretId }, { region });

/** Swaps the primary's REPLICA_REGIONS_UNAVAILABLE (the fault hook) on the live object. */
async function unavailable(name: string, regions: string) {
  await runInDurableObject(secretStub(name), (instance) => {
    const self = instance as unknown as { env: Record<string, unknown> };
    self.env = { ...self.env, REPLICA_REGIONS_UNAVAILABLE: regions };
  });
}

describe("replicas are real secrets in their regions", () => {
  it("CreateSecret with AddReplicaRegions: each region answers reads alone, under its own ARN, KMS key and LastAccessedDate", async () => {
    const name = uniqueName("repl-create");
    const created = await createSecret(name, "s3cret", {
      AddReplicaRegions: [{ Region: "eu-west-1" }, { Region: "ap-southeast-2", KmsKeyId: "alias/payments" }],
    });
    expect(created).toMatchObject({
      ReplicationStatus: [
        { Region: "eu-west-1", KmsKeyId: "alias/aws/secretsmanager", Status: "InProgress" },
        { Region: "ap-southeast-2", KmsKeyId: "alias/payments", Status: "InProgress" },
      ],
    });
    expect((created as unknown as { ReplicationStatus: Status[] }).ReplicationStatus[0]!.StatusMessage).toBeUndefined();
    const done = await settled(name);
    expect(done).toEqual([
      { Region: "eu-west-1", KmsKeyId: "alias/aws/secretsmanager", Status: "InSync", StatusMessage: "Replication succeeded" },
      { Region: "ap-southeast-2", KmsKeyId: "alias/payments", Status: "InSync", StatusMessage: "Replication succeeded" },
    ]);
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      const read = await value(name, region);
      expect(read.body).toMatchObject({ ARN: inRegion(created.ARN, region), Name: name, SecretString: "s3cret", VersionId: created.VersionId });
      const described = await sm("DescribeSecret", { SecretId: name }, { region });
      expect(described.body.PrimaryRegion).toBe(PRIMARY);
      expect(described.body.ReplicationStatus).toBeUndefined();
      expect(described.body.LastAccessedDate).toBeDefined();
    }
    // The primary was never read: its own LastAccessedDate stays absent; it shows PrimaryRegion too.
    const primary = await sm("DescribeSecret", { SecretId: name });
    expect(primary.body.LastAccessedDate).toBeUndefined();
    expect(primary.body.PrimaryRegion).toBe(PRIMARY);
    // Each replica's copy is sealed under its own key (the stored version's key), not the primary's.
    const keyIn = (region: string) =>
      runInDurableObject(secretStub(name, { region }), (_i, state) => state.storage.sql.exec("SELECT kms_key_id FROM versions").one().kms_key_id);
    expect(await keyIn("ap-southeast-2")).toBe("alias/payments");
    expect(await keyIn("eu-west-1")).toBe("alias/aws/secretsmanager");
    // The replica's LastAccessedDate reaches the primary's ReplicationStatus with the next sync.
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "v" }] });
    expect((await settled(name)).every((r) => typeof r.LastAccessedDate === "number")).toBe(true);
  });

  it("every kind of change reaches the replica: values, labels, description, tags, policy, KMS-independent", async () => {
    const name = uniqueName("repl-changes");
    const created = await createSecret(name, "one", { AddReplicaRegions: [{ Region: "eu-west-2" }] });
    await settled(name);
    const v2 = token();
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "two", ClientRequestToken: v2 })).status).toBe(200);
    expect((await sm("UpdateSecret", { SecretId: name, Description: "described" })).status).toBe(200);
    expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "team", Value: "a" }, { Key: "gone", Value: "x" }] })).status).toBe(200);
    expect((await sm("UntagResource", { SecretId: name, TagKeys: ["gone"] })).status).toBe(200);
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
    expect((await sm("PutResourcePolicy", { SecretId: name, ResourcePolicy: policy })).status).toBe(200);
    expect((await sm("UpdateSecretVersionStage", { SecretId: name, VersionStage: "BLUE", MoveToVersionId: created.VersionId })).status).toBe(200);
    await settled(name);
    const region = { region: "eu-west-2" };
    expect((await value(name, "eu-west-2")).body).toMatchObject({ SecretString: "two", VersionId: v2 });
    const previous = await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPREVIOUS" }, region);
    expect(previous.body.SecretString).toBe("one");
    const described = await sm("DescribeSecret", { SecretId: name }, region);
    const primary = await sm("DescribeSecret", { SecretId: name });
    expect(described.body).toMatchObject({ Description: "described", Tags: [{ Key: "team", Value: "a" }] });
    expect(described.body.VersionIdsToStages).toEqual(primary.body.VersionIdsToStages);
    expect((await sm("GetResourcePolicy", { SecretId: name }, region)).body.ResourcePolicy).toBe(policy);
    // Listed in its own region, with its primary's region.
    const listed = await sm("ListSecrets", { Filters: [{ Key: "name", Values: [name] }] }, region);
    expect(listed.body.SecretList).toMatchObject([{ ARN: inRegion(created.ARN, "eu-west-2"), PrimaryRegion: PRIMARY }]);
    const byPrimary = await sm("ListSecrets", { Filters: [{ Key: "primary-region", Values: [PRIMARY] }, { Key: "name", Values: [name] }] });
    expect(byPrimary.body.SecretList).toMatchObject([{ ARN: created.ARN, PrimaryRegion: PRIMARY }]);
  });

  it("a replica refuses writes with AWS's text; a primary with replicas cannot be deleted until they are removed", async () => {
    const name = uniqueName("repl-rules");
    const created = await createSecret(name, "x", { AddReplicaRegions: [{ Region: "eu-west-3" }] });
    await settled(name);
    const region = { region: "eu-west-3" };
    const writes: [string, Record<string, unknown>][] = [
      ["PutSecretValue", { SecretString: "y", ClientRequestToken: token() }],
      ["UpdateSecret", { Description: "d" }],
      ["TagResource", { Tags: [{ Key: "a", Value: "b" }] }],
      ["UntagResource", { TagKeys: ["a"] }],
      ["PutResourcePolicy", { ResourcePolicy: '{"Version":"2012-10-17","Statement":[]}' }],
      ["DeleteResourcePolicy", {}],
      ["DeleteSecret", { ForceDeleteWithoutRecovery: true }],
      ["RestoreSecret", {}],
      ["UpdateSecretVersionStage", { VersionStage: "X", MoveToVersionId: created.VersionId }],
      ["ReplicateSecretToRegions", { AddReplicaRegions: [{ Region: "us-west-2" }] }],
    ];
    for (const [op, input] of writes) {
      const res = await sm(op, { SecretId: name, ...input }, region);
      expect(res.body, op).toEqual({ __type: "InvalidParameterException", Message: REPLICA_WRITE });
    }
    const refused = await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true });
    expect(refused.body).toEqual({
      __type: "InvalidParameterException",
      Message: `You can't delete secret ${created.ARN} that still has replica regions [eu-west-3].`,
    });
    const removed = await sm("RemoveRegionsFromReplication", { SecretId: name, RemoveReplicaRegions: ["eu-west-3"] });
    expect(removed.body).toEqual({ ARN: created.ARN, ReplicationStatus: [] });
    for (let i = 0; i < 100 && (await value(name, "eu-west-3")).status === 200; i++) await sleep(50);
    expect((await value(name, "eu-west-3")).body.__type).toBe("ResourceNotFoundException");
    const primary = await sm("DescribeSecret", { SecretId: name });
    expect(primary.body.PrimaryRegion).toBeUndefined();
    expect(primary.body.ReplicationStatus).toBeUndefined();
    expect((await sm("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true })).status).toBe(200);
  });

  it("the primary's own region, a repeated region and a bad Region are refused", async () => {
    const name = uniqueName("repl-bad");
    await createSecret(name, "x");
    const own = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: PRIMARY }] });
    expect(own.body.__type).toBe("InvalidParameterException");
    const twice = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: "eu-west-1" }, { Region: "eu-west-1" }] });
    expect(twice.body.__type).toBe("InvalidParameterException");
    const bad = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: "EU_WEST" }] });
    expect(bad.body.__type).toBe("ValidationException");
    const many = Array.from({ length: 41 }, (_, i) => ({ Region: `zz-many-${i + 1}` }));
    const tooMany = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: many });
    expect(tooMany.body).toEqual({ __type: "InvalidParameterException", Message: "A secret can have at most 40 replica Regions." });
    const createMany = await sm("CreateSecret", { Name: uniqueName("repl-many"), AddReplicaRegions: many });
    expect(createMany.body.__type).toBe("InvalidParameterException");
    const none = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [] });
    expect(none.body.__type).toBe("ValidationException");
    const missing = await sm("ReplicateSecretToRegions", { SecretId: uniqueName("nope"), AddReplicaRegions: [{ Region: "eu-west-1" }] });
    expect(missing.body.__type).toBe("ResourceNotFoundException");
    expect((await statuses(name))).toEqual([]);
  });

  it("a secret of that name in the region fails the replica with a StatusMessage; ForceOverwriteReplicaSecret replaces it", async () => {
    const name = uniqueName("repl-conflict");
    await createSecret(name, "theirs", {}, { region: "sa-east-1" });
    const created = await createSecret(name, "ours", { AddReplicaRegions: [{ Region: "sa-east-1" }] });
    expect(await settled(name)).toEqual([
      { Region: "sa-east-1", KmsKeyId: "alias/aws/secretsmanager", Status: "Failed", StatusMessage: "Secret with this name already exists in this region" },
    ]);
    expect((await value(name, "sa-east-1")).body.SecretString).toBe("theirs");
    const forced = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: "sa-east-1" }], ForceOverwriteReplicaSecret: true });
    expect(forced.body).toEqual({ ARN: created.ARN, ReplicationStatus: [{ Region: "sa-east-1", KmsKeyId: "alias/aws/secretsmanager", Status: "InProgress" }] });
    expect((await settled(name))[0]!.Status).toBe("InSync");
    expect((await value(name, "sa-east-1")).body).toMatchObject({ SecretString: "ours", ARN: inRegion(created.ARN, "sa-east-1") });
  });

  it("StopReplicationToReplica promotes the replica: the primary forgets it, and it is writable and independent", async () => {
    const name = uniqueName("repl-promote");
    const created = await createSecret(name, "shared", { AddReplicaRegions: [{ Region: "ca-central-1" }, { Region: "me-south-1" }] });
    await settled(name);
    const fromPrimary = await sm("StopReplicationToReplica", { SecretId: name });
    expect(fromPrimary.body.__type).toBe("InvalidParameterException");
    const promoted = await sm("StopReplicationToReplica", { SecretId: inRegion(created.ARN, "ca-central-1") }, { region: "ca-central-1" });
    expect(promoted.body).toEqual({ ARN: inRegion(created.ARN, "ca-central-1") });
    expect((await statuses(name)).map((r) => r.Region)).toEqual(["me-south-1"]);
    const put = await sm("PutSecretValue", { SecretId: name, SecretString: "mine", ClientRequestToken: token() }, { region: "ca-central-1" });
    expect(put.status).toBe(200);
    expect((await sm("DescribeSecret", { SecretId: name }, { region: "ca-central-1" })).body.PrimaryRegion).toBeUndefined();
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "primary", ClientRequestToken: token() })).status).toBe(200);
    await settled(name);
    expect((await value(name, "ca-central-1")).body.SecretString).toBe("mine");
    expect((await value(name, "me-south-1")).body.SecretString).toBe("primary");
  });
});

describe("sync through the outbox", () => {
  it("re-adding a region with another KmsKeyId re-seals every version of that replica under the new key", async () => {
    const name = uniqueName("repl-rekey");
    await createSecret(name, "v1", { AddReplicaRegions: [{ Region: "eu-north-1" }] });
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "v2", ClientRequestToken: token() })).status).toBe(200);
    await settled(name);
    const rekeyed = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: "eu-north-1", KmsKeyId: "alias/payments" }] });
    expect(rekeyed.body.ReplicationStatus).toEqual([{ Region: "eu-north-1", KmsKeyId: "alias/payments", Status: "InProgress" }]);
    expect((await settled(name))[0]).toMatchObject({ KmsKeyId: "alias/payments", Status: "InSync" });
    const keys = await runInDurableObject(secretStub(name, { region: "eu-north-1" }), (_i, state) =>
      state.storage.sql.exec("SELECT DISTINCT kms_key_id FROM versions").toArray().map((r) => r.kms_key_id));
    expect(keys).toEqual(["alias/payments"]);
    expect((await value(name, "eu-north-1")).body.SecretString).toBe("v2");
    expect((await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPREVIOUS" }, { region: "eu-north-1" })).body.SecretString).toBe("v1");
  });

  it("applies snapshots in order and idempotently: a repeated or older delivery changes nothing", async () => {
    const name = uniqueName("repl-order");
    await createSecret(name, "v1", { AddReplicaRegions: [{ Region: "eu-central-1" }] });
    await settled(name);
    const snapshotNow = () =>
      runInDurableObject(secretStub(name), async (instance) => {
        const r = (instance as unknown as { replication: any; store: any }).replication;
        const s = (instance as unknown as { store: any }).store.secret();
        const ids = (instance as unknown as { store: any }).store.versionPage(undefined, true, 1000).map((v: { versionId: string }) => v.versionId);
        const snap = r.snapshot(s, "eu-central-1", null, r.rows.get("eu-central-1").epoch, false, ids) as ReplicaSnapshot;
        snap.versions = await r.seal(s.arn, snap, "alias/aws/secretsmanager", ids);
        return snap;
      });
    const old = await snapshotNow();
    expect((await sm("UpdateSecret", { SecretId: name, Description: "newer" })).status).toBe(200);
    await settled(name);
    const replica = secretStub(name, { region: "eu-central-1" });
    const revision = () => runInDurableObject(replica, (_i, state) => state.storage.sql.exec("SELECT revision FROM secret").one().revision as number);
    const before = await revision();
    // The older snapshot arrives late: ignored.
    expect(await runInDurableObject(replica, (i) => (i as unknown as SecretObject).applyReplica(old))).toMatchObject({ applied: true });
    expect(await revision()).toBe(before);
    expect((await sm("DescribeSecret", { SecretId: name }, { region: "eu-central-1" })).body.Description).toBe("newer");
    // The same (newest) snapshot twice: the second changes nothing.
    const fresh = await snapshotNow();
    await runInDurableObject(replica, (i) => (i as unknown as SecretObject).applyReplica(fresh));
    const once = await revision();
    await runInDurableObject(replica, (i) => (i as unknown as SecretObject).applyReplica(fresh));
    expect(await revision()).toBe(once);
    // A burst of values: the replica ends on the last one, AWSCURRENT where the primary has it.
    let last = "";
    for (let i = 0; i < 12; i++) {
      last = `burst-${i}`;
      expect((await sm("PutSecretValue", { SecretId: name, SecretString: last, ClientRequestToken: token() })).status).toBe(200);
    }
    await settled(name);
    expect((await value(name, "eu-central-1")).body.SecretString).toBe(last);
    const stages = async (region: string) => (await sm("DescribeSecret", { SecretId: name }, { region })).body.VersionIdsToStages;
    expect(await stages("eu-central-1")).toEqual(await stages(PRIMARY));
  });

  it("a rotation's outcome reaches the replica: the new AWSCURRENT, LastRotatedDate, NextRotationDate and RotationRules", async () => {
    const region = "ap-east-1";
    const { name } = await replicatedSecret("repl-rotated", region);
    const crt = token();
    const rules = { AutomaticallyAfterDays: 3 };
    expect((await sm("RotateSecret", { SecretId: name, ClientRequestToken: crt, RotationLambdaARN: PASSWORDS, RotationRules: rules })).status).toBe(200);
    let primary = (await sm("DescribeSecret", { SecretId: name })).body;
    for (let i = 0; i < 200 && primary.LastRotatedDate === undefined; i++) {
      await sleep(50);
      primary = (await sm("DescribeSecret", { SecretId: name })).body;
    }
    expect(primary.VersionIdsToStages[crt]).toContain("AWSCURRENT");
    await settled(name);
    const replica = (await sm("DescribeSecret", { SecretId: name }, { region })).body;
    const rotation = (d: Record<string, unknown>) =>
      Object.fromEntries(["RotationEnabled", "RotationLambdaARN", "RotationRules", "LastRotatedDate", "NextRotationDate", "VersionIdsToStages"].map((k) => [k, d[k]]));
    expect(rotation(replica)).toEqual(rotation(primary));
    expect(replica.RotationRules).toEqual(rules);
    expect((await value(name, region)).body).toMatchObject({ VersionId: crt, SecretString: (await value(name, PRIMARY)).body.SecretString });
  });

  it("a rotation's value-less AWSPENDING placeholder does not hold up a replica; the version follows once it has a value", async () => {
    const region = "eu-west-1";
    const { name } = await replicatedSecret("repl-rotating", region);
    const pending = token();
    const rotated = await sm("RotateSecret", { SecretId: name, ClientRequestToken: pending, RotationLambdaARN: UNREACHABLE });
    expect(rotated.status).toBe(200);
    expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "during", Value: "rotation" }] })).status).toBe(200);
    expect((await settled(name))[0]!.Status).toBe("InSync");
    const replica = (await sm("DescribeSecret", { SecretId: name }, { region })).body;
    expect(replica).toMatchObject({ Tags: [{ Key: "during", Value: "rotation" }], RotationEnabled: true });
    expect(replica.VersionIdsToStages).not.toHaveProperty(pending);
    // The function's PutSecretValue fills the placeholder: the replica gets the version, AWSPENDING with it.
    expect((await sm("PutSecretValue", { SecretId: name, ClientRequestToken: pending, SecretString: "v2", VersionStages: ["AWSPENDING"] })).status).toBe(200);
    expect((await settled(name))[0]!.Status).toBe("InSync");
    expect((await sm("GetSecretValue", { SecretId: name, VersionStage: "AWSPENDING" }, { region })).body).toMatchObject({ SecretString: "v2", VersionId: pending });
  });

  it("an unavailable region is retried (InProgress, then Failed with a StatusMessage) without blocking another or the primary, and catches up", async () => {
    const name = uniqueName("repl-fault");
    await createSecret(name, "before", { AddReplicaRegions: [{ Region: "ap-northeast-1" }, { Region: "ap-south-1" }] });
    await settled(name);
    await unavailable(name, "ap-northeast-1");
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "after", ClientRequestToken: token() })).status).toBe(200);
    // The healthy region catches up on its own.
    for (let i = 0; i < 100 && (await value(name, "ap-south-1")).body.SecretString !== "after"; i++) await sleep(50);
    expect((await value(name, "ap-south-1")).body.SecretString).toBe("after");
    let [down, up] = await statuses(name);
    expect(up).toMatchObject({ Region: "ap-south-1", Status: "InSync" });
    expect(down).toMatchObject({ Region: "ap-northeast-1", Status: "InProgress" });
    // Retries by the alarm: after three failed deliveries the region reports Failed, with why.
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(secretStub(name));
    [down] = await statuses(name);
    expect(down).toMatchObject({ Status: "Failed", StatusMessage: expect.stringContaining("ap-northeast-1") });
    // The primary keeps serving; the stale replica still answers with what it had.
    expect((await value(name, PRIMARY)).body.SecretString).toBe("after");
    expect((await value(name, "ap-northeast-1")).body.SecretString).toBe("before");
    // The region returns: the next retry brings it up to date.
    await unavailable(name, "");
    for (let i = 0; i < 6 && (await statuses(name))[0]!.Status !== "InSync"; i++) await runDurableObjectAlarm(secretStub(name));
    expect((await settled(name)).map((r) => r.Status)).toEqual(["InSync", "InSync"]);
    expect((await value(name, "ap-northeast-1")).body.SecretString).toBe("after");
  });
});

describe("a promoted replica is fenced off from its former primary", () => {
  /**
   * Holds the primary's deliveries to `region` in flight: each snapshot (or drop) is kept and the call fails, as a
   * timeout would, so the test can make it arrive at the replica later, in whatever order it wants. release() lets
   * the primary's deliveries through again.
   */
  async function holdDeliveries(name: string, region: string) {
    const held: ReplicaSnapshot[] = [];
    const drops: { primaryArn: string; epoch: number }[] = [];
    type Replication = { objectOf: (arn: string) => unknown };
    const replicationOf = (instance: unknown) => (instance as { replication: Replication }).replication;
    let real: Replication["objectOf"] | undefined;
    await runInDurableObject(secretStub(name), (instance) => {
      const replication = replicationOf(instance);
      real = replication.objectOf;
      replication.objectOf = (arn: string) =>
        arn.includes(`:${region}:`)
          ? {
              applyReplica: async (snapshot: ReplicaSnapshot) => { held.push(snapshot); throw new Error("held in flight"); },
              dropReplica: async (primaryArn: string, epoch: number) => { drops.push({ primaryArn, epoch }); throw new Error("held in flight"); },
            }
          : real!(arn);
    });
    const release = () => runInDurableObject(secretStub(name), (instance) => void (replicationOf(instance).objectOf = real!));
    return { held, drops, release };
  }

  const deliverLate = (name: string, region: string, snapshot: ReplicaSnapshot) =>
    runInDurableObject(secretStub(name, { region }), (i) => (i as unknown as SecretObject).applyReplica(snapshot));

  it("a ForceOverwriteReplicaSecret delivery in flight at promotion never overwrites the promoted secret's acknowledged write", async () => {
    const region = "eu-south-1";
    const { name, created } = await replicatedSecret("repl-fence", region, "from-primary");
    const { held } = await holdDeliveries(name, region);
    // The region started over with ForceOverwriteReplicaSecret: its delivery leaves the primary and is held.
    const forced = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }], ForceOverwriteReplicaSecret: true });
    expect(forced.status).toBe(200);
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(20);
    expect(held.map((s) => s.overwrite)).toEqual([true]);
    // Meanwhile the replica is promoted and the standalone secret accepts a write.
    const promoted = await sm("StopReplicationToReplica", { SecretId: inRegion(created.ARN, region) }, { region });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    const written = await sm("PutSecretValue", { SecretId: name, SecretString: "acknowledged", ClientRequestToken: token() }, { region });
    expect(written.status).toBe(200);
    // The held delivery arrives now (and again, as a retry would): refused both times, the write stands.
    const acks = [await deliverLate(name, region, held[0]!), await deliverLate(name, region, held[0]!)];
    expect((await value(name, region)).body).toMatchObject({ SecretString: "acknowledged", VersionId: written.body.VersionId });
    for (const ack of acks) expect(ack).not.toHaveProperty("applied");
    const described = await sm("DescribeSecret", { SecretId: name }, { region });
    expect(described.body.PrimaryRegion).toBeUndefined();
    expect((await statuses(name))).toEqual([]);
  });

  it("a delivery in flight when its region is removed does not bring the replica back; adding the region again does", async () => {
    const region = "il-central-1";
    const { name } = await replicatedSecret("repl-dropfence", region);
    const { held, release } = await holdDeliveries(name, region);
    await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }], ForceOverwriteReplicaSecret: true });
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(20);
    await release();
    expect((await sm("RemoveRegionsFromReplication", { SecretId: name, RemoveReplicaRegions: [region] })).status).toBe(200);
    for (let i = 0; i < 100 && (await value(name, region)).status === 200; i++) await sleep(50);
    expect((await value(name, region)).body.__type).toBe("ResourceNotFoundException");
    const ack = await deliverLate(name, region, held[0]!);
    expect((await value(name, region)).body.__type).toBe("ResourceNotFoundException");
    expect(ack).not.toHaveProperty("applied");
    expect((await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }] })).status).toBe(200);
    expect((await settled(name))[0]).toMatchObject({ Region: region, Status: "InSync" });
    expect((await value(name, region)).body.SecretString).toBe("v1");
  });

  it("a removal's drop still on its way when the region is added back leaves the new replica alone", async () => {
    const region = "me-central-1";
    const { name } = await replicatedSecret("repl-late-drop", region);
    const { drops, release } = await holdDeliveries(name, region);
    expect((await sm("RemoveRegionsFromReplication", { SecretId: name, RemoveReplicaRegions: [region] })).status).toBe(200);
    for (let i = 0; i < 100 && drops.length === 0; i++) await sleep(20);
    expect(drops).toHaveLength(1);
    await release();
    expect((await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }] })).status).toBe(200);
    expect((await settled(name))[0]).toMatchObject({ Region: region, Status: "InSync" });
    const { primaryArn, epoch } = drops[0]!;
    await runInDurableObject(secretStub(name, { region }), (i) => (i as unknown as SecretObject).dropReplica(primaryArn, epoch));
    expect((await value(name, region)).body).toMatchObject({ SecretString: "v1" });
    expect((await sm("DescribeSecret", { SecretId: name }, { region })).body.PrimaryRegion).toBe(PRIMARY);
  });

  it("re-replicating to that region later follows AWS: Failed without ForceOverwriteReplicaSecret, replaced with it", async () => {
    const region = "eu-central-2";
    const { name, created } = await replicatedSecret("repl-refence", region, "from-primary");
    const { held, release } = await holdDeliveries(name, region);
    await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }], ForceOverwriteReplicaSecret: true });
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(20);
    expect((await sm("StopReplicationToReplica", { SecretId: name }, { region })).status).toBe(200);
    expect((await sm("PutSecretValue", { SecretId: name, SecretString: "standalone", ClientRequestToken: token() }, { region })).status).toBe(200);
    // The primary's deliveries go through again from here on.
    await release();

    const plain = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }] });
    expect(plain.status).toBe(200);
    expect(await settled(name)).toEqual([
      { Region: region, KmsKeyId: "alias/aws/secretsmanager", Status: "Failed", StatusMessage: "Secret with this name already exists in this region" },
    ]);
    expect((await value(name, region)).body.SecretString).toBe("standalone");

    const forced = await sm("ReplicateSecretToRegions", { SecretId: name, AddReplicaRegions: [{ Region: region }], ForceOverwriteReplicaSecret: true });
    expect(forced.status).toBe(200);
    expect((await settled(name))[0]).toMatchObject({ Region: region, Status: "InSync" });
    expect((await value(name, region)).body).toMatchObject({ SecretString: "from-primary", ARN: inRegion(created.ARN, region) });
    expect((await sm("DescribeSecret", { SecretId: name }, { region })).body.PrimaryRegion).toBe(PRIMARY);
    // The delivery held before the promotion still changes nothing at the replica the primary owns again.
    await deliverLate(name, region, held[0]!);
    expect((await value(name, region)).body.SecretString).toBe("from-primary");
  });
});
