// CreateSecret: shapes with and without a value, binary, idempotent retries, and its errors (aws-behaviour.md §2, §4).
import { arnOf, binary, daysFromNow, recent, ref, text, uuid } from "../matchers";
import type { Scenario } from "../types";
import { BOTH_VALUES, BYTES_B64, INVALID_NAME, call, fails, succeeds, validationMessage } from "./common";

export const createScenarios: Scenario[] = [
  {
    title: "CreateSecret with SecretString, Description and Tags returns ARN, Name and the ClientRequestToken as VersionId",
    steps: (v) => [
      call(
        "CreateSecret",
        {
          Name: v.name,
          SecretString: "s3cret",
          ClientRequestToken: v.t[0],
          Description: "db password",
          Tags: [
            { Key: "team", Value: "payments" },
            { Key: "env", Value: "e2e" },
          ],
        },
        succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }),
        { as: "c" },
      ),
      call(
        "DescribeSecret",
        { SecretId: v.name },
        succeeds({
          ARN: ref("c.ARN"),
          Name: v.name,
          Description: "db password",
          CreatedDate: recent(),
          LastChangedDate: recent(),
          Tags: [
            { Key: "team", Value: "payments" },
            { Key: "env", Value: "e2e" },
          ],
          VersionIdsToStages: { [v.t[0]!]: ["AWSCURRENT"] },
        }),
      ),
    ],
  },
  {
    title: "CreateSecret with SecretBinary stores the bytes exactly, including 0x00 and 0xff",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretBinary: binary(BYTES_B64) }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: uuid() }), {
        as: "c",
      }),
      call(
        "GetSecretValue",
        { SecretId: v.name },
        succeeds({
          ARN: ref("c.ARN"),
          Name: v.name,
          VersionId: ref("c.VersionId"),
          SecretBinary: BYTES_B64,
          VersionStages: ["AWSCURRENT"],
          CreatedDate: recent(),
        }),
      ),
    ],
  },
  {
    title: 'CreateSecret with KmsKeyId "alias/aws/secretsmanager" encrypts under the default key and reads back',
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "under the default key", KmsKeyId: "alias/aws/secretsmanager" }, succeeds({
        ARN: arnOf(v.name),
        Name: v.name,
        VersionId: uuid(),
      })),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: arnOf(v.name),
        Name: v.name,
        VersionId: uuid(),
        SecretString: "under the default key",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      })),
    ],
  },
  {
    title: "CreateSecret with a KmsKeyId that names no key returns EncryptionFailure and creates nothing",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "x", KmsKeyId: "alias/no-such-key" }, fails("EncryptionFailure")),
      call("DescribeSecret", { SecretId: v.name }, fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")),
    ],
  },
  {
    title: "CreateSecret without a value and with an empty Description returns no VersionId; the secret has no versions, no Description",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, Description: "" }, succeeds({ ARN: arnOf(v.name), Name: v.name }), { as: "c" }),
      call("DescribeSecret", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name, CreatedDate: recent(), LastChangedDate: recent() })),
      call(
        "GetSecretValue",
        { SecretId: v.name },
        fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"),
      ),
      call("ListSecretVersionIds", { SecretId: v.name, IncludeDeprecated: true }, succeeds({ ARN: ref("c.ARN"), Name: v.name, Versions: [] })),
    ],
  },
  {
    title: "CreateSecret for a name that already exists returns ResourceExistsException",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "first" }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: uuid() })),
      call(
        "CreateSecret",
        { Name: v.name, SecretString: "other" },
        fails("ResourceExistsException", `The operation failed because the secret ${v.name} already exists.`),
      ),
    ],
  },
  {
    title: "CreateSecret for a name scheduled for deletion returns InvalidRequestException",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "first" }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: uuid() })),
      call("DeleteSecret", { SecretId: v.name, RecoveryWindowInDays: 7 }, succeeds({ ARN: arnOf(v.name), Name: v.name, DeletionDate: daysFromNow(7) })),
      call(
        "CreateSecret",
        { Name: v.name, SecretString: "again" },
        fails("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion."),
      ),
    ],
  },
  {
    title: "CreateSecret with both SecretString and SecretBinary returns InvalidParameterException",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "s", SecretBinary: binary(BYTES_B64) }, fails("InvalidParameterException", BOTH_VALUES)),
      call("DescribeSecret", { SecretId: v.name }, fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")),
    ],
  },
  {
    title: "CreateSecret retried with the same ClientRequestToken and value answers as the first; with another value ResourceExistsException",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "same", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), {
        as: "c",
      }),
      call("CreateSecret", { Name: v.name, SecretString: "same", ClientRequestToken: v.t[0] }, succeeds({ ARN: ref("c.ARN"), Name: v.name, VersionId: v.t[0] })),
      call(
        "CreateSecret",
        { Name: v.name, SecretString: "different", ClientRequestToken: v.t[0] },
        fails(
          "ResourceExistsException",
          text(`You can't use ClientRequestToken ${v.t[0]} because that value is already in use for a version of secret `, ref("c.ARN"), "."),
        ),
      ),
    ],
  },
  {
    title: "CreateSecret with a Description over 2048 characters returns ValidationException",
    steps: (v) => [
      call(
        "CreateSecret",
        { Name: v.name, Description: "d".repeat(2049) },
        fails("ValidationException", validationMessage("description", "Member must have length less than or equal to 2048")),
      ),
    ],
  },
  {
    title: "Every operation that takes a secret name answers ValidationException for a name with a space, before looking it up",
    steps: () => {
      const id = "Inv Name";
      const invalid = fails("ValidationException", INVALID_NAME);
      return [
        call("CreateSecret", { Name: id, SecretString: "x" }, invalid),
        call("DeleteSecret", { SecretId: id, ForceDeleteWithoutRecovery: true }, invalid),
        call("DescribeSecret", { SecretId: id }, invalid),
        call("GetSecretValue", { SecretId: id }, invalid),
        call("ListSecretVersionIds", { SecretId: id, IncludeDeprecated: true }, invalid),
        call("PutSecretValue", { SecretId: id, SecretString: "x" }, invalid),
        call("TagResource", { SecretId: id, Tags: [{ Key: "k", Value: "v" }] }, invalid),
        call("UntagResource", { SecretId: id, TagKeys: ["k"] }, invalid),
        call("UpdateSecret", { SecretId: id, SecretString: "x" }, invalid),
      ];
    },
  },
];
