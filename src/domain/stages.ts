// Staging-label moves as pure functions from one label map to the next (label → versionId).
// A label is on at most one version by construction, and moving AWSCURRENT moves AWSPREVIOUS with it.
import type { DomainError } from "./errors";
import { type Result, fail, ok } from "./result";

export const AWSCURRENT = "AWSCURRENT";
export const AWSPREVIOUS = "AWSPREVIOUS";
export const AWSPENDING = "AWSPENDING";

export type StageMap = ReadonlyMap<string, string>;

/** Labels for a version being created: the requested ones (default AWSCURRENT) move onto it. */
export function attachNewVersion(stages: StageMap, versionId: string, requested: readonly string[] = [AWSCURRENT]): Map<string, string> {
  let next = new Map(stages);
  for (const label of new Set(requested)) {
    if (label === AWSCURRENT) next = moveCurrent(next, versionId, { dropPendingFromOld: true });
    else next.set(label, versionId);
  }
  return next;
}

/** UpdateSecretVersionStage: move `label` to `moveTo`, or detach it from `removeFrom`. */
export function updateStage(
  stages: StageMap,
  label: string,
  removeFrom: string | undefined,
  moveTo: string | undefined,
): Result<Map<string, string>> {
  const holder = stages.get(label);
  if (removeFrom !== undefined && holder !== removeFrom) {
    return fail(invalidParameter(`The staging label ${label} is not attached to version ${removeFrom}, so you can't remove it.`));
  }
  if (moveTo === undefined) {
    if (removeFrom === undefined) {
      return fail(invalidParameter("You must specify RemoveFromVersionId, MoveToVersionId, or both."));
    }
    if (label === AWSCURRENT) {
      return fail(invalidParameter("You can't remove the staging label AWSCURRENT from a version. Move it to another version with MoveToVersionId instead."));
    }
    const next = new Map(stages);
    next.delete(label);
    return ok(next);
  }
  if (holder !== undefined && holder !== moveTo && removeFrom === undefined) {
    return fail(
      invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${label} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
      ),
    );
  }
  if (label === AWSCURRENT) return ok(moveCurrent(new Map(stages), moveTo, { dropPendingFromOld: false }));
  return ok(new Map(stages).set(label, moveTo));
}

/** Labels on each version, in the order the map holds them. */
export function labelsByVersion(stages: StageMap): Map<string, string[]> {
  const byVersion = new Map<string, string[]>();
  for (const [label, versionId] of stages) {
    const labels = byVersion.get(versionId) ?? [];
    labels.push(label);
    byVersion.set(versionId, labels);
  }
  return byVersion;
}

// AWS drops AWSPENDING from the old current version when a new value becomes current through
// PutSecretValue/UpdateSecret, but not through UpdateSecretVersionStage (reference/aws-behaviour.md §5).
function moveCurrent(next: Map<string, string>, versionId: string, { dropPendingFromOld }: { dropPendingFromOld: boolean }) {
  const oldCurrent = next.get(AWSCURRENT);
  if (oldCurrent === versionId) return next;
  next.set(AWSCURRENT, versionId);
  if (oldCurrent !== undefined) {
    next.set(AWSPREVIOUS, oldCurrent);
    if (dropPendingFromOld && next.get(AWSPENDING) === oldCurrent) next.delete(AWSPENDING);
  }
  return next;
}

const invalidParameter = (message: string): DomainError => ({ code: "InvalidParameterException", message });
