// The primary's side of replication: its replica regions (replica-rows.ts), each an outbox destination of its own
// (`replica:<region>`) so a slow or failing region never holds up another or the primary's answers. Every committed
// change queues an entry for each region; a delivery sends the replica one snapshot of the current state, with the
// versions it lacks sealed under its own KMS key and bound to its own ARN (replica-sync.ts).
import { DEFAULT_KEY_NAME } from "../crypto/keys";
import { invalidParameter } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import type { Metrics, ReplicationOutcome } from "../observability/metrics";
import type { DestinationFamily } from "../outbox/destination";
import { replicatedFields } from "../domain/secret-fields";
import { arnInRegion } from "../domain/secret-id";
import type { Outbox } from "./outbox";
import type { ReplicaRows } from "./replica-rows";
import type { ReplicaAck, ReplicaSnapshot, ReplicaVersion } from "./replica-sync";
import type { SecretRow, Store } from "./store";
import type { Vault } from "./vault";

export const REPLICA_PREFIX = "replica:";
/** Failed deliveries before ReplicationStatus reports Failed (retries go on, with the outbox's backoff). */
const FAIL_AFTER = 3;
/** A replica that does not answer within this is a failed delivery, retried later. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** Replica regions per secret: more than AWS has regions, so no real use is refused, but storage stays bounded. */
export const MAX_REPLICA_REGIONS = 40;

/** What the primary calls on a replica's object (SecretObject's replica methods). */
export interface ReplicaObject {
  applyReplica(snapshot: ReplicaSnapshot): Promise<ReplicaAck>;
  dropReplica(primaryArn: string, epoch: number): Promise<void>;
}

export interface ReplicationStatusView {
  region: string;
  kmsKeyId: string;
  status: string;
  statusMessage?: string;
  lastAccessedAt?: number;
}

/**
 * An outbox entry: which primary queued it (the drop of a removed replica is delivered after the primary is gone), and
 * the region's epoch then (the drop's fences off that epoch's deliveries still on their way).
 */
interface ReplicaEntry {
  primaryArn: string;
  epoch?: number;
}

export class Replication {
  private lastStamp = 0;

  constructor(
    private readonly store: Store,
    private readonly rows: ReplicaRows,
    private readonly vault: Vault,
    private readonly outbox: () => Outbox,
    /** The object of a secret's ARN (here: the replica's ARN, in its region). */
    private readonly objectOf: (arn: string) => ReplicaObject,
    /** Regions made unavailable by configuration (REPLICA_REGIONS_UNAVAILABLE): their deliveries fail. */
    private readonly unavailable: () => readonly string[],
    /** Where each delivery's outcome is counted. */
    private readonly metrics: () => Metrics,
  ) {}

  /** The outbox family of replica destinations. */
  family(): DestinationFamily {
    return {
      prefix: REPLICA_PREFIX,
      make: (name) => ({
        name,
        readYourWrites: false,
        deliver: async (entries) => {
          const region = name.slice(REPLICA_PREFIX.length);
          let outcome: ReplicationOutcome = "failed";
          try {
            outcome = await this.deliver(region, entries.at(-1) as ReplicaEntry);
          } finally {
            this.metrics().replication(region, outcome);
          }
        },
      }),
    };
  }

  /** After any committed change of a primary: every replica region gets an entry. Call inside the transaction. */
  changed(s: SecretRow): void {
    for (const { region, epoch } of this.rows.changed()) this.enqueue(region, s, epoch);
  }

  /** Adds regions (or starts them over), and makes the secret a primary. Call inside the transaction. */
  add(s: SecretRow, regions: readonly { region: string; kmsKeyId?: string }[], overwrite: boolean): Result<void> {
    const after = new Set([...this.regions(), ...regions.map((r) => r.region)]);
    if (after.size > MAX_REPLICA_REGIONS) return fail(invalidParameter(`A secret can have at most ${MAX_REPLICA_REGIONS} replica Regions.`));
    for (const r of regions) this.rows.add(r.region, r.kmsKeyId || null, overwrite);
    if (s.primaryRegion !== s.region) this.store.updateSecret({ primaryRegion: s.region });
    return ok(undefined);
  }

  /** Removes regions (their replicas are deleted by their next delivery). Call inside the transaction. */
  remove(s: SecretRow, regions: readonly string[]): void {
    for (const region of regions) {
      const row = this.rows.get(region);
      if (!row) continue;
      this.rows.remove(region);
      this.enqueue(region, s, row.epoch);
    }
    if (this.rows.all().length === 0 && s.primaryRegion !== null) this.store.updateSecret({ primaryRegion: null });
  }

  /** A replica promoted itself (StopReplicationToReplica): forgotten here, with nothing more sent to it. */
  forget(s: SecretRow, region: string): void {
    this.rows.remove(region);
    this.store.dequeueThrough(REPLICA_PREFIX + region, Number.MAX_SAFE_INTEGER);
    if (this.rows.all().length === 0 && s.primaryRegion !== null) this.store.updateSecret({ primaryRegion: null });
  }

  /** The newest epoch given to any region: a replica promoted now refuses every delivery sent up to it. */
  epoch(): number {
    return this.rows.epoch();
  }

  regions(): string[] {
    return this.rows.all().map((r) => r.region);
  }

  statuses(): ReplicationStatusView[] {
    return this.rows.all().map((r) => ({
      region: r.region,
      kmsKeyId: r.kmsKeyId ?? DEFAULT_KEY_NAME,
      status: r.status,
      statusMessage: r.statusMessage ?? undefined,
      lastAccessedAt: r.lastAccessedDay ?? undefined,
    }));
  }

  private enqueue(region: string, s: SecretRow, epoch: number): void {
    this.outbox().enqueue(REPLICA_PREFIX + region, { primaryArn: s.arn, epoch } satisfies ReplicaEntry);
  }

  /**
   * One delivery to a region: the replica is brought to the primary's current state, or deleted when removed. Throws
   * when the delivery is to be retried; a conflict or an unusable key is recorded on the region and not retried.
   */
  private async deliver(region: string, { primaryArn, epoch = 0 }: ReplicaEntry): Promise<ReplicationOutcome> {
    const row = this.rows.get(region);
    const s = this.store.secret();
    const replica = this.objectOf(arnInRegion(primaryArn, region));
    if (!row || !s || s.arn !== primaryArn) {
      await within(replica.dropReplica(primaryArn, epoch));
      return "removed";
    }
    try {
      if (this.unavailable().includes(region)) throw new Error(`Region ${region} is unavailable`);
      const kekId = this.vault.resolveKey(row.kmsKeyId ?? undefined);
      if (!kekId.ok) {
        this.rows.failed(region, row.epoch, `Secrets Manager can't encrypt the secret with the KMS key ${row.kmsKeyId} in ${region}.`);
        return "key_failed";
      }
      const wanted = row.wanted;
      // A rotation's value-less AWSPENDING placeholder stays here: the replica gets the version once it has a value.
      const versions = this.store.versionPage(undefined, true, Number.MAX_SAFE_INTEGER).filter((v) => !v.empty);
      const snapshot = this.snapshot(s, region, row.kmsKeyId, row.epoch, row.overwrite, versions.map((v) => v.versionId));
      const toSend = versions.filter((v) => v.seq > row.sentSeq).map((v) => v.versionId);
      snapshot.versions = await this.seal(s.arn, snapshot, kekId.value, toSend);
      let ack = await within(replica.applyReplica(snapshot));
      if ("missing" in ack) {
        snapshot.versions = await this.seal(s.arn, snapshot, kekId.value, ack.missing);
        ack = await within(replica.applyReplica(snapshot));
      }
      // Answers count for the epoch sent: a region removed, promoted or added again meanwhile keeps its own status.
      if ("conflict" in ack) {
        this.rows.failed(region, row.epoch, ack.conflict);
        return "conflict";
      }
      if ("missing" in ack) throw new Error(`replica in ${region} still lacks ${ack.missing.length} versions`);
      this.rows.delivered(region, row.epoch, wanted, versions[0]?.seq ?? 0, ack.lastAccessedDay, row.kmsKeyId);
      return "in_sync";
    } catch (error) {
      this.rows.attemptFailed(region, row.epoch, `Replication to ${region} failed and is being retried: ${String(error).slice(0, 200)}`, FAIL_AFTER);
      throw error;
    }
  }

  private snapshot(s: SecretRow, region: string, kmsKeyId: string | null, epoch: number, overwrite: boolean, versionIds: string[]): ReplicaSnapshot {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const sent = new Set(versionIds);
    return {
      primaryArn: s.arn, region, stamp: this.lastStamp, epoch, overwrite, kmsKeyId,
      fields: replicatedFields(s), tags: this.store.tags(), stages: [...this.store.stages()].filter(([, id]) => sent.has(id)), versionIds, versions: [],
    };
  }

  /** The versions re-encrypted for the replica: opened under the primary's ARN, sealed under the replica's. */
  private async seal(primaryArn: string, snapshot: ReplicaSnapshot, kekId: string, versionIds: readonly string[]): Promise<ReplicaVersion[]> {
    const replicaArn = arnInRegion(primaryArn, snapshot.region);
    const sealed: ReplicaVersion[] = [];
    for (const id of versionIds) {
      const version = this.store.version(id);
      if (!version) continue;
      const value = await this.vault.open(primaryArn, version);
      if (!value.ok) throw new Error(`version ${id} cannot be opened`);
      const s = await this.vault.seal(replicaArn, kekId, id, value.value);
      sealed.push({ versionId: id, createdAt: version.createdAt, kmsKeyId: kekId, kind: s.kind, envelope: s.envelope, valueHash: s.hash });
    }
    return sealed;
  }
}

/** A replica call bounded in time: a region that hangs is a failed delivery, not a stuck outbox. */
async function within<T>(call: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("replica did not answer in time")), DELIVERY_TIMEOUT_MS)));
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

