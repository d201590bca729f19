// Typed SQL over the replication tables (schema.ts migrations 5 and 7): on a primary, one row per replica region with
// its ReplicationStatus, delivery progress and epoch; on a replica, the stamp of the newest snapshot it applied, and
// once promoted, the epochs of the primary it left.
export type ReplicationState = "InProgress" | "InSync" | "Failed";

export interface ReplicaRow {
  region: string;
  /** The KmsKeyId as the caller gave it; null = the default key. */
  kmsKeyId: string | null;
  status: ReplicationState;
  statusMessage: string | null;
  lastAccessedDay: number | null;
  /** ForceOverwriteReplicaSecret was given: a secret of that name in the region is replaced. */
  overwrite: boolean;
  /** Changes queued for the region, and the last of them the replica acknowledged. */
  wanted: number;
  synced: number;
  /** The newest version sequence number the replica holds (0: send every version). */
  sentSeq: number;
  /** Consecutive failed deliveries. */
  failures: number;
  /** Set each time the region is added: a delivery's answer counts only for the epoch it was sent for. */
  epoch: number;
}

export class ReplicaRows {
  constructor(private readonly sql: SqlStorage) {}

  all(): ReplicaRow[] {
    return this.sql.exec("SELECT * FROM replicas ORDER BY position").toArray().map((r) => ({
      region: r.region as string,
      kmsKeyId: r.kms_key_id as string | null,
      status: r.status as ReplicationState,
      statusMessage: r.status_message as string | null,
      lastAccessedDay: r.last_accessed_day as number | null,
      overwrite: r.overwrite === 1,
      wanted: r.wanted as number,
      synced: r.synced as number,
      sentSeq: r.sent_seq as number,
      failures: r.failures as number,
      epoch: r.epoch as number,
    }));
  }

  get(region: string): ReplicaRow | undefined {
    return this.all().find((r) => r.region === region);
  }

  /** Adds a region, or starts it over (new key, overwrite flag, every version sent again), under a new epoch. */
  add(region: string, kmsKeyId: string | null, overwrite: boolean): void {
    const epoch = this.sql
      .exec("INSERT INTO replica_epoch (id, epoch) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET epoch = epoch + 1 RETURNING epoch")
      .one().epoch as number;
    this.sql.exec(
      `INSERT INTO replicas (region, kms_key_id, status, overwrite, epoch, position)
       VALUES (?, ?, 'InProgress', ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM replicas))
       ON CONFLICT (region) DO UPDATE SET kms_key_id = excluded.kms_key_id, status = 'InProgress', status_message = NULL,
         overwrite = excluded.overwrite, epoch = excluded.epoch, sent_seq = 0, failures = 0`,
      region, kmsKeyId, overwrite ? 1 : 0, epoch,
    );
  }

  /** The newest epoch this primary gave any region (0: none yet); every later add() gets a greater one. */
  epoch(): number {
    return (this.sql.exec("SELECT epoch FROM replica_epoch WHERE id = 1").toArray()[0]?.epoch as number | undefined) ?? 0;
  }

  remove(region: string): void {
    this.sql.exec("DELETE FROM replicas WHERE region = ?", region);
  }

  /** A change every replica must receive: InProgress until it acknowledges it. */
  changed(): { region: string; epoch: number }[] {
    return this.sql
      .exec("UPDATE replicas SET wanted = wanted + 1, status = 'InProgress', status_message = NULL RETURNING region, epoch")
      .toArray()
      .map((r) => ({ region: r.region as string, epoch: r.epoch as number }));
  }

  /**
   * The replica acknowledged changes up to `wanted` and holds versions up to `sentSeq` under `kmsKeyId` (a region
   * re-added with another key meanwhile keeps sent_seq 0, so its next delivery re-seals every version).
   */
  delivered(region: string, epoch: number, wanted: number, sentSeq: number, lastAccessedDay: number | null, kmsKeyId: string | null): void {
    this.sql.exec(
      `UPDATE replicas SET synced = MAX(synced, ?1), last_accessed_day = ?3, failures = 0,
         sent_seq = CASE WHEN kms_key_id IS ?5 THEN MAX(sent_seq, ?2) ELSE sent_seq END,
         overwrite = 0,
         status = CASE WHEN wanted <= MAX(synced, ?1) THEN 'InSync' ELSE status END,
         status_message = CASE WHEN wanted <= MAX(synced, ?1) THEN 'Replication succeeded' ELSE status_message END
       WHERE region = ?4 AND epoch = ?6`,
      wanted, sentSeq, lastAccessedDay, region, kmsKeyId, epoch,
    );
  }

  /** A delivery that cannot succeed by retrying (a secret of that name exists there, the key is unusable). */
  failed(region: string, epoch: number, message: string): void {
    this.sql.exec("UPDATE replicas SET status = 'Failed', status_message = ? WHERE region = ? AND epoch = ?", message, region, epoch);
  }

  /** A delivery that will be retried; after `failAfter` attempts the status reports the failure. */
  attemptFailed(region: string, epoch: number, message: string, failAfter: number): void {
    this.sql.exec(
      `UPDATE replicas SET failures = failures + 1,
         status = CASE WHEN failures + 1 >= ?2 THEN 'Failed' ELSE status END,
         status_message = CASE WHEN failures + 1 >= ?2 THEN ?1 ELSE status_message END
       WHERE region = ?3 AND epoch = ?4`,
      message, failAfter, region, epoch,
    );
  }

  /** On a replica: the newest snapshot applied (0: none). */
  stamp(): number {
    return (this.sql.exec("SELECT stamp FROM replica_stamp WHERE id = 1").toArray()[0]?.stamp as number | undefined) ?? 0;
  }

  /** On a replica: the epoch of the newest snapshot applied (0: none). */
  appliedEpoch(): number {
    return (this.sql.exec("SELECT epoch FROM replica_stamp WHERE id = 1").toArray()[0]?.epoch as number | undefined) ?? 0;
  }

  setStamp(stamp: number, epoch: number): void {
    this.sql.exec(
      "INSERT INTO replica_stamp (id, stamp, epoch) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, epoch = excluded.epoch",
      stamp, epoch,
    );
  }

  clearStamp(): void {
    this.sql.exec("DELETE FROM replica_stamp");
  }

  /** On a replica promoted or removed: that primary's deliveries of `epoch` and before are refused from now on. */
  fence(primaryArn: string, epoch: number): void {
    this.sql.exec(
      "INSERT INTO replica_fences (primary_arn, epoch) VALUES (?, ?) ON CONFLICT (primary_arn) DO UPDATE SET epoch = MAX(epoch, excluded.epoch)",
      primaryArn, epoch,
    );
  }

  /** Whether a delivery of that primary's `epoch` reaches a replica that left it. */
  fenced(primaryArn: string, epoch: number): boolean {
    return this.sql.exec("SELECT 1 FROM replica_fences WHERE primary_arn = ? AND epoch >= ?", primaryArn, epoch).toArray().length > 0;
  }
}
