// GetRandomPassword, signatures and regions: what every client sees for requests that touch no secret's value,
// and for requests the service must refuse before looking at anything.
import { arnOf, password, recent, ref, uuid } from "../matchers";
import type { Scenario } from "../types";
import { NOT_FOUND, call, fails, succeeds, validationMessage } from "./common";

const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;
const DIGIT = /[0-9]/;
const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const ANY_DEFAULT = /[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

export const miscScenarios: Scenario[] = [
  {
    title: "GetRandomPassword defaults to 32 characters with every character type",
    steps: () => [call("GetRandomPassword", {}, succeeds({ RandomPassword: password(32, ANY_DEFAULT, [LOWER, UPPER, DIGIT, PUNCT]) }))],
  },
  {
    title: "GetRandomPassword honours PasswordLength, ExcludePunctuation, ExcludeCharacters and IncludeSpace",
    steps: () => [
      call("GetRandomPassword", { PasswordLength: 20, ExcludePunctuation: true, ExcludeCharacters: "abc" }, succeeds({
        RandomPassword: password(20, /[d-zA-Z0-9]/, [LOWER, UPPER, DIGIT]),
      })),
      call(
        "GetRandomPassword",
        { PasswordLength: 5, IncludeSpace: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true },
        succeeds({ RandomPassword: "     " }),
      ),
      call("GetRandomPassword", { PasswordLength: 4096, RequireEachIncludedType: false }, succeeds({ RandomPassword: password(4096, ANY_DEFAULT) })),
    ],
  },
  {
    title: "GetRandomPassword excluding every character type returns InvalidParameterException; PasswordLength over 4096 ValidationException",
    steps: () => [
      call("GetRandomPassword", { ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true }, fails("InvalidParameterException")),
      call(
        "GetRandomPassword",
        { PasswordLength: 4097 },
        fails("ValidationException", validationMessage("passwordLength", "Member must have value less than or equal to 4096")),
      ),
    ],
  },
  {
    title: "A request signed with the wrong secret key gets InvalidSignatureException; with an unknown access key UnrecognizedClientException",
    steps: (v) => [
      call(
        "GetSecretValue",
        { SecretId: v.missing },
        fails(
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ),
        { credentials: { accessKeyId: "test", secretAccessKey: "wrong-secret" } },
      ),
      call(
        "CreateSecret",
        { Name: v.name, SecretString: "x" },
        fails("UnrecognizedClientException", "The security token included in the request is invalid."),
        { credentials: { accessKeyId: "AKIDNOBODYATALL", secretAccessKey: "test" } },
      ),
      // Neither request created anything.
      call("DescribeSecret", { SecretId: v.name }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
  {
    title: "A secret lives in the region its request was signed for: its ARN names that region and other regions do not see it",
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "in ireland" }, succeeds({ ARN: arnOf(v.name, "eu-west-1"), Name: v.name, VersionId: uuid() }), {
        region: "eu-west-1",
        as: "c",
      }),
      call("GetSecretValue", { SecretId: v.name }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("GetSecretValue", { SecretId: v.name }, succeeds({
        ARN: ref("c.ARN"),
        Name: v.name,
        VersionId: ref("c.VersionId"),
        SecretString: "in ireland",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: recent(),
      }), { region: "eu-west-1" }),
    ],
  },
];

