// Builds the IAM request context (condition keys → values) for a Secrets Manager request from plain facts.
import { isRoot, roleArnOf } from "./principal";
import type { ConditionContext, Principal } from "./types";

/** What an operation knows about a request, in domain terms; every field is optional except the caller. */
export interface RequestFacts {
  principal: Principal;
  /** Tags of the caller (aws:PrincipalTag/<key>). */
  principalTags?: Record<string, string>;
  sourceIp?: string;
  secureTransport?: boolean;
  /** aws:CurrentTime and aws:EpochTime. */
  now?: Date;
  /** The secret's tags: aws:ResourceTag/<key> and secretsmanager:ResourceTag/<key>. */
  resourceTags?: Record<string, string>;
  /** Tags in the request (CreateSecret, TagResource): aws:RequestTag/<key>, and aws:TagKeys unless given. */
  requestTags?: Record<string, string>;
  /** aws:TagKeys, e.g. the keys UntagResource removes. */
  tagKeys?: string[];
  secret?: {
    name?: string;
    secretId?: string;
    versionId?: string;
    versionStage?: string;
    description?: string;
    kmsKeyId?: string;
  };
  /** Any further keys, e.g. secretsmanager:RecoveryWindowInDays; these win over the derived ones. */
  extra?: ConditionContext;
}

/** The principal keys IAM always sets: aws:PrincipalArn (the role for a session), account, type, username. */
export function principalContext(principal: Principal): ConditionContext {
  const role = roleArnOf(principal);
  const type = isRoot(principal) ? "Account" : role ? "AssumedRole" : /:federated-user\//.test(principal.arn) ? "FederatedUser" : "User";
  const context: ConditionContext = {
    "aws:PrincipalArn": role ?? principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": type,
  };
  if (type === "User") context["aws:username"] = principal.arn.split("/").pop();
  return context;
}

const prefixed = (prefix: string, tags: Record<string, string> | undefined): ConditionContext =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [`${prefix}${key}`, value]));

/** The request context for evaluate(); keys not known for this request are simply absent. */
export function buildContext(facts: RequestFacts): ConditionContext {
  const secret = facts.secret ?? {};
  const tagKeys = facts.tagKeys ?? (facts.requestTags ? Object.keys(facts.requestTags) : undefined);
  return {
    ...principalContext(facts.principal),
    ...prefixed("aws:PrincipalTag/", facts.principalTags),
    ...prefixed("aws:ResourceTag/", facts.resourceTags),
    ...prefixed("secretsmanager:ResourceTag/", facts.resourceTags),
    ...prefixed("aws:RequestTag/", facts.requestTags),
    "aws:TagKeys": tagKeys,
    "aws:SourceIp": facts.sourceIp,
    "aws:SecureTransport": facts.secureTransport === undefined ? undefined : String(facts.secureTransport),
    // AWS renders aws:CurrentTime without milliseconds, e.g. 2024-06-01T12:00:00Z.
    "aws:CurrentTime": facts.now?.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": facts.now === undefined ? undefined : String(Math.floor(facts.now.getTime() / 1000)),
    "secretsmanager:Name": secret.name,
    "secretsmanager:SecretId": secret.secretId,
    "secretsmanager:VersionId": secret.versionId,
    "secretsmanager:VersionStage": secret.versionStage,
    "secretsmanager:Description": secret.description,
    "secretsmanager:KmsKeyId": secret.kmsKeyId,
    ...facts.extra,
  };
}
