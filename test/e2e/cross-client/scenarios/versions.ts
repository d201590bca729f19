// UpdateSecretVersionStage, ListSecretVersionIds and DescribeSecret: label moves (aws-behaviour.md §5, E61),
// deprecated versions, paging, and the fields each answer carries (§4).
import { expect } from "vitest";
import { arnOf, recent, ref, today, unordered } from "../matchers";
import type { Scenario, StepResult, Vars } from "../types";
import { NOT_FOUND, call, fails, succeeds, validationMessage } from "./common";

const create = (v: Vars, secretString = "v1") =>
  call("CreateSecret", { Name: v.name, SecretString: secretString, ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), {
    as: "c",
  });

const put = (v: Vars, i: number, stages?: string[]) =>
  call(
    "PutSecretValue",
    { SecretId: v.name, SecretString: `v${i + 1}`, ClientRequestToken: v.t[i], ...(stages ? { VersionStages: stages } : {}) },
    succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[i], VersionStages: stages ? [...stages].sort() : ["AWSCURRENT"] }),
  );

/** A ListSecretVersionIds entry of a default-key version that was never read. */
const entry = (versionId: string | undefined, stages?: string[]) => ({
  VersionId: versionId,
  ...(stages ? { VersionStages: stages } : {}),
  CreatedDate: recent(),
  KmsKeyIds: ["DefaultEncryptionKey"],
});

const listed = (v: Vars, entries: unknown[]) => succeeds({ ARN: ref("c.ARN"), Name: v.name, Versions: unordered(entries) });

export const versionScenarios: Scenario[] = [
  {
    title: "UpdateSecretVersionStage moving AWSCURRENT to a pending version gives the old one AWSPREVIOUS and keeps AWSPENDING; the next put drops it",
    steps: (v) => [
      create(v),
      put(v, 1, ["AWSPENDING"]),
      call(
        "UpdateSecretVersionStage",
        { SecretId: v.name, VersionStage: "AWSCURRENT", RemoveFromVersionId: v.t[0], MoveToVersionId: v.t[1] },
        succeeds({ ARN: ref("c.ARN"), Name: v.name }),
      ),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [entry(v.t[0], ["AWSPREVIOUS"]), entry(v.t[1], ["AWSCURRENT", "AWSPENDING"])])),
      put(v, 2),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [entry(v.t[1], ["AWSPREVIOUS"]), entry(v.t[2], ["AWSCURRENT"])])),
    ],
  },
  {
    title: "UpdateSecretVersionStage moving AWSCURRENT without RemoveFromVersionId returns InvalidParameterException",
    steps: (v) => [
      create(v),
      put(v, 1, ["AWSPENDING"]),
      call(
        "UpdateSecretVersionStage",
        { SecretId: v.name, VersionStage: "AWSCURRENT", MoveToVersionId: v.t[1] },
        fails(
          "InvalidParameterException",
          `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v.t[0]}, so you must explicitly reference that version in RemoveFromVersionId.`,
        ),
      ),
    ],
  },
  {
    title: "UpdateSecretVersionStage attaches a free custom label with MoveToVersionId and detaches it with RemoveFromVersionId alone",
    steps: (v) => [
      create(v),
      put(v, 1),
      call("UpdateSecretVersionStage", { SecretId: v.name, VersionStage: "CUSTOM", MoveToVersionId: v.t[0] }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [entry(v.t[0], ["AWSPREVIOUS", "CUSTOM"]), entry(v.t[1], ["AWSCURRENT"])])),
      call("UpdateSecretVersionStage", { SecretId: v.name, VersionStage: "CUSTOM", RemoveFromVersionId: v.t[0] }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [entry(v.t[0], ["AWSPREVIOUS"]), entry(v.t[1], ["AWSCURRENT"])])),
    ],
  },
  {
    title: "UpdateSecretVersionStage on a secret that does not exist returns ResourceNotFoundException",
    steps: (v) => [
      call("UpdateSecretVersionStage", { SecretId: v.missing, VersionStage: "CUSTOM", MoveToVersionId: v.t[0] }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
  {
    title: "ListSecretVersionIds lists labelled versions only, and deprecated ones without VersionStages when IncludeDeprecated",
    steps: (v) => [
      create(v),
      put(v, 1),
      put(v, 2),
      put(v, 3),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [entry(v.t[2], ["AWSPREVIOUS"]), entry(v.t[3], ["AWSCURRENT"])])),
      call(
        "ListSecretVersionIds",
        { SecretId: v.name, IncludeDeprecated: true },
        listed(v, [entry(v.t[0]), entry(v.t[1]), entry(v.t[2], ["AWSPREVIOUS"]), entry(v.t[3], ["AWSCURRENT"])]),
      ),
    ],
  },
  {
    title: "ListSecretVersionIds pages with MaxResults and NextToken through every version",
    steps: (v) => {
      const page = (last: boolean) =>
        succeeds({ ARN: ref("c.ARN"), Name: v.name, Versions: expect.any(Array), ...(last ? {} : { NextToken: expect.any(String) }) });
      const list = { SecretId: v.name, IncludeDeprecated: true, MaxResults: 2 };
      return [
        create(v),
        put(v, 1),
        put(v, 2),
        put(v, 3),
        put(v, 4),
        call("ListSecretVersionIds", list, page(false), { as: "p1" }),
        call("ListSecretVersionIds", { ...list, NextToken: ref("p1.NextToken") }, page(false), { as: "p2" }),
        call("ListSecretVersionIds", { ...list, NextToken: ref("p2.NextToken") }, page(true)),
      ];
    },
    verify(results: StepResult[], v: Vars) {
      const pages = results.slice(5).map((r) => ((r.body?.Versions ?? []) as { VersionId: string }[]).map((e) => e.VersionId));
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat().sort()).toEqual(v.t.slice(0, 5).sort());
    },
  },
  {
    title: "ListSecretVersionIds with a NextToken it did not issue returns InvalidNextTokenException; MaxResults over 100 ValidationException",
    steps: (v) => [
      create(v),
      call("ListSecretVersionIds", { SecretId: v.name, NextToken: "bm90LWEtdG9rZW4" }, fails("InvalidNextTokenException")),
      call(
        "ListSecretVersionIds",
        { SecretId: v.name, MaxResults: 101 },
        fails("ValidationException", validationMessage("maxResults", "Member must have value less than or equal to 100")),
      ),
    ],
  },
  {
    title: "ListSecretVersionIds of a secret that does not exist returns ResourceNotFoundException",
    steps: (v) => [call("ListSecretVersionIds", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND))],
  },
  {
    title: "DescribeSecret of a fresh secret returns only ARN, Name, CreatedDate, LastChangedDate and VersionIdsToStages",
    steps: (v) => [
      create(v),
      call(
        "DescribeSecret",
        { SecretId: v.name },
        succeeds({ ARN: ref("c.ARN"), Name: v.name, CreatedDate: recent(), LastChangedDate: recent(), VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] } }),
      ),
    ],
  },
  {
    title: "DescribeSecret after GetSecretValue adds LastAccessedDate at day resolution, as does the version's entry",
    steps: (v) => [
      create(v),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: v.t[0],
        SecretString: "v1",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      })),
      call("DescribeSecret", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        CreatedDate: recent(),
        LastChangedDate: recent(),
        LastAccessedDate: today(),
        VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
      })),
      call("ListSecretVersionIds", { SecretId: v.name }, listed(v, [{ ...entry(v.t[0], ["AWSCURRENT"]), LastAccessedDate: today() }])),
    ],
  },
  {
    title: "DescribeSecret of a secret that does not exist returns ResourceNotFoundException",
    steps: (v) => [call("DescribeSecret", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND))],
  },
];

