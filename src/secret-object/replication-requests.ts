// The replication state changes, each through the one commit path: on a primary, regions added or removed and a
// replica forgotten; on a replica, a primary's delivery applied or dropped, and the promotion to a standalone secret.
import type { Auth } from "../authz/secret";
import { invalidParameter, notFound } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import { arnInRegion } from "../domain/secret-id";
import type { Access } from "./access";
import type { Commits } from "./commits";
import { type Replica, isReplica, primaryArnOf } from "./replica";
import type { ReplicaAck, ReplicaSnapshot } from "./replica-sync";
import type { Replication } from "./replication";
import type { Store } from "./store";
import type { Identity, ReplicaRegion, ReplicationResult, Target } from "./types";

/** What a replica being promoted calls on its primary's object (SecretObject.forgetReplica). */
export interface PrimaryObject {
  forgetReplica(region: string, replicaArn: string): Promise<number>;
}

export class ReplicationRequests {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly replication: Replication,
    private readonly replica: Replica,
    private readonly commits: Commits,
    private readonly objectOf: (arn: string) => PrimaryObject,
  ) {}

  /** ReplicateSecretToRegions: regions added (or started over); each replica is written by its own delivery. */
  async replicate(auth: Auth, target: Target, regions: ReplicaRegion[], overwrite: boolean): Promise<Result<ReplicationResult>> {
    return await this.commits.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const replicas = this.replication.add(s, regions, overwrite);
      if (!replicas.ok) return replicas;
      const added = new Set(regions.map((r) => r.region));
      return ok({ arn: s.arn, name: s.name, replicationStatus: this.replication.statuses().filter((r) => added.has(r.region)) });
    }, auth);
  }

  /** RemoveRegionsFromReplication: the replicas are deleted by their destinations' next delivery. */
  async removeRegions(auth: Auth, target: Target, regions: string[]): Promise<Result<ReplicationResult>> {
    return await this.commits.commit(() => {
      const secret = this.access.writable(this.access.existing(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      this.replication.remove(s, regions);
      return ok({ arn: s.arn, name: s.name, replicationStatus: this.replication.statuses() });
    }, auth);
  }

  /** StopReplicationToReplica, in the replica's region: the primary forgets it first, then it stands alone. */
  async promote(auth: Auth, target: Target): Promise<Result<Identity>> {
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const s = secret.value;
    if (!isReplica(s)) return fail(invalidParameter("StopReplicationToReplica can only be called on a replica secret, in its Region."));
    let epoch: number;
    try {
      epoch = await this.objectOf(primaryArnOf(s)).forgetReplica(s.region, s.arn);
    } catch (error) {
      console.error(JSON.stringify({ event: "promote_failed", arn: s.arn, error: String(error) }));
      return fail({ code: "InternalServiceError", message: "The primary secret could not be reached; the replica was not promoted. Try again." });
    }
    return await this.commits.commit(() => {
      const current = this.store.secret();
      if (current?.arn !== s.arn || !isReplica(current)) return fail(notFound());
      // Deliveries the primary sent before it forgot this replica may still arrive: they are refused from here on.
      this.replica.promote(primaryArnOf(current), epoch);
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  /** Called by a primary's delivery (replica-sync.ts). */
  async applyReplica(snapshot: ReplicaSnapshot): Promise<ReplicaAck> {
    const answer = this.replica.check(snapshot);
    if (answer) return answer;
    const applied = await this.commits.commit(() => ok(this.replica.apply(snapshot)));
    return applied.ok ? applied.value : { missing: snapshot.versionIds };
  }

  /** Called by a primary's delivery after its region was removed (also where no replica was created yet). */
  async dropReplica(primaryArn: string, epoch: number): Promise<void> {
    await this.commits.commit(() => ok(this.replica.drop(primaryArn, epoch)));
  }

  /** Called by a replica being promoted; answers the newest epoch of any delivery this object has sent. */
  async forgetReplica(region: string, replicaArn: string): Promise<number> {
    if (!this.store.written) return 0;
    const forgotten = await this.commits.commit(() => {
      const s = this.store.secret();
      if (s && arnInRegion(s.arn, region) === replicaArn) this.replication.forget(s, region);
      return ok(this.replication.epoch());
    });
    return forgotten.ok ? forgotten.value : 0;
  }
}
