// RotateSecret and CancelRotateSecret as state changes through the one commit path (the steps themselves run from
// the alarm: rotation.ts), and the rotation's service events for the audit trail.
import { toEntry } from "../audit/events-db";
import { type ServiceEventName, serviceEventRecord } from "../audit/record";
import type { Auth } from "../authz/secret";
import { invalidRequest, tokenInUse } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import { AWSCURRENT, AWSPENDING } from "../domain/stages";
import type { Access } from "./access";
import type { AuditLog } from "./audit-log";
import type { Commits } from "./commits";
import { type RotateRequest, type Rotation, NOT_COMPLETE } from "./rotation";
import type { SecretRow, Store } from "./store";
import type { Target, WriteResult } from "./types";
import type { Sealed, Vault } from "./vault";
import type { Versions } from "./versions";

export class RotationRequests {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly versions: Versions,
    private readonly access: Access,
    private readonly rotation: Rotation,
    private readonly auditLog: AuditLog,
    private readonly commits: Commits,
    private readonly storage: DurableObjectStorage,
  ) {}

  /**
   * RotateSecret: checks (E58, E59, an unfinished rotation), then the configuration, the AWSPENDING placeholder and
   * the rotation row in one transaction; the steps run from the alarm. RotateImmediately=false's placeholder holds
   * a copy of the current value (the test run's testSecret reads it).
   */
  async rotate(auth: Auth, target: Target, request: RotateRequest): Promise<Result<WriteResult>> {
    const secret = this.access.writable(this.access.active(auth, target));
    if (!secret.ok) return secret;
    const s = secret.value;
    const checked = this.rotation.target(s, request.lambdaArn, request.roleArn);
    if (!checked.ok) return checked;
    const existing = this.store.version(request.token);
    if (existing && this.rotation.row()?.token === request.token) return ok({ arn: s.arn, name: s.name, versionId: request.token });
    const kekId = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    if (!kekId.ok) return kekId;
    const currentId = this.store.stages().get(AWSCURRENT);
    const current = !request.immediately && currentId !== undefined ? this.store.version(currentId) : undefined;
    let copy: Sealed | undefined;
    if (current) {
      const value = await this.vault.open(s.arn, current);
      if (!value.ok) return value;
      copy = await this.vault.seal(s.arn, kekId.value, request.token, value.value);
    }
    // null: an unfinished rotation, whose reattempt this commit starts; answered with AWS's error.
    const started = await this.commits.commit<WriteResult | null>(() => {
      const now = this.access.stillActive(auth, s);
      if (!now.ok) return now;
      if (this.store.version(request.token)) return fail(tokenInUse(request.token, s.arn));
      if (this.rotation.unfinished()) return ok(null);
      const quota = this.versions.quotaExceeded(Date.now());
      if (quota) return fail(quota);
      const sealed = copy;
      this.rotation.begin(now.value, request, kekId.value, sealed && (() => this.versions.add(sealed, Date.now(), [AWSPENDING], false)));
      return ok({ arn: s.arn, name: s.name, versionId: request.token });
    }, auth);
    if (!started.ok) return started;
    return started.value ? ok(started.value) : fail(invalidRequest(NOT_COMPLETE));
  }

  /** CancelRotateSecret: rotation off, rules kept; the token of a rotation that was in flight. */
  async cancelRotation(auth: Auth, target: Target): Promise<Result<WriteResult>> {
    return await this.commits.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      if (s.rotationEnabled === null && !this.rotation.row()) return ok({ arn: s.arn, name: s.name });
      return ok({ arn: s.arn, name: s.name, versionId: this.rotation.cancel() });
    }, auth);
  }

  /** A service event in the audit trail; a trail that cannot take it is retried by the outbox, never holds up the rotation. */
  serviceEvent(eventName: ServiceEventName, s: SecretRow, versionId: string, errorMessage?: string): void {
    const now = Date.now();
    const built = serviceEventRecord({
      eventName, eventTime: now, eventId: crypto.randomUUID(), requestId: `Rotation-${s.arn}-${crypto.randomUUID()}`,
      region: s.region, accountId: s.accountId, secretArn: s.arn, versionId, errorMessage,
    });
    // In the outbox like every record the object makes; delivered once the step's own transaction (if any) is over.
    this.storage.transactionSync(() => this.auditLog.service(toEntry(built, now)));
    void Promise.resolve().then(() => this.commits.settle());
  }
}
