// What the replication operations share: checking the regions a request names, and ReplicationStatus on the wire.
import type { z } from "zod";
import type { AddReplicaRegions } from "../domain/schemas";
import { AwsError } from "../protocol/errors";
import { seconds } from "../protocol/json";
import { MAX_REPLICA_REGIONS, type ReplicationStatusView } from "../secret-object/replication";
import type { ReplicaRegion } from "../secret-object/types";

/** AddReplicaRegions checked: each names a region once, and not the secret's own (where the call is made). */
export function replicaRegions(input: z.output<typeof AddReplicaRegions>, ownRegion: string): ReplicaRegion[] {
  const regions = input.map((r) => {
    if (r.Region === undefined) throw new AwsError("InvalidParameterException", "Each replica Region must name a Region.");
    return { region: r.Region, kmsKeyId: r.KmsKeyId || undefined };
  });
  checkRegions(regions.map((r) => r.region), ownRegion);
  if (regions.length > MAX_REPLICA_REGIONS) {
    throw new AwsError("InvalidParameterException", `A secret can have at most ${MAX_REPLICA_REGIONS} replica Regions.`);
  }
  return regions;
}

/** A list of regions names each once, and not the primary's own region. */
export function checkRegions(regions: readonly string[], ownRegion: string): void {
  if (regions.includes(ownRegion)) {
    throw new AwsError("InvalidParameterException", `Invalid replica Region: ${ownRegion} is the primary secret's own Region.`);
  }
  const repeated = regions.find((r, i) => regions.indexOf(r) !== i);
  if (repeated) throw new AwsError("InvalidParameterException", `The Region ${repeated} is listed more than once.`);
}

/** ReplicationStatusType: no StatusMessage while InProgress, no LastAccessedDate before a read in that region. */
export const replicationStatus = (statuses: readonly ReplicationStatusView[]) =>
  statuses.map((r) => ({
    Region: r.region,
    KmsKeyId: r.kmsKeyId,
    Status: r.status,
    StatusMessage: r.statusMessage,
    LastAccessedDate: seconds(r.lastAccessedAt),
  }));
