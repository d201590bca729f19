// RotateSecret and CancelRotateSecret with the template-style Python rotation function the shared server maps
// (rotation/functions.ts): a full rotation and a second one reusing the stored configuration, RotateImmediately=false,
// CancelRotateSecret, and a failed rotation that blocks the next one until it is cleaned up (aws-behaviour §8).
import { expect } from "vitest";
import { FUNCTION_ARN, failingArn } from "../../rotation/functions";
import { arnOf, containing, recent, ref, unordered } from "../matchers";
import type { Scenario, StepResult, Step, Vars } from "../types";
import { call, fails, succeeds } from "./common";

const NOT_COMPLETE = "A previous rotation isn't complete. That rotation will be reattempted.";
const DAY = 86_400_000;

const create = (v: Vars) =>
  call("CreateSecret", { Name: v.name, SecretString: "initial", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), { as: "c" });

const rotated = (v: Vars, token: string) => succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: token });

/** DescribeSecret, repeated until `path` exists (or, with exists=false, is gone): the steps run after RotateSecret answers. */
const describeUntil = (v: Vars, path: string, exists: boolean, members: Record<string, unknown>, as?: string): Step =>
  call("DescribeSecret", { SecretId: v.name }, succeeds(containing(members)), { until: { path, exists, attempts: 300, delayMs: 200 }, ...(as && { as }) });

export const rotationScenarios: Scenario[] = [
  {
    title: "RotateSecret runs the four steps of the rotation function: AWSCURRENT moves to the token; a second rotation reuses the configuration",
    requires: ["RotateSecret"],
    steps: (v) => [
      create(v),
      call("RotateSecret", { SecretId: v.name, ClientRequestToken: v.t[1], RotationLambdaARN: FUNCTION_ARN, RotationRules: { AutomaticallyAfterDays: 30 } }, rotated(v, v.t[1]!)),
      describeUntil(v, "LastRotatedDate", true, {
        RotationEnabled: true, RotationLambdaARN: FUNCTION_ARN, RotationRules: { AutomaticallyAfterDays: 30 }, LastRotatedDate: recent(),
        VersionIdsToStages: { [v.t[0]!]: ["AWSPREVIOUS"], [v.t[1]!]: unordered(["AWSCURRENT", "AWSPENDING"]) },
      }, "first"),
      call("RotateSecret", { SecretId: v.name, ClientRequestToken: v.t[2] }, rotated(v, v.t[2]!)),
      describeUntil(v, `VersionIdsToStages.${v.t[0]}`, false, { VersionIdsToStages: { [v.t[1]!]: ["AWSPREVIOUS"], [v.t[2]!]: unordered(["AWSCURRENT", "AWSPENDING"]) } }),
    ],
    verify(results: StepResult[]) {
      const first = results[2]!.body as { LastRotatedDate: number; NextRotationDate: number };
      // The window is the UTC day 30 days after the rotation's day; NextRotationDate is its last second.
      expect(first.NextRotationDate - first.LastRotatedDate).toBeGreaterThan(29 * DAY);
      expect(first.NextRotationDate - first.LastRotatedDate).toBeLessThanOrEqual(31 * DAY);
    },
  },
  {
    title: "RotateImmediately=false runs testSecret only: AWSCURRENT keeps its value, the test version goes, the schedule is stored",
    requires: ["RotateSecret"],
    steps: (v) => [
      create(v),
      call(
        "RotateSecret",
        { SecretId: v.name, ClientRequestToken: v.t[1], RotationLambdaARN: FUNCTION_ARN, RotationRules: { ScheduleExpression: "rate(10 days)" }, RotateImmediately: false },
        rotated(v, v.t[1]!),
      ),
      describeUntil(v, `VersionIdsToStages.${v.t[1]}`, false, {
        RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 10, ScheduleExpression: "rate(10 days)" }, VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
      }),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ VersionId: v.t[0], SecretString: "initial" }))),
    ],
  },
  {
    // The function fails before its handler runs, so no step of the cancelled rotation can still be writing.
    title: "A failed rotation leaves AWSCURRENT and AWSPENDING; the next RotateSecret is refused until the owner cancels and removes AWSPENDING",
    requires: ["RotateSecret", "CancelRotateSecret"],
    steps: (v) => [
      create(v),
      call("RotateSecret", { SecretId: v.name, ClientRequestToken: v.t[1], RotationLambdaARN: failingArn("createSecret") }, rotated(v, v.t[1]!)),
      call("RotateSecret", { SecretId: v.name, ClientRequestToken: v.t[2] }, fails("InvalidRequestException", NOT_COMPLETE)),
      call("GetSecretValue", { SecretId: v.name }, succeeds(containing({ VersionId: v.t[0], SecretString: "initial" }))),
      call("CancelRotateSecret", { SecretId: v.name }, rotated(v, v.t[1]!)),
      describeUntil(v, "RotationEnabled", true, {
        RotationEnabled: false, RotationLambdaARN: failingArn("createSecret"), VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"], [v.t[1]!]: ["AWSPENDING"] },
      }),
      call("UpdateSecretVersionStage", { SecretId: v.name, VersionStage: "AWSPENDING", RemoveFromVersionId: v.t[1] }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("RotateSecret", { SecretId: v.name, ClientRequestToken: v.t[3], RotationLambdaARN: FUNCTION_ARN }, rotated(v, v.t[3]!)),
      describeUntil(v, "LastRotatedDate", true, { RotationEnabled: true, VersionIdsToStages: { [v.t[0]!]: ["AWSPREVIOUS"], [v.t[3]!]: unordered(["AWSCURRENT", "AWSPENDING"]) } }),
    ],
  },
];
