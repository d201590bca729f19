// The replica's side of replication: a replica is an ordinary secret object in its region's namespace whose state
// comes only from its primary's snapshots (replica-sync.ts). It answers reads alone, refuses writes (Access), and
// becomes a standalone secret when promoted (StopReplicationToReplica).
import { arnInRegion, regionOfArn } from "../domain/secret-id";
import type { IndexSync } from "./index-sync";
import type { ReplicaRows } from "./replica-rows";
import { type ReplicaAck, type ReplicaSnapshot, NAME_EXISTS_IN_REGION, LEFT_REPLICATION } from "./replica-sync";
import type { SecretRow, Store } from "./store";

/** Whether a secret is a replica (its primary is in another region). */
export const isReplica = (s: SecretRow): boolean => s.primaryRegion !== null && s.primaryRegion !== s.region;

/** The ARN of a replica's primary. */
export const primaryArnOf = (s: SecretRow): string => arnInRegion(s.arn, s.primaryRegion!);

export class Replica {
  constructor(
    private readonly store: Store,
    private readonly rows: ReplicaRows,
    private readonly index: IndexSync,
  ) {}

  /** Whether the secret here is the replica of that primary. */
  private of(s: SecretRow | undefined, primaryArn: string): boolean {
    return !!s && isReplica(s) && s.primaryRegion === regionOfArn(primaryArn) && s.arn === arnInRegion(primaryArn, s.region);
  }

  /**
   * What to answer without applying: a delivery sent before this replica was promoted or removed, arriving after it
   * (even with ForceOverwriteReplicaSecret it must not replace what a standalone secret has accepted since, nor bring
   * back a removed replica), a conflict with another secret of the name, a snapshot already applied (or older than one
   * applied), or versions the snapshot must carry; undefined = apply it. Called in the same synchronous turn as the
   * transaction that applies it, so no promotion can come between.
   */
  check(snapshot: ReplicaSnapshot): ReplicaAck | undefined {
    if (this.store.written && this.rows.fenced(snapshot.primaryArn, snapshot.epoch ?? 0)) return { conflict: LEFT_REPLICATION };
    const s = this.store.secret();
    const mine = this.of(s, snapshot.primaryArn);
    if (s && !mine && !snapshot.overwrite) return { conflict: NAME_EXISTS_IN_REGION };
    if (mine && snapshot.stamp <= this.rows.stamp()) return { applied: true, lastAccessedDay: s!.lastAccessedAt };
    const carried = new Set(snapshot.versions.map((v) => v.versionId));
    const missing = snapshot.versionIds.filter((id) => !carried.has(id) && !(mine && this.store.version(id)));
    return missing.length > 0 ? { missing } : undefined;
  }

  /** Brings this object to the snapshot's state. Call inside a transaction, after check(). */
  apply(snapshot: ReplicaSnapshot): ReplicaAck {
    this.store.write();
    const current = this.store.secret();
    const mine = this.of(current, snapshot.primaryArn);
    const arn = arnInRegion(snapshot.primaryArn, snapshot.region);
    if (current && !mine) {
      // ForceOverwriteReplicaSecret: the other secret of this name goes, its index row with it.
      this.store.purge();
      this.rows.clearStamp();
      if (current.arn !== arn) this.index.enqueueDelete(current.arn);
    }
    const { revision: _r, resourcePolicy, ...fields } = snapshot.fields;
    const own = { arn, region: snapshot.region, kmsKeyId: snapshot.kmsKeyId, primaryRegion: regionOfArn(snapshot.primaryArn) };
    if (mine) {
      this.store.updateSecret({ ...fields, ...own });
    } else {
      this.store.insertSecret({ ...(fields as SecretRow), ...own, lastAccessedAt: null, resourcePolicy: null, revision: 1 });
    }
    this.store.setResourcePolicy(resourcePolicy ?? null);
    const keep = new Set(snapshot.tags.map((t) => t.Key));
    this.store.deleteTags(this.store.tags().map((t) => t.Key).filter((k) => !keep.has(k)));
    this.store.putTags(snapshot.tags);
    for (const v of snapshot.versions) {
      if (this.store.version(v.versionId)) this.store.replaceEnvelope(v.versionId, v.kmsKeyId, v.envelope);
      else this.store.insertVersion({ ...v, lastAccessedDay: null });
    }
    this.store.replaceStages(new Map(snapshot.stages));
    this.store.deleteVersionsExcept(snapshot.versionIds);
    this.rows.setStamp(snapshot.stamp, snapshot.epoch ?? 0);
    this.index.enqueueSnapshot();
    return { applied: true, lastAccessedDay: this.store.secret()!.lastAccessedAt };
  }

  /**
   * RemoveRegionsFromReplication: deletes this object's secret if it is still that primary's replica of that epoch or
   * before (a promoted one stays, so does one the region was added back for), and refuses that primary's deliveries
   * up to `epoch` from now on. Call inside a transaction.
   */
  drop(primaryArn: string, epoch: number): void {
    this.store.write();
    this.rows.fence(primaryArn, epoch);
    const s = this.store.secret();
    if (!s || !this.of(s, primaryArn) || this.rows.appliedEpoch() > epoch) return;
    this.store.purge();
    this.rows.clearStamp();
    this.index.enqueueDelete(s.arn);
  }

  /**
   * StopReplicationToReplica: a standalone secret from now on, refusing every delivery of `primaryArn` up to `epoch`
   * (the newest its primary had given out when it forgot this replica). Call inside a transaction.
   */
  promote(primaryArn: string, epoch: number): void {
    this.rows.fence(primaryArn, epoch);
    this.store.updateSecret({ primaryRegion: null });
    this.rows.clearStamp();
    this.index.enqueueSnapshot();
  }
}
