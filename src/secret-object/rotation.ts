// The secret's rotation (docs/rotation.md): RotateSecret's checks and start (configuration, the AWSPENDING
// placeholder and the one rotation row, in the caller's transaction), the scheduler duty that runs the steps on the
// configured target with retries (the row is the durable state: token, step reached, attempts, next try), schedules,
// CancelRotateSecret, and the abandonment of a rotation by a value written by hand.
import { type Result, fail, ok } from "../domain/result";
import { invalidRequest } from "../domain/errors";
import { AWSCURRENT, AWSPENDING } from "../domain/stages";
import { newRotationToken, stepsFor, type RotationEvent, type StepOutcome } from "../rotation/event";
import { type RotationRules, type Schedule, describeRules, dueTime, nextRotationDate, nextWindow, parseRotationRules } from "../rotation/schedule";
import type { RotationSecrets } from "../rotation/secrets";
import { type RotationTarget, rotationFunctions, targetFor } from "../rotation/targets/config";
import { runStep } from "../rotation/targets/invoke";
import { DEFAULT_TIMEOUT_SECONDS } from "../rotation/targets/lambda-invoke";
import type { ServiceEventName } from "../audit/record";
import type { Metrics, RotationOutcome } from "../observability/metrics";
import { isReplica } from "./replica";
import type { Duty } from "./scheduler";
import type { SecretRow, Store } from "./store";

/** Runs of a rotation before it is recorded as failed, and the backoff between them (doubling). */
export const MAX_RUNS = 4;
export const RUN_RETRY_MS = 5_000;

export const NO_FUNCTION = "No Lambda rotation function ARN is associated with this secret.";
export const CANNOT_INVOKE =
  "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.";
export const NOT_COMPLETE = "A previous rotation isn't complete. That rotation will be reattempted.";
// A managed external secret's refusals (AWS's texts are unrecorded; docs/parity.md). The first follows the text AWS
// answers for a service-managed secret.
export const LAMBDA_ON_EXTERNAL = "Rotation Lambda ARN is not supported for a managed external secret.";
export const NO_ROLE = "No ExternalSecretRotationRoleArn is associated with this managed external secret.";
export const noAdapter = (type: string) => `Secrets Manager can't rotate secrets of Type ${type}: no rotation adapter is configured for it.`;

/** The one rotation in flight (table `rotation`). */
export interface RotationRow {
  token: string;
  rotationToken: string;
  immediately: boolean;
  /** Index of the next step to run in stepsFor(immediately). */
  step: number;
  /** Runs that failed so far. */
  attempts: number;
  nextAt: number;
  lastError: string | null;
  startedAt: number;
}

export interface RotateRequest {
  token: string;
  lambdaArn?: string;
  rules?: RotationRules;
  immediately: boolean;
  metadata?: { Key: string; Value: string }[];
  roleArn?: string;
}

/** What the object lends the rotation: its storage, the secrets API for built-ins, and its commit hooks. */
export interface RotationHost {
  /** One transaction of the rotation's own (outside a request), queued for the secret's replicas like any commit. */
  transaction(change: () => void): void;
  functions(): string | undefined;
  bindings(): Record<string, unknown>;
  secrets(s: SecretRow): RotationSecrets;
  enqueueSnapshot(): void;
  /** After a commit outside a request: re-arm and deliver the index update. */
  settle(): Promise<void>;
  rearm(): void;
  /** A rotation event for the audit trail (RotationStarted, RotationSucceeded, …). */
  audit(eventName: ServiceEventName, s: SecretRow, versionId: string, errorMessage?: string): void;
  /** Where each run's end is counted. */
  metrics(): Metrics;
}

const rulesOf = (stored: string | null): RotationRules | undefined => {
  if (stored === null) return undefined;
  const r = JSON.parse(stored) as RotationRules;
  // Stored as reported: with a ScheduleExpression, AutomaticallyAfterDays is computed, not configured.
  return r.ScheduleExpression ? { ScheduleExpression: r.ScheduleExpression, Duration: r.Duration } : { AutomaticallyAfterDays: r.AutomaticallyAfterDays, Duration: r.Duration };
};

const scheduleOf = (rules: RotationRules | undefined): Schedule | undefined => {
  const parsed = rules && parseRotationRules(rules);
  return parsed?.ok ? parsed.value : undefined;
};

export class Rotation {
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly sql: () => SqlStorage,
    private readonly host: RotationHost,
  ) {}

  row(): RotationRow | undefined {
    if (!this.store.written) return undefined;
    const r = this.sql().exec("SELECT * FROM rotation WHERE id = 1").toArray()[0];
    return r && {
      token: r.token as string, rotationToken: r.rotation_token as string, immediately: r.immediately === 1, step: r.step as number,
      attempts: r.attempts as number, nextAt: r.next_at as number, lastError: r.last_error as string | null, startedAt: r.started_at as number,
    };
  }

  /**
   * The target of the secret's rotation, or E58/E59 (nothing is stored on either). A managed external secret (one with
   * a partner Type) rotates without Lambda, through the adapter configured for its Type, with the role it was given.
   */
  target(s: SecretRow, lambdaArn: string | undefined, roleArn?: string): Result<RotationTarget> {
    if (s.type !== null) {
      if (lambdaArn) return fail(invalidRequest(LAMBDA_ON_EXTERNAL));
      if (!roleArn && !s.externalRotationRoleArn) return fail(invalidRequest(NO_ROLE));
    }
    let functions;
    try {
      functions = rotationFunctions(this.host.functions());
    } catch (error) {
      console.error(JSON.stringify({ event: "rotation_functions_invalid", error: String(error) }));
      return fail({ code: "AccessDeniedException", message: CANNOT_INVOKE });
    }
    if (s.type !== null) {
      const adapter = targetFor(functions, { type: s.type });
      return adapter ? ok(adapter) : fail(invalidRequest(noAdapter(s.type)));
    }
    const arn = lambdaArn ?? s.rotationLambdaArn ?? undefined;
    if (!arn) return fail(invalidRequest(NO_FUNCTION));
    const target = targetFor(functions, { lambdaArn: arn });
    return target ? ok(target) : fail({ code: "AccessDeniedException", message: CANNOT_INVOKE });
  }

  /**
   * Whether a rotation is unfinished: one in flight, or AWSPENDING left on a version that is not AWSCURRENT. An
   * unfinished one without a row (it failed) is started again here, as AWS's error promises.
   */
  unfinished(): boolean {
    if (this.row()) return true;
    const stages = this.store.stages();
    const pending = stages.get(AWSPENDING);
    if (pending === undefined || pending === stages.get(AWSCURRENT)) return false;
    this.insertRow(pending, true, Date.now());
    return true;
  }

  /** RotateSecret's state change, inside its transaction: configuration, placeholder (or `copy`), rotation row. */
  begin(s: SecretRow, request: RotateRequest, placeholderKey: string, addCopy: (() => void) | undefined): void {
    const now = Date.now();
    const rules = request.rules ?? rulesOf(s.rotationRules);
    const schedule = scheduleOf(rules);
    const base = s.lastRotatedAt ?? now;
    this.store.updateSecret({
      rotationEnabled: true,
      rotationLambdaArn: request.lambdaArn ?? s.rotationLambdaArn,
      rotationRules: schedule ? JSON.stringify(describeRules(schedule, base)) : null,
      ...this.nextSchedule(schedule, base, now),
      ...(request.metadata && { externalRotationMetadata: JSON.stringify(request.metadata) }),
      ...(request.roleArn && { externalRotationRoleArn: request.roleArn }),
    });
    if (addCopy) addCopy();
    else {
      this.store.insertPlaceholder(request.token, now, placeholderKey);
      this.store.replaceStages(new Map(this.store.stages()).set(AWSPENDING, request.token));
    }
    this.insertRow(request.token, request.immediately, now);
    this.host.enqueueSnapshot();
    this.log(request.immediately ? "RotationStarted" : "TestRotationStarted", s, request.token);
  }

  /** CancelRotateSecret inside its transaction: rotation off (rules stay visible), the run in flight dropped. */
  cancel(): string | undefined {
    const row = this.row();
    if (row) this.ended(row, "cancelled");
    this.sql().exec("DELETE FROM rotation");
    this.store.updateSecret({ rotationEnabled: false, nextRotationAt: null, rotationDueAt: null });
    this.host.enqueueSnapshot();
    return row?.token;
  }

  /**
   * A value written by hand (PutSecretValue, UpdateSecret) under another token, inside its transaction: abandons a
   * rotation in flight or its empty placeholder (AWSPENDING removed, the placeholder deleted), and counts as a rotation for a schedule
   * in days, as AWS documents.
   */
  valueWritten(s: SecretRow, versionId: string, labels: readonly string[] | undefined): void {
    const stages = this.store.stages();
    const pending = stages.get(AWSPENDING);
    // A rotation's AWSPENDING only: one a caller attached to a value of their own stays, as AWS recorded.
    const rotating = pending !== undefined && (this.row()?.token === pending || this.store.version(pending)?.empty === true);
    if (rotating && pending !== versionId && !labels?.includes(AWSPENDING)) {
      const next = new Map(stages);
      next.delete(AWSPENDING);
      this.store.replaceStages(next);
      if (this.store.version(pending)?.empty) this.store.deleteVersion(pending);
      const row = this.row();
      if (row) this.ended(row, "abandoned");
      this.sql().exec("DELETE FROM rotation");
      this.log("RotationAbandoned", s, pending);
    }
    const schedule = s.rotationEnabled ? scheduleOf(rulesOf(s.rotationRules)) : undefined;
    if (schedule?.cadence.kind === "days") this.store.updateSecret(this.nextSchedule(schedule, Date.now(), Date.now()));
  }

  /** The scheduler duty: the rotation in flight at its next try, or a scheduled one at its due time. */
  duty(): Duty {
    return {
      name: "rotation",
      dueAt: () => {
        const row = this.row();
        if (row) return row.nextAt;
        const s = this.store.secret();
        // A replica copies the primary's rotation fields but never rotates: the primary's rotation reaches it.
        return s?.rotationEnabled && s.deletedAt === null && !isReplica(s) ? (s.rotationDueAt ?? undefined) : undefined;
      },
      // One run at a time, whether the alarm or the cron sweep's poke calls.
      run: async () => {
        if (!this.running) this.running = this.runDue().finally(() => (this.running = undefined));
        await this.running;
      },
    };
  }

  private async runDue(): Promise<void> {
    const s = this.store.secret();
    if (!s) return;
    let row = this.row();
    if (!row) {
      if (!s.rotationEnabled || s.deletedAt !== null || isReplica(s) || s.rotationDueAt === null || s.rotationDueAt > Date.now()) return;
      row = this.startScheduled(s);
      await this.host.settle();
    }
    if (row.nextAt > Date.now()) return;
    const target = this.target(s, undefined);
    const steps = stepsFor(row.immediately);
    for (let i = row.step; i < steps.length; i++) {
      const step = steps[i]!;
      const outcome = target.ok ? await this.invoke(s, row, target.value, step) : ({ ok: false, error: target.error.message } as StepOutcome);
      const current = this.row();
      // Cancelled or abandoned while the step ran: nothing more to do for that token.
      if (!current || current.token !== row.token) return;
      if (!outcome.ok) return this.failed(s, current, step, outcome.error);
      this.sql().exec("UPDATE rotation SET step = ? WHERE id = 1", i + 1);
    }
    await this.succeeded(s, row);
  }

  /** One step, with the row's next try set past the step's timeout first: a run cut off by a restart resumes then. */
  private async invoke(s: SecretRow, row: RotationRow, target: RotationTarget, step: RotationEvent["Step"]): Promise<StepOutcome> {
    const timeout = ("timeoutSeconds" in target && target.timeoutSeconds) || DEFAULT_TIMEOUT_SECONDS;
    this.sql().exec("UPDATE rotation SET next_at = ? WHERE id = 1", Date.now() + timeout * 1000 + 5_000);
    this.host.rearm();
    const event: RotationEvent = { Step: step, SecretId: s.arn, ClientRequestToken: row.token, RotationToken: row.rotationToken };
    if (s.externalRotationMetadata) event.ExternalSecretRotationMetadata = JSON.parse(s.externalRotationMetadata) as RotationEvent["ExternalSecretRotationMetadata"];
    return runStep(target, event, { fetch: (request) => fetch(request), bindings: this.host.bindings(), secrets: this.host.secrets(s) });
  }

  private async failed(s: SecretRow, row: RotationRow, step: string, error: string): Promise<void> {
    const attempts = row.attempts + 1;
    const now = Date.now();
    const lambda = s.rotationLambdaArn ?? s.type ?? "";
    console.warn(JSON.stringify({ event: "rotation_step_failed", arn: s.arn, token: row.token, step, attempts, error }));
    if (row.immediately && attempts < MAX_RUNS) {
      // AWS retries the entire rotation; the templates' steps are idempotent.
      this.sql().exec("UPDATE rotation SET step = 0, attempts = ?, next_at = ?, last_error = ? WHERE id = 1", attempts, now + RUN_RETRY_MS * 2 ** (attempts - 1), error);
      this.host.rearm();
      this.ended(row, "retried", step);
      return;
    }
    this.host.transaction(() => {
      this.sql().exec("DELETE FROM rotation");
      // AWSPENDING stays where the run left it (AWS); a test run's copy is removed either way.
      if (!row.immediately) this.dropPending(row.token);
      const schedule = scheduleOf(rulesOf(s.rotationRules));
      if (schedule) this.store.updateSecret({ rotationDueAt: this.nextSchedule(schedule, now, now).rotationDueAt });
      this.host.enqueueSnapshot();
    });
    this.log(row.immediately ? "RotationFailed" : "TestRotationFailed", s, row.token, `Error when executing lambda ${lambda} during ${step} step`);
    this.ended(row, row.immediately ? "failed" : "test_failed", step);
    await this.host.settle();
  }

  private async succeeded(s: SecretRow, row: RotationRow): Promise<void> {
    const stages = this.store.stages();
    if (row.immediately && stages.get(AWSCURRENT) !== row.token) {
      return this.failed(s, row, "finishSecret", "finishSecret succeeded but did not move AWSCURRENT to the new version.");
    }
    const now = Date.now();
    this.host.transaction(() => {
      this.sql().exec("DELETE FROM rotation");
      if (row.immediately) {
        // AWSPENDING stays with AWSCURRENT on the new version, the templates' success state (docs/parity.md): no label
        // moves after the function's finishSecret, so what a caller sees then is final.
        const current = this.store.secret()!;
        const schedule = scheduleOf(rulesOf(current.rotationRules));
        this.store.updateSecret({
          lastRotatedAt: now,
          ...(schedule && { rotationRules: JSON.stringify(describeRules(schedule, now)) }),
          ...this.nextSchedule(schedule, now, now),
        });
      } else this.dropPending(row.token);
      this.host.enqueueSnapshot();
    });
    this.log(row.immediately ? "RotationSucceeded" : "TestRotationSucceeded", s, row.token);
    this.ended(row, row.immediately ? "succeeded" : "test_succeeded", stepsFor(row.immediately).at(-1)!);
    await this.host.settle();
  }

  /** A due schedule starts a rotation: a new placeholder, or the unfinished one's token again. */
  private startScheduled(s: SecretRow): RotationRow {
    this.host.transaction(() => {
      if (this.unfinished()) return;
      const token = newRotationToken();
      this.store.insertPlaceholder(token, Date.now(), this.store.version(this.store.stages().get(AWSCURRENT) ?? "")?.kmsKeyId ?? "aws/secretsmanager");
      this.store.replaceStages(new Map(this.store.stages()).set(AWSPENDING, token));
      this.insertRow(token, true, Date.now());
      this.host.enqueueSnapshot();
      this.log("RotationStarted", s, token);
    });
    return this.row()!;
  }

  private dropPending(token: string): void {
    const stages = this.store.stages();
    if (stages.get(AWSPENDING) !== token || stages.get(AWSCURRENT) === token) return;
    this.store.deleteVersion(token);
  }

  private insertRow(token: string, immediately: boolean, now: number): void {
    this.sql().exec(
      "INSERT OR REPLACE INTO rotation (id, token, rotation_token, immediately, step, attempts, next_at, started_at) VALUES (1, ?, ?, ?, 0, 0, ?, ?)",
      token, newRotationToken(), immediately ? 1 : 0, now, now,
    );
  }

  /** NextRotationDate and the due time of the next window after `base` (a window already over counts from now). */
  private nextSchedule(schedule: Schedule | undefined, base: number, now: number): Pick<SecretRow, "nextRotationAt" | "rotationDueAt"> {
    if (!schedule) return { nextRotationAt: null, rotationDueAt: null };
    let window = nextWindow(schedule, base);
    if (window.end <= now) window = nextWindow(schedule, now);
    return { nextRotationAt: nextRotationDate(window), rotationDueAt: Math.max(now, dueTime(window, Math.random())) };
  }

  /** Counts a run that ended at `step` (by default the step the row had reached). */
  private ended(row: RotationRow, outcome: RotationOutcome, step?: string): void {
    const steps = stepsFor(row.immediately);
    this.host.metrics().rotation(step ?? steps[Math.min(row.step, steps.length - 1)]!, outcome);
  }

  /** Rotation events, logged and sent to the audit trail; never a value or a rotation token. */
  private log(eventName: ServiceEventName, s: SecretRow, token: string, errorMessage?: string): void {
    console.log(JSON.stringify({ event: "rotation", eventName, arn: s.arn, versionId: token, errorMessage }));
    this.host.audit(eventName, s, token, errorMessage);
  }
}
