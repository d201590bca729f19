// GetSecretValue, PutSecretValue and UpdateSecret: lookups by name and ARN, version selection, label moves on
// new values, idempotent tokens, and the recorded errors (aws-behaviour.md E1, E7, E8, E51–E55, E57, §5).
import { arnOf, binary, daysFromNow, partialArn, recent, ref, text, today, unordered, uuid } from "../matchers";
import type { Scenario, Vars } from "../types";
import { BYTES_B64, MARKED_FOR_DELETION, NOT_FOUND, call, fails, succeeds } from "./common";

/** GetSecretValue's whole answer for a string version. */
const value = (v: Vars, versionId: unknown, secretString: string, stages: string[]) =>
  succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: versionId, SecretString: secretString, VersionStages: stages, CreatedDate: recent() });

const create = (v: Vars, secretString = "one") =>
  call("CreateSecret", { Name: v.name, SecretString: secretString, ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), {
    as: "c",
  });

const put = (v: Vars, token: string, secretString: string, stages = ["AWSCURRENT"], input: Record<string, unknown> = {}) =>
  call(
    "PutSecretValue",
    { SecretId: v.name, SecretString: secretString, ClientRequestToken: token, ...input },
    succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: token, VersionStages: stages }),
  );

export const valueScenarios: Scenario[] = [
  {
    title: "GetSecretValue finds a secret by name, by full ARN and by partial ARN",
    steps: (v) => [
      create(v, "found me"),
      call("GetSecretValue", { SecretId: v.name }, value(v, v.t[0], "found me", ["AWSCURRENT"])),
      call("GetSecretValue", { SecretId: ref("c.ARN") }, value(v, v.t[0], "found me", ["AWSCURRENT"])),
      call("GetSecretValue", { SecretId: partialArn(v.name) }, value(v, v.t[0], "found me", ["AWSCURRENT"])),
    ],
  },
  {
    title: "GetSecretValue selects a version by VersionId, by VersionStage, or both",
    steps: (v) => [
      create(v, "one"),
      put(v, v.t[1]!, "two"),
      call("GetSecretValue", { SecretId: v.name, VersionId: v.t[0] }, value(v, v.t[0], "one", ["AWSPREVIOUS"])),
      call("GetSecretValue", { SecretId: v.name, VersionStage: "AWSPREVIOUS" }, value(v, v.t[0], "one", ["AWSPREVIOUS"])),
      call("GetSecretValue", { SecretId: v.name, VersionStage: "AWSCURRENT" }, value(v, v.t[1], "two", ["AWSCURRENT"])),
      call("GetSecretValue", { SecretId: v.name, VersionId: v.t[1], VersionStage: "AWSCURRENT" }, value(v, v.t[1], "two", ["AWSCURRENT"])),
    ],
  },
  {
    title: "GetSecretValue returns Unicode, control characters and NUL in SecretString unchanged",
    steps: (v) => {
      const odd = "emoji 🔐🧪, RTL \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c, controls \u0000\u0001\u001f\u007f, tab\tnew\nline, quote \" backslash \\";
      return [create(v, odd), call("GetSecretValue", { SecretId: v.name }, value(v, v.t[0], odd, ["AWSCURRENT"]))];
    },
  },
  {
    title: "GetSecretValue of a secret that does not exist returns ResourceNotFoundException",
    steps: (v) => [call("GetSecretValue", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND))],
  },
  {
    title: "GetSecretValue with an unknown VersionId or unattached VersionStage returns ResourceNotFoundException; a mismatched pair InvalidRequestException",
    steps: (v) => [
      create(v),
      call(
        "GetSecretValue",
        { SecretId: ref("c.ARN"), VersionStage: "AWSPREVIOUS" },
        fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"),
      ),
      call(
        "GetSecretValue",
        { SecretId: v.name, VersionId: v.t[9] },
        fails("ResourceNotFoundException", `Secrets Manager can't find the specified secret value for VersionId: ${v.t[9]}`),
      ),
      call(
        "GetSecretValue",
        { SecretId: v.name, VersionStage: "AWSPENDING" },
        fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPENDING"),
      ),
      put(v, v.t[1]!, "two"),
      call(
        "GetSecretValue",
        { SecretId: v.name, VersionId: v.t[0], VersionStage: "AWSCURRENT" },
        fails("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId."),
      ),
    ],
  },
  {
    title: "PutSecretValue without VersionStages makes the new version AWSCURRENT and the old one AWSPREVIOUS",
    steps: (v) => [
      create(v),
      put(v, v.t[1]!, "second"),
      call(
        "DescribeSecret",
        { SecretId: v.name },
        succeeds({
          ARN: ref("c.ARN"),
          Name: v.name,
          CreatedDate: recent(),
          LastChangedDate: recent(),
          VersionIdsToStages: { [v.t[0]!]: ["AWSPREVIOUS"], [v.t[1]!]: ["AWSCURRENT"] },
        }),
      ),
    ],
  },
  {
    title: "PutSecretValue with VersionStages attaches only those labels, moves them on the next put, and leaves AWSCURRENT",
    steps: (v) => [
      create(v, "current"),
      put(v, v.t[1]!, "staged", ["SAMPLESTAGE0", "SAMPLESTAGE1"], { VersionStages: ["SAMPLESTAGE1", "SAMPLESTAGE0"] }),
      call("GetSecretValue", { SecretId: v.name }, value(v, v.t[0], "current", ["AWSCURRENT"])),
      call("GetSecretValue", { SecretId: v.name, VersionStage: "SAMPLESTAGE0" }, value(v, v.t[1], "staged", ["SAMPLESTAGE0", "SAMPLESTAGE1"])),
      put(v, v.t[2]!, "restaged", ["SAMPLESTAGE0", "SAMPLESTAGE1"], { VersionStages: ["SAMPLESTAGE1", "SAMPLESTAGE0"] }),
      call("GetSecretValue", { SecretId: v.name, VersionStage: "SAMPLESTAGE1" }, value(v, v.t[2], "restaged", ["SAMPLESTAGE0", "SAMPLESTAGE1"])),
      // v2 lost every label, so it is no longer listed.
      call(
        "ListSecretVersionIds",
        { SecretId: v.name },
        succeeds({
          ARN: ref("c.ARN"),
          Name: v.name,
          Versions: unordered([
            { VersionId: v.t[0], VersionStages: ["AWSCURRENT"], CreatedDate: recent(), KmsKeyIds: ["DefaultEncryptionKey"], LastAccessedDate: today() },
            { VersionId: v.t[2], VersionStages: ["SAMPLESTAGE0", "SAMPLESTAGE1"], CreatedDate: recent(), KmsKeyIds: ["DefaultEncryptionKey"], LastAccessedDate: today() },
          ]),
        }),
      ),
    ],
  },
  {
    title: "PutSecretValue with VersionStages [AWSCURRENT, PUT0] also moves AWSPREVIOUS to the old version",
    steps: (v) => [
      create(v),
      put(v, v.t[1]!, "two", ["AWSCURRENT", "PUT0"], { VersionStages: ["AWSCURRENT", "PUT0"] }),
      call(
        "DescribeSecret",
        { SecretId: v.name },
        succeeds({
          ARN: ref("c.ARN"),
          Name: v.name,
          CreatedDate: recent(),
          LastChangedDate: recent(),
          VersionIdsToStages: { [v.t[0]!]: ["AWSPREVIOUS"], [v.t[1]!]: ["AWSCURRENT", "PUT0"] },
        }),
      ),
    ],
  },
  {
    title: "PutSecretValue with SecretBinary adds a binary version",
    steps: (v) => [
      create(v),
      call("PutSecretValue", { SecretId: v.name, SecretBinary: binary(BYTES_B64) }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: uuid(),
        VersionStages: ["AWSCURRENT"],
      }), { as: "p" }),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: ref("p.VersionId"),
        SecretBinary: BYTES_B64,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      })),
    ],
  },
  {
    title: "PutSecretValue repeated with the same ClientRequestToken and value is idempotent; with another value ResourceExistsException",
    steps: (v) => [
      create(v),
      put(v, v.t[1]!, "same"),
      put(v, v.t[1]!, "same"),
      call(
        "PutSecretValue",
        { SecretId: v.name, SecretString: "different", ClientRequestToken: v.t[1] },
        fails("ResourceExistsException", text(`You can't use ClientRequestToken ${v.t[1]} because that value is already in use for a version of secret `, ref("c.ARN"), ".")),
      ),
      call("ListSecretVersionIds", { SecretId: v.name, IncludeDeprecated: true }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        Versions: unordered([
          { VersionId: v.t[0], VersionStages: ["AWSPREVIOUS"], CreatedDate: recent(), KmsKeyIds: ["DefaultEncryptionKey"] },
          { VersionId: v.t[1], VersionStages: ["AWSCURRENT"], CreatedDate: recent(), KmsKeyIds: ["DefaultEncryptionKey"] },
        ]),
      })),
    ],
  },
  {
    title: "PutSecretValue on a secret without versions makes the first version AWSCURRENT",
    steps: (v) => [
      call("CreateSecret", { Name: v.name }, succeeds({ ARN: arnOf(v.name), Name: v.name }), { as: "c" }),
      put(v, v.t[1]!, "first"),
      call("GetSecretValue", { SecretId: v.name }, value(v, v.t[1], "first", ["AWSCURRENT"])),
    ],
  },
  {
    title: "PutSecretValue on a secret that does not exist returns ResourceNotFoundException; on one marked for deletion InvalidRequestException",
    steps: (v) => [
      call("PutSecretValue", { SecretId: v.missing, SecretString: "x" }, fails("ResourceNotFoundException", NOT_FOUND)),
      create(v),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 7 }, succeeds({ ARN: ref("c.ARN"), Name: v.name, DeletionDate: daysFromNow(7) })),
      call("PutSecretValue", { SecretId: v.name, SecretString: "x" }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
      call("GetSecretValue", { SecretId: v.name }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
      call("UpdateSecret", { SecretId: v.name, Description: "x" }, fails("InvalidRequestException", MARKED_FOR_DELETION)),
    ],
  },
  {
    title: "UpdateSecret changing only the Description returns ARN and Name without a VersionId",
    steps: (v) => [
      create(v),
      call("UpdateSecret", { SecretId: v.name, Description: "new description" }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("UpdateSecret", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("DescribeSecret", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        Description: "new description",
        CreatedDate: recent(),
        LastChangedDate: recent(),
        VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
      })),
    ],
  },
  {
    title: "UpdateSecret with a new SecretString creates a new AWSCURRENT version; the token is idempotent",
    steps: (v) => [
      create(v, "old"),
      call("UpdateSecret", { SecretId: ref("c.ARN"), SecretString: "new", ClientRequestToken: v.t[1] }, succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[1] })),
      call("UpdateSecret", { SecretId: v.name, SecretString: "new", ClientRequestToken: v.t[1] }, succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[1] })),
      call(
        "UpdateSecret",
        { SecretId: v.name, SecretString: "newer", ClientRequestToken: v.t[1] },
        fails("ResourceExistsException", text(`You can't use ClientRequestToken ${v.t[1]} because that value is already in use for a version of secret `, ref("c.ARN"), ".")),
      ),
      call("GetSecretValue", { SecretId: v.name }, value(v, v.t[1], "new", ["AWSCURRENT"])),
      call("GetSecretValue", { SecretId: v.name, VersionStage: "AWSPREVIOUS" }, value(v, v.t[0], "old", ["AWSPREVIOUS"])),
    ],
  },
  {
    title: "UpdateSecret with SecretBinary replaces a string value with bytes",
    steps: (v) => [
      create(v, "text"),
      call("UpdateSecret", { SecretId: v.name, SecretBinary: binary(BYTES_B64), ClientRequestToken: v.t[1] }, succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[1] })),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: v.t[1],
        SecretBinary: BYTES_B64,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      })),
    ],
  },
  {
    title: "UpdateSecret of a secret that does not exist returns ResourceNotFoundException",
    steps: (v) => [call("UpdateSecret", { SecretId: v.missing, Description: "x" }, fails("ResourceNotFoundException", NOT_FOUND))],
  },
];
