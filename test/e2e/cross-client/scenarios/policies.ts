// The resource-policy operations (aws-behaviour.md §4 "Put/DeleteResourcePolicy", "GetResourcePolicy", §2b
// PublicPolicyException): the policy text round-trips as sent, BlockPublicPolicy refuses broad access, and
// ValidateResourcePolicy reports its checks. Each scenario runs only when the server registers the operations.
import { arnOf, ref } from "../matchers";
import type { Scenario } from "../types";
import { NOT_FOUND, call, fails, succeeds } from "./common";

const POLICY_OPS = ["GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy"];
const document = (principal: unknown) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
// Line breaks and spacing as the API reference's example has them: kept byte for byte.
const ACCOUNT_READ = '{\n"Version":"2012-10-17",\n"Statement":[{\n"Effect":"Allow",\n"Principal":{\n"AWS":"arn:aws:iam::111122223333:root"\n},\n"Action":"secretsmanager:GetSecretValue",\n"Resource":"*"\n}]\n}';
const PUBLIC_MESSAGE = "You can't attach a resource-based policy that allows broad access to the secret.";

export const policyScenarios: Scenario[] = [
  {
    title: "PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy round-trip the policy text exactly",
    requires: POLICY_OPS,
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "x", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), { as: "c" }),
      call("GetResourcePolicy", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("PutResourcePolicy", { SecretId: v.name, ResourcePolicy: ACCOUNT_READ }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("GetResourcePolicy", { SecretId: ref("c.ARN") }, succeeds({ ARN: ref("c.ARN"), Name: v.name, ResourcePolicy: ACCOUNT_READ })),
      call("DeleteResourcePolicy", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      call("GetResourcePolicy", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
    ],
  },
  {
    title: "PutResourcePolicy with BlockPublicPolicy refuses a public policy (PublicPolicyException); a malformed one is MalformedPolicyDocumentException",
    requires: POLICY_OPS,
    steps: (v) => [
      call("CreateSecret", { Name: v.name, SecretString: "x", ClientRequestToken: v.t[0] }, succeeds({ ARN: arnOf(v.name), Name: v.name, VersionId: v.t[0] }), { as: "c" }),
      call("PutResourcePolicy", { SecretId: v.name, ResourcePolicy: document("*"), BlockPublicPolicy: true }, fails("PublicPolicyException", PUBLIC_MESSAGE)),
      call("PutResourcePolicy", { SecretId: v.name, ResourcePolicy: "{not json" }, fails("MalformedPolicyDocumentException", "This policy has invalid syntax.")),
      call("GetResourcePolicy", { SecretId: v.name }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
      // Without BlockPublicPolicy (false by default) the same public policy is attached, as AWS records.
      call("PutResourcePolicy", { SecretId: v.name, ResourcePolicy: document("*") }, succeeds({ ARN: ref("c.ARN"), Name: v.name })),
    ],
  },
  {
    title: "ValidateResourcePolicy reports PolicyValidationPassed and the failed checks in ValidationErrors",
    requires: ["ValidateResourcePolicy"],
    steps: (v) => [
      call("ValidateResourcePolicy", { ResourcePolicy: ACCOUNT_READ }, succeeds({ PolicyValidationPassed: true, ValidationErrors: [] })),
      call("ValidateResourcePolicy", { ResourcePolicy: document({ AWS: "*" }) }, succeeds({
        PolicyValidationPassed: false,
        ValidationErrors: [{ CheckName: "PUBLIC_POLICY", ErrorMessage: /^Statement 0 allows broad access/ }],
      })),
      call("ValidateResourcePolicy", { SecretId: v.missing, ResourcePolicy: ACCOUNT_READ }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
  {
    title: "The policy operations on a secret that does not exist return ResourceNotFoundException",
    requires: POLICY_OPS,
    steps: (v) => [
      call("GetResourcePolicy", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("PutResourcePolicy", { SecretId: v.missing, ResourcePolicy: ACCOUNT_READ }, fails("ResourceNotFoundException", NOT_FOUND)),
      call("DeleteResourcePolicy", { SecretId: v.missing }, fails("ResourceNotFoundException", NOT_FOUND)),
    ],
  },
];
