// ListSecrets and BatchGetSecretValue (aws-behaviour.md §4 "ListSecrets entry", §6). They read the index, which is
// eventually consistent, so the first list of each scenario repeats (bounded) until the new secrets show.
// Each scenario runs only when the server registers the operations it needs.
import { expect } from "vitest";
import { arnOf, containing, daysFromNow, oneOf, recent, ref, unordered } from "../matchers";
import type { Scenario, StepResult, Until, Vars } from "../types";
import { NOT_FOUND, call, fails, succeeds, validationMessage } from "./common";

const WAIT = { attempts: 40, delayMs: 250 };
const waitFor = (length: number): Until => ({ path: "SecretList", length, ...WAIT });

const createBoth = (v: Vars) => [
  call("CreateSecret", { Name: v.name, SecretString: "alpha", ClientRequestToken: v.t[0], Description: "first" }, succeeds({
    ARN: arnOf(v.name),
    Name: v.name,
    VersionId: v.t[0],
  }), { as: "a" }),
  call("CreateSecret", { Name: v.name2, SecretString: "beta", ClientRequestToken: v.t[1], Tags: [{ Key: "team", Value: "e2e" }] }, succeeds({
    ARN: arnOf(v.name2),
    Name: v.name2,
    VersionId: v.t[1],
  }), { as: "b" }),
];

const entryA = (v: Vars, extra: Record<string, unknown> = {}) => ({
  ARN: ref("a.ARN"),
  Name: v.name,
  Description: "first",
  CreatedDate: recent(),
  LastChangedDate: recent(),
  SecretVersionsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
  ...extra,
});
const entryB = (v: Vars, extra: Record<string, unknown> = {}) => ({
  ARN: ref("b.ARN"),
  Name: v.name2,
  CreatedDate: recent(),
  LastChangedDate: recent(),
  Tags: [{ Key: "team", Value: "e2e" }],
  SecretVersionsToStages: { [v.t[1]!]: ["AWSCURRENT"] },
  ...extra,
});
const byPrefix = (v: Vars) => [{ Key: "name", Values: [v.prefix] }];

const valueOf = (label: string, name: string, versionId: string | undefined, secretString: string) => ({
  ARN: ref(`${label}.ARN`),
  Name: name,
  VersionId: versionId,
  SecretString: secretString,
  VersionStages: ["AWSCURRENT"],
  CreatedDate: recent(),
});

export const listScenarios: Scenario[] = [
  {
    title: "ListSecrets with a name filter lists the matching secrets, their SecretVersionsToStages, Description and Tags",
    requires: ["ListSecrets"],
    steps: (v) => [
      ...createBoth(v),
      call("ListSecrets", { Filters: byPrefix(v) }, succeeds({ SecretList: unordered([entryA(v), entryB(v)]) }), { until: waitFor(2) }),
    ],
  },
  {
    title: "ListSecrets leaves out secrets scheduled for deletion unless IncludePlannedDeletion",
    requires: ["ListSecrets"],
    steps: (v) => [
      ...createBoth(v),
      call("DeleteSecret", { SecretId: v.name2, RecoveryWindowInDays: 7 }, succeeds({ ARN: ref("b.ARN"), Name: v.name2, DeletionDate: daysFromNow(7) })),
      call(
        "ListSecrets",
        { Filters: byPrefix(v), IncludePlannedDeletion: true },
        succeeds({ SecretList: unordered([entryA(v), entryB(v, { DeletedDate: recent() })]) }),
        { until: { path: "SecretList.*.DeletedDate", exists: true, ...WAIT } },
      ),
      call("ListSecrets", { Filters: byPrefix(v) }, succeeds({ SecretList: [entryA(v)] })),
    ],
  },
  {
    title: "ListSecrets pages with MaxResults and NextToken",
    requires: ["ListSecrets"],
    steps: (v) => [
      ...createBoth(v),
      call("CreateSecret", { Name: `${v.prefix}-c`, SecretString: "gamma" }, succeeds({ ARN: arnOf(`${v.prefix}-c`), Name: `${v.prefix}-c`, VersionId: expect.any(String) })),
      call("ListSecrets", { Filters: byPrefix(v) }, succeeds({ SecretList: expect.any(Array) }), { until: waitFor(3) }),
      call("ListSecrets", { Filters: byPrefix(v), MaxResults: 2 }, succeeds({ SecretList: expect.any(Array), NextToken: expect.any(String) }), { as: "p1" }),
      call("ListSecrets", { Filters: byPrefix(v), MaxResults: 2, NextToken: ref("p1.NextToken") }, succeeds({ SecretList: expect.any(Array) })),
    ],
    verify(results: StepResult[], v: Vars) {
      const names = (r: StepResult | undefined) => ((r?.body?.SecretList ?? []) as { Name: string }[]).map((e) => e.Name);
      expect(names(results[4])).toHaveLength(2);
      expect([...names(results[4]), ...names(results[5])].sort()).toEqual([v.name, v.name2, `${v.prefix}-c`].sort());
    },
  },
  {
    title: "ListSecrets with MaxResults over 100, an unknown filter key or an unknown SortOrder returns ValidationException",
    requires: ["ListSecrets"],
    steps: () => [
      call("ListSecrets", { MaxResults: 101 }, fails("ValidationException", validationMessage("maxResults", "Member must have value less than or equal to 100"))),
      call("ListSecrets", { Filters: [{ Key: "bogus", Values: ["x"] }] }, fails("ValidationException")),
      call("ListSecrets", { SortOrder: "sideways" }, fails("ValidationException")),
    ],
  },
  {
    title: "BatchGetSecretValue by SecretIdList returns each value and reports a missing secret in Errors",
    requires: ["BatchGetSecretValue"],
    steps: (v) => [
      ...createBoth(v),
      call(
        "BatchGetSecretValue",
        { SecretIdList: [v.name, ref("b.ARN"), v.missing] },
        succeeds({
          SecretValues: unordered([valueOf("a", v.name, v.t[0], "alpha"), valueOf("b", v.name2, v.t[1], "beta")]),
          Errors: [{ SecretId: v.missing, ErrorCode: "ResourceNotFoundException", Message: NOT_FOUND }],
        }),
      ),
    ],
  },
  {
    title: "BatchGetSecretValue by Filters returns the values of the matching secrets",
    requires: ["BatchGetSecretValue"],
    steps: (v) => [
      ...createBoth(v),
      call(
        "BatchGetSecretValue",
        { Filters: byPrefix(v) },
        // Whether an empty Errors list is sent is not recorded for AWS.
        succeeds(containing({ SecretValues: unordered([valueOf("a", v.name, v.t[0], "alpha"), valueOf("b", v.name2, v.t[1], "beta")]) })),
        { until: { path: "SecretValues", length: 2, ...WAIT } },
      ),
    ],
  },
  {
    title: "BatchGetSecretValue with both SecretIdList and Filters is refused",
    requires: ["BatchGetSecretValue"],
    steps: (v) => [
      call("BatchGetSecretValue", { SecretIdList: [v.name], Filters: byPrefix(v) }, fails(oneOf("InvalidParameterException", "InvalidRequestException"))),
    ],
  },
];
