// The records a secret's object commits with its mutations (pure): the record of an API call, prepared by the Worker
// (prepared-call.ts) and completed with the operation's answer as the Worker sends it, and the service events of
// version deletion (StartSecretVersionDelete, CancelSecretVersionDelete, EndSecretVersionDelete).
import { type TrailEntry, toEntry } from "./events-db";
import type { PreparedCall } from "./prepared-call";
import { type ServiceEventName, apiCallRecord, serviceEventRecord } from "./record";

/** What the object answers a state change with (camelCase; secret-object/types.ts). */
interface ObjectAnswer {
  arn?: string;
  name?: string;
  versionId?: string;
  versionStages?: string[];
  deletionDate?: number;
  replicationStatus?: { region: string; kmsKeyId: string; status: string; statusMessage?: string; lastAccessedAt?: number }[];
}

/** Each state-changing operation's answer members (the API model's output shapes). */
const ANSWER_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  CreateSecret: ["ARN", "Name", "VersionId", "ReplicationStatus"],
  PutSecretValue: ["ARN", "Name", "VersionId", "VersionStages"],
  UpdateSecret: ["ARN", "Name", "VersionId"],
  UpdateSecretVersionStage: ["ARN", "Name"],
  DeleteSecret: ["ARN", "Name", "DeletionDate"],
  RestoreSecret: ["ARN", "Name"],
  TagResource: [],
  UntagResource: [],
  RotateSecret: ["ARN", "Name", "VersionId"],
  CancelRotateSecret: ["ARN", "Name", "VersionId"],
  PutResourcePolicy: ["ARN", "Name"],
  DeleteResourcePolicy: ["ARN", "Name"],
  ReplicateSecretToRegions: ["ARN", "ReplicationStatus"],
  RemoveRegionsFromReplication: ["ARN", "ReplicationStatus"],
  StopReplicationToReplica: ["ARN"],
};

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The wire answer of an operation from the object's answer, as its handler in src/operations/ sends it. */
function wireAnswer(members: readonly string[], a: ObjectAnswer): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    ARN: a.arn,
    Name: a.name,
    VersionId: a.versionId,
    // Empty fields are omitted, as everywhere on the wire.
    VersionStages: a.versionStages?.length ? a.versionStages : undefined,
    DeletionDate: seconds(a.deletionDate),
    ReplicationStatus: a.replicationStatus?.map((r) => ({
      Region: r.region, KmsKeyId: r.kmsKeyId, Status: r.status, StatusMessage: r.statusMessage, LastAccessedDate: seconds(r.lastAccessedAt),
    })),
  };
  return Object.fromEntries(members.map((m) => [m, wire[m]]));
}

/** Whether the object records this call itself (a successful state change of a known operation). */
export const recordsInObject = (call: PreparedCall): boolean => Object.hasOwn(ANSWER_MEMBERS, call.eventName);

/** The trail entry of a successful call, completed with the object's answer. */
export function callEntry(call: PreparedCall, answer: object): TrailEntry {
  const response = wireAnswer(ANSWER_MEMBERS[call.eventName] ?? [], answer as ObjectAnswer);
  return toEntry(apiCallRecord({ ...call, response }), call.eventTime);
}

export type VersionDeletionEvent = Extract<ServiceEventName, `${string}SecretVersionDelete`>;

/** One service event per version, e.g. EndSecretVersionDelete of each version a purge removed. */
export function versionEntries(
  eventName: VersionDeletionEvent,
  secret: { arn: string; accountId: string; region: string },
  versionIds: readonly string[],
  now = Date.now(),
): TrailEntry[] {
  return versionIds.map((versionId) => {
    const built = serviceEventRecord({
      eventName, eventTime: now, eventId: crypto.randomUUID(), requestId: crypto.randomUUID(),
      region: secret.region, accountId: secret.accountId, secretArn: secret.arn, versionId,
    });
    return toEntry(built, now);
  });
}
