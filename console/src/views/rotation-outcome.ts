// The outcome of a secret's unfinished rotation (AWSPENDING on a version that is not AWSCURRENT): failed, when the
// trail holds the service's RotationFailed event for that version (read with LookupEvents, like any other event),
// else still running; and a watch that re-reads the secret while it runs, so the page shows the end without a reload.
import { type Event as TrailEvent, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeSecretCommand, type DescribeSecretResponse } from "@aws-sdk/client-secrets-manager";
import { cloudTrail, errorOf, secretsManager } from "../aws";

/** Pages of RotationFailed events (of the whole account, newest first) searched for the version's. */
const FAILURE_PAGES = 3;
const WATCH_EVERY_MS = 2_000;
/** A watch gives up after this long (a step may take up to 15 minutes); the page's Refresh shows the end then. */
const WATCH_FOR_MS = 10 * 60_000;

export type Outcome = { state: "running" } | { state: "failed"; time?: Date; message: string } | { state: "unknown"; reason: string };

/** The version whose rotation is unfinished, if any. */
export const pendingVersion = (secret: DescribeSecretResponse): string | undefined =>
  Object.entries(secret.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes("AWSPENDING") && !stages.includes("AWSCURRENT"))?.[0];

/** Whether the rotation of `versionId` failed, from the trail's RotationFailed events. */
export async function outcomeOf(secretArn: string, versionId: string): Promise<Outcome> {
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < FAILURE_PAGES; page++) {
      const answer = await cloudTrail().send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RotationFailed" }], MaxResults: 50, NextToken: nextToken }),
      );
      const failure = (answer.Events ?? []).map(failureOf).find((f) => f?.secretArn === secretArn && f.versionId === versionId);
      if (failure) return { state: "failed", time: failure.time, message: failure.message };
      nextToken = answer.NextToken;
      if (!nextToken) break;
    }
    return { state: "running" };
  } catch (error) {
    const { code, message } = errorOf(error);
    return { state: "unknown", reason: `LookupEvents: ${code}${message ? `: ${message}` : ""}` };
  }
}

function failureOf(event: TrailEvent): { secretArn?: string; versionId?: string; time?: Date; message: string } | undefined {
  try {
    const record = JSON.parse(event.CloudTrailEvent ?? "{}") as { additionalEventData?: { SecretId?: string; VersionId?: string }; errorMessage?: string };
    const data = record.additionalEventData ?? {};
    return { secretArn: data.SecretId, versionId: data.VersionId, time: event.EventTime, message: record.errorMessage ?? "The rotation failed." };
  } catch {
    return undefined;
  }
}

/**
 * While `active()`, re-reads the secret every couple of seconds and calls `ended` once its rotation has moved on:
 * labels or the last rotation date changed (it finished, or was cancelled), or (with `readTrail`, for a key that may
 * read the trail) the trail records its failure.
 */
export function watchRotation(secret: DescribeSecretResponse, versionId: string, readTrail: boolean, active: () => boolean, ended: (now?: DescribeSecretResponse) => void): void {
  const until = Date.now() + WATCH_FOR_MS;
  const before = JSON.stringify([secret.VersionIdsToStages, secret.LastRotatedDate]);
  const tick = async () => {
    if (!active() || Date.now() > until) return;
    const now = await secretsManager().send(new DescribeSecretCommand({ SecretId: secret.ARN })).catch(() => undefined);
    if (!active()) return;
    if (now && JSON.stringify([now.VersionIdsToStages, now.LastRotatedDate]) !== before) return ended(now);
    if (readTrail && (await outcomeOf(secret.ARN!, versionId)).state === "failed") return active() ? ended() : undefined;
    setTimeout(() => void tick(), WATCH_EVERY_MS);
  };
  setTimeout(() => void tick(), WATCH_EVERY_MS);
}
