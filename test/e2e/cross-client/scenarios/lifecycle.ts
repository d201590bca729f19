// DeleteSecret, RestoreSecret, TagResource and UntagResource (aws-behaviour.md §4, §7, E5, E56, E57).
import { allOf, arnOf, daysFromNow, differentFrom, recent, ref, uuid } from "../matchers";
import type { Scenario, Vars } from "../types";
import { ALREADY_DELETED, MARKED_FOR_DELETION, NOT_FOUND, call, fails, succeeds } from "./common";

const create = (v: Vars, secretString = "kept") =>
  call("CreateSecret", { Name: v.name, SecretString: secretString, ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), {
    as: "c",
  });

const identity = (v: Vars) => succeeds({ ARN: ref("c.ARN"), Name: v.name });

const described = (v: Vars, extra: Record<string, unknown> = {}) =>
  succeeds({
    ARN: ref("c.ARN"),
    Name: v.name,
    CreatedDate: recent(),
    LastChangedDate: recent(),
    VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
    ...extra,
  });

export const lifecycleScenarios: Scenario[] = [
  {
    title: "DeleteSecret with a recovery window schedules deletion; DescribeSecret shows DeletedDate; RestoreSecret cancels it",
    steps: (v) => [
      create(v),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 7 }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: daysFromNow(7) })),
      call("DescribeSecret", { SecretId: v.name }, described(v, { DeletedDate: recent() })),
      call("GetSecretValue", { SecretId: v.name }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 7 }, fails("InvalidRequestException", ALREADY_DELETED)),
      call("RestoreSecret", { SecretId: v.name }, identity(v)),
      call("DescribeSecret", { SecretId: v.name }, described(v)),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: v.t[0],
        SecretString: "kept",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      })),
    ],
  },
  {
    title: "DeleteSecret without RecoveryWindowInDays schedules deletion 30 days out",
    steps: (v) => [create(v), call("DeleteSecret", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: daysFromNow(30) }))],
  },
  {
    title: "DeleteSecret with ForceDeleteWithoutRecovery removes the secret and frees its name for a new ARN",
    steps: (v) => [
      create(v),
      call("DeleteSecret", { SecretId: v.name, ForceDeleteWithoutRecovery: true }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: recent() })),
      call("DescribeSecret", { SecretId: v.name }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("GetSecretValue", { SecretId: ref("c.ARN") }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("CreateSecret", { Name: v.name, SecretString: "reborn" }, succeeds({
        ARN: allOf(arnOf(v.name), differentFrom(ref("c.ARN"))),
        Name: v.name,
        VersionId: uuid(),
      })),
    ],
  },
  {
    title: "DeleteSecret with ForceDeleteWithoutRecovery of a secret scheduled for deletion deletes it at once",
    steps: (v) => [
      create(v),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 10 }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: daysFromNow(10) })),
      call("DeleteSecret", { SecretId: v.name, ForceDeleteWithoutRecovery: true }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: recent() })),
      call("DescribeSecret", { SecretId: v.name }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
  {
    title: "DeleteSecret with ForceDeleteWithoutRecovery on a name that does not exist answers as if it existed",
    steps: (v) => [
      call("DeleteSecret", { SecretId: v.missing, ForceDeleteWithoutRecovery: true }, succeeds({ ARN: arnOf(v.missing), Name: v.missing, DeletionDate: recent() })),
    ],
  },
  {
    title: "DeleteSecret with RecoveryWindowInDays outside 7–30, or together with ForceDeleteWithoutRecovery, returns InvalidParameterException",
    steps: (v) => [
      create(v),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 6 }, fails("InvalidParameterException")),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 31 }, fails("InvalidParameterException")),
      call(
        "DeleteSecret",
        { SecretId: v.name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true },
        fails("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."),
      ),
      call("DescribeSecret", { SecretId: v.name }, described(v)),
    ],
  },
  {
    title: "RestoreSecret of a secret not scheduled for deletion returns ARN and Name; of a missing one ResourceNotFoundException",
    steps: (v) => [
      create(v),
      call("RestoreSecret", { SecretId: v.name }, identity(v)),
      call("RestoreSecret", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
  {
    title: "TagResource adds tags in order and overwrites a key's value; UntagResource removes them and leaves Tags: []",
    steps: (v) => [
      create(v),
      call("TagResource", { SecretId: ref("c.ARN"), Tags: [{ Key: "tag1", Value: "value1" }, { Key: "tag2", Value: "value2" }] }, succeeds({})),
      call("TagResource", { SecretId: v.name, Tags: [{ Key: "tag1", Value: "changed" }, { Key: "tag3", Value: "" }] }, succeeds({})),
      call("DescribeSecret", { SecretId: v.name }, described(v, {
        Tags: [
          { Key: "tag1", Value: "changed" },
          { Key: "tag2", Value: "value2" },
          { Key: "tag3", Value: "" },
        ],
      })),
      call("UntagResource", { SecretId: ref("c.ARN"), TagKeys: ["tag1", "tag2", "tag3", "never-set"] }, succeeds({})),
      call("DescribeSecret", { SecretId: v.name }, described(v, { Tags: [] })),
    ],
  },
  {
    title: "TagResource and UntagResource on a secret marked for deletion return InvalidRequestException",
    steps: (v) => [
      create(v),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 7 }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: daysFromNow(7) })),
      call("TagResource", { SecretId: v.name, Tags: [{ Key: "k", Value: "v" }] }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
      call("UntagResource", { SecretId: v.name, TagKeys: ["k"] }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
    ],
  },
  {
    title: "TagResource with a key starting aws: returns InvalidParameterException and tags nothing",
    steps: (v) => [
      create(v),
      call("TagResource", { SecretId: v.name, Tags: [{ Key: "ok", Value: "1" }, { Key: "aws:reserved", Value: "2" }] }, fails("InvalidParameterException")),
      call("DescribeSecret", { SecretId: v.name }, described(v)),
    ],
  },
  {
    title: "TagResource and UntagResource on a secret that does not exist return ResourceNotFoundException",
    steps: (v) => [
      call("TagResource", { SecretId: v.missing, Tags: [{ Key: "k", Value: "v" }] }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("UntagResource", { SecretId: v.missing, TagKeys: ["k"] }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
];

