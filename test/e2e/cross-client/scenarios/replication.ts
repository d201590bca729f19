// Replication through every client, as AWS documents and was observed to answer: replicas readable in their regions (the region is the
// SigV4 scope's), every change propagating, a replica refusing writes with AWS's text, the name conflict with and
// without ForceOverwriteReplicaSecret, a replica's own KMS key, removal, promotion and the delete rule. The primary
// reports InProgress (no StatusMessage) until a region caught up, so "StatusMessage exists" is the wait.
import { expect } from "vitest";
import { REPLICA_KEY } from "../../server";
import { arnOf, containing, recent, ref, text, today } from "../matchers";
import type { Scenario, Step, StepResult } from "../types";
import { call, fails, succeeds } from "./common";

const REPLICATION_OPS = ["ReplicateSecretToRegions", "RemoveRegionsFromReplication", "StopReplicationToReplica"];
const REPLICA_WRITE = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
const NAME_EXISTS = "Secret with this name already exists in this region";
const DEFAULT_KEY = "alias/aws/secretsmanager";

/** DescribeSecret on the primary, repeated until region `i` reports a StatusMessage (InSync or Failed). */
const caughtUp = (name: string, i: number, expect: unknown): Step =>
  call("DescribeSecret", { SecretId: name }, succeeds(expect), { until: { path: `ReplicationStatus.${i}.StatusMessage`, exists: true, attempts: 100, delayMs: 100 } });

const inSync = (region: string, kmsKeyId = DEFAULT_KEY) => ({ Region: region, KmsKeyId: kmsKeyId, Status: "InSync", StatusMessage: "Replication succeeded" });

/** The replica's ARN is the primary's with the region changed: the same 6-character suffix. */
function sameSuffix(results: StepResult[], primary: number, replicas: number[]) {
  const suffix = (i: number) => String(results[i]?.body?.ARN).slice(-6);
  for (const i of replicas) expect(suffix(i), `step ${i}`).toBe(suffix(primary));
}

export const replicationScenarios: Scenario[] = [
  {
    title: "CreateSecret with AddReplicaRegions: each replica answers in its region under its own KMS key; every change reaches it; it refuses writes; the primary is deleted only after RemoveRegionsFromReplication",
    requires: REPLICATION_OPS,
    steps: (v) => [
      call("CreateSecret", {
        Name: v.name, SecretString: "one", ClientRequestToken: v.t[0],
        AddReplicaRegions: [{ Region: "eu-west-1" }, { Region: "ap-southeast-2", KmsKeyId: REPLICA_KEY }],
      }, succeeds({
        ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0],
        ReplicationStatus: [
          { Region: "eu-west-1", KmsKeyId: DEFAULT_KEY, Status: "InProgress" },
          { Region: "ap-southeast-2", KmsKeyId: REPLICA_KEY, Status: "InProgress" },
        ],
      }), { as: "c" }),
      caughtUp(v.name, 0, containing({})),
      // What Terraform's `replica` block reads back (kms_key_id, status, status_message) is what it wrote.
      caughtUp(v.name, 1, containing({ PrimaryRegion: "us-east-1", ReplicationStatus: [inSync("eu-west-1"), inSync("ap-southeast-2", REPLICA_KEY)] })),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: arnOf(v.name, "eu-west-1"), Name: v.name, VersionId: v.t[0], SecretString: "one", VersionStages: ["AWSCURRENT"], CreatedDate: recent(),
      }), { region: "eu-west-1" }),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: arnOf(v.name, "ap-southeast-2"), Name: v.name, VersionId: v.t[0], SecretString: "one", VersionStages: ["AWSCURRENT"], CreatedDate: recent(),
      }), { region: "ap-southeast-2" }),
      call("ListSecretVersionIds", { SecretId: v.name }, succeeds(containing({
        Versions: [{ VersionId: v.t[0], VersionStages: ["AWSCURRENT"], CreatedDate: recent(), LastAccessedDate: today(), KmsKeyIds: [REPLICA_KEY] }],
      })), { region: "ap-southeast-2" }),
      // Changes on the primary: value, description, tags.
      call("PutSecretValue", { SecretId: v.name, SecretString: "two", ClientRequestToken: v.t[1] }, succeeds({
        ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[1], VersionStages: ["AWSCURRENT"],
      })),
      call("UpdateSecret", { SecretId: v.name, Description: "replicated" }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("TagResource", { SecretId: v.name, Tags: [{ Key: "team", Value: "payments" }] }, succeeds({})),
      caughtUp(v.name, 0, containing({})),
      caughtUp(v.name, 1, containing({})),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ SecretString: "two", VersionId: v.t[1] })), { region: "eu-west-1" }),
      call("DescribeSecret", { SecretId: v.name }, succeeds(containing({
        ARN: arnOf(v.name, "eu-west-1"), Description: "replicated", Tags: [{ Key: "team", Value: "payments" }], PrimaryRegion: "us-east-1",
        VersionIdsToStages: { [v.t[0]!]: ["AWSPREVIOUS"], [v.t[1]!]: ["AWSCURRENT"] },
      })), { region: "eu-west-1" }),
      // A replica refuses writes; the primary refuses deletion while it has replicas.
      call("PutSecretValue", { SecretId: v.name, SecretString: "three", ClientRequestToken: v.t[2] }, fails("InvalidParameterException", REPLICA_WRITE), { region: "eu-west-1" }),
      call("DeleteSecret", { SecretId: v.name }, fails("InvalidParameterException", REPLICA_WRITE), { region: "ap-southeast-2" }),
      call("DeleteSecret", { SecretId: v.name, ForceDeleteWithoutRecovery: true }, fails("InvalidParameterException",
        text("You can't delete secret ", ref("c.ARN"), " that still has replica regions [eu-west-1, ap-southeast-2]."))),
      call("ReplicateSecretToRegions", { SecretId: v.name, AddReplicaRegions: [{ Region: "us-east-1" }] }, fails("InvalidParameterException")),
      call("RemoveRegionsFromReplication", { SecretId: v.name, RemoveReplicaRegions: ["eu-west-1", "ap-southeast-2"] }, succeeds({ ARN: ref("c.ARN"), ReplicationStatus: [] })),
      call("DeleteSecret", { SecretId: v.name, ForceDeleteWithoutRecovery: true }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: recent() })),
    ],
    verify: (results) => sameSuffix(results, 0, [3, 4]),
  },
  {
    title: "A region holding a secret of that name fails the replica with a StatusMessage; ForceOverwriteReplicaSecret replaces it",
    requires: REPLICATION_OPS,
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "theirs", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name, "eu-west-2"), Name: v.name, VersionId: v.t[0] }), { region: "eu-west-2" }),
      call("CreateSecret", { Name: v.name, SecretString: "ours", ClientRequestToken: v.t[1], AddReplicaRegions: [{ Region: "eu-west-2" }] }, succeeds({
        ARN: arnOf(v.name), Name: v.name, VersionId: v.t[1], ReplicationStatus: [{ Region: "eu-west-2", KmsKeyId: DEFAULT_KEY, Status: "InProgress" }],
      }), { as: "c" }),
      caughtUp(v.name, 0, containing({ ReplicationStatus: [{ Region: "eu-west-2", KmsKeyId: DEFAULT_KEY, Status: "Failed", StatusMessage: NAME_EXISTS }] })),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ SecretString: "theirs" })), { region: "eu-west-2" }),
      call("ReplicateSecretToRegions", { SecretId: v.name, AddReplicaRegions: [{ Region: "eu-west-2" }], ForceOverwriteReplicaSecret: true }, succeeds({
        ARN: ref("c.ARN"), ReplicationStatus: [{ Region: "eu-west-2", KmsKeyId: DEFAULT_KEY, Status: "InProgress" }],
      })),
      caughtUp(v.name, 0, containing({ ReplicationStatus: [inSync("eu-west-2")] })),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ ARN: arnOf(v.name, "eu-west-2"), SecretString: "ours", VersionId: v.t[1] })), { region: "eu-west-2" }),
    ],
    verify: (results) => sameSuffix(results, 1, [6]),
  },
  {
    title: "StopReplicationToReplica in the replica's region promotes it: writable, independent, no longer listed by the primary",
    requires: REPLICATION_OPS,
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "shared", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), { as: "c" }),
      call("ReplicateSecretToRegions", { SecretId: v.name, AddReplicaRegions: [{ Region: "ca-central-1" }, { Region: "sa-east-1" }] }, succeeds({
        ARN: ref("c.ARN"),
        ReplicationStatus: [
          { Region: "ca-central-1", KmsKeyId: DEFAULT_KEY, Status: "InProgress" },
          { Region: "sa-east-1", KmsKeyId: DEFAULT_KEY, Status: "InProgress" },
        ],
      })),
      caughtUp(v.name, 0, containing({})),
      caughtUp(v.name, 1, containing({})),
      call("StopReplicationToReplica", { SecretId: v.name }, fails("InvalidParameterException")),
      call("StopReplicationToReplica", { SecretId: v.name }, succeeds({ ARN: arnOf(v.name, "ca-central-1") }), { region: "ca-central-1" }),
      call("DescribeSecret", { SecretId: v.name }, succeeds(containing({ ReplicationStatus: [inSync("sa-east-1")] }))),
      call("PutSecretValue", { SecretId: v.name, SecretString: "mine", ClientRequestToken: v.t[1] }, succeeds({
        ARN: arnOf(v.name, "ca-central-1"), Name: v.name, VersionId: v.t[1], VersionStages: ["AWSCURRENT"],
      }), { region: "ca-central-1" }),
      call("PutSecretValue", { SecretId: v.name, SecretString: "primary", ClientRequestToken: v.t[2] }, succeeds(containing({ VersionId: v.t[2] }))),
      caughtUp(v.name, 0, containing({ ReplicationStatus: [inSync("sa-east-1")] })),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ SecretString: "mine" })), { region: "ca-central-1" }),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ SecretString: "primary" })), { region: "sa-east-1" }),
    ],
  },
];
