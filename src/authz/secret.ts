// The authorization judgement of one request against one secret: the facts the Worker sends (caller, action,
// request keys) plus the secret's own (ARN, tags, resource policy) → IAM evaluation → allowed, or the
// AccessDeniedException AWS answers. Pure, so the object can judge inside the transaction that acts.
import type { PreparedCall } from "../audit/prepared-call";
import {
  type AuthzResult, type ConditionContext, type PolicyDocument, type Principal, type RequestFacts, accessDeniedMessage, buildContext, evaluate,
  mayAllowSomeResource, parsePolicy,
} from "./index";
import type { DomainError } from "../domain/errors";
import type { TagPair } from "../domain/tags";

/** Condition keys that come from the request itself (the AWS service authorization reference lists which per action). */
export interface RequestKeys {
  /** secretsmanager:Name (CreateSecret). */
  name?: string;
  /** secretsmanager:Description (CreateSecret, UpdateSecret). */
  description?: string;
  /** secretsmanager:KmsKeyId (CreateSecret, UpdateSecret). */
  kmsKeyId?: string;
  /** secretsmanager:VersionId (GetSecretValue). */
  versionId?: string;
  /** secretsmanager:VersionStage (GetSecretValue, UpdateSecretVersionStage). */
  versionStage?: string;
  /** aws:RequestTag/<k> and aws:TagKeys (CreateSecret, TagResource). */
  requestTags?: Record<string, string>;
  /** aws:TagKeys (UntagResource). */
  tagKeys?: string[];
  /** Further keys, e.g. secretsmanager:RecoveryWindowInDays. */
  extra?: ConditionContext;
}

/** What the Worker sends with every RPC: who asks, for what action, with which request facts. */
export interface Auth {
  principal: Principal;
  /** The access key's identity policy; undefined = the project default (full access to its own account). */
  identityPolicy?: PolicyDocument;
  principalTags?: Record<string, string>;
  sourceIp?: string;
  secureTransport?: boolean;
  /** aws:RequestedRegion: the region of the request's credential scope. */
  requestedRegion?: string;
  /** The request time (aws:CurrentTime), epoch milliseconds. */
  now: number;
  /** `secretsmanager:<Operation>`. */
  action: string;
  /** The resource AccessDeniedException names: the SecretId as sent (as AWS does), or the new ARN for CreateSecret. */
  named: string;
  request?: RequestKeys;
  /** The record of a state-changing call, short of its outcome: the object commits it with the change. */
  audit?: PreparedCall;
}

/** The secret being judged: its ARN (or, for one that does not exist, the ARN it would have), tags and policy. */
export interface Subject {
  arn: string;
  tags?: readonly TagPair[];
  policy?: PolicyDocument;
  /** secretsmanager:resource/AllowRotationLambdaArn: the secret's stored rotation function. */
  rotationLambdaArn?: string;
  /** secretsmanager:resource/Type: the secret's Type. */
  type?: string;
}

/** The IAM evaluation of `auth` on `subject`. */
export function decide(auth: Auth, subject: Subject): AuthzResult {
  return evaluate({
    principal: auth.principal,
    action: auth.action,
    resource: subject.arn,
    identityPolicy: auth.identityPolicy,
    resourcePolicy: subject.policy,
    context: contextOf(auth, subject),
  });
}

/** AccessDeniedException with AWS's message for a denial. */
export function accessDenied(auth: Auth, result: AuthzResult): DomainError {
  return { code: "AccessDeniedException", message: accessDeniedMessage({ principal: auth.principal, action: auth.action, resource: auth.named }, result) };
}

/** The IAM decision for `auth` on `subject`: undefined when allowed, else AccessDeniedException with AWS's message. */
export function judge(auth: Auth, subject: Subject): DomainError | undefined {
  const result = decide(auth, subject);
  return result.decision === "Allow" ? undefined : accessDenied(auth, result);
}

/** The request context: the caller's keys, the request's and the secret's. */
export function contextOf(auth: Auth, subject: Subject): ConditionContext {
  const r = auth.request ?? {};
  const facts: RequestFacts = {
    principal: auth.principal,
    principalTags: auth.principalTags,
    sourceIp: auth.sourceIp,
    secureTransport: auth.secureTransport,
    now: new Date(auth.now),
    resourceTags: subject.tags && Object.fromEntries(subject.tags.map((t) => [t.Key, t.Value])),
    requestTags: r.requestTags,
    tagKeys: r.tagKeys,
    secret: {
      name: r.name,
      // An ARN-typed key: the secret's full ARN however the caller named it, so ArnLike works for names too.
      secretId: subject.arn === "*" || auth.action === "secretsmanager:CreateSecret" ? undefined : subject.arn,
      versionId: r.versionId,
      versionStage: r.versionStage,
      description: r.description,
      kmsKeyId: r.kmsKeyId,
    },
    extra: {
      "aws:RequestedRegion": auth.requestedRegion,
      "secretsmanager:resource/AllowRotationLambdaArn": subject.rotationLambdaArn,
      "secretsmanager:resource/Type": subject.type,
      ...r.extra,
    },
  };
  return buildContext(facts);
}

/**
 * The ARN judged for a secret that does not exist: the full ARN the caller gave, or the name with `-??????` for
 * its unknown suffix. A policy written the recommended way (`secret:app/db-??????`, `secret:app/*`) then decides
 * exactly as it would for the existing secret, while one naming a specific suffix matches no made-up ARN.
 */
export function absentArn(region: string, accountId: string, name: string, suffix?: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix ?? "??????"}`;
}

const parsedPolicies = new Map<string, PolicyDocument | undefined>();

/** What an unreadable stored policy stands for: denies everyone everything but the three policy operations. */
const UNREADABLE: PolicyDocument = {
  version: "2012-10-17",
  statements: [
    {
      index: 0, sid: "StoredPolicyUnreadable", effect: "Deny", conditions: [], resources: ["*"],
      notActions: ["secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy"],
      principal: { anyone: true, aws: [], service: [] },
    },
  ],
};

/**
 * A stored resource policy, parsed (and cached per isolate). It was parsed before it was stored, so a failure means
 * the parser changed since: logged, and judged closed (UNREADABLE) while the owner can still read and replace it.
 */
export function storedPolicy(text: string | null): PolicyDocument | undefined {
  if (text === null) return undefined;
  if (parsedPolicies.has(text)) return parsedPolicies.get(text);
  const parsed = parsePolicy(text, "resource");
  if (!parsed.ok) console.error(JSON.stringify({ event: "stored_policy_unparsable", problems: parsed.problems.map((p) => p.detail) }));
  if (parsedPolicies.size >= 500) parsedPolicies.clear();
  const policy = parsed.ok ? parsed.policy : UNREADABLE;
  parsedPolicies.set(text, policy);
  return policy;
}

/** Whether the identity policy could allow `auth` on some secret (evaluate.ts mayAllowSomeResource). */
export function mayAllowSomeSecret(auth: Auth): boolean {
  return mayAllowSomeResource({ principal: auth.principal, action: auth.action, identityPolicy: auth.identityPolicy, context: contextOf(auth, { arn: "*" }) });
}

/** Condition keys whose value comes from the secret judged (its tags, ARN, resource), as in evaluate.ts. */
const SECRET_KEY = /^(aws:ResourceTag\/|secretsmanager:ResourceTag|secretsmanager:SecretId$|secretsmanager:resource\/)/i;

/**
 * A denial the identity policy decides alone, before the secret's object is touched (so a denied caller makes the
 * runtime keep no object for the names it asks about): an explicit Deny that names the action, applies to every ARN
 * the name can have (`arns`: the one ARN given, or the name under two different suffixes; no NotResource), and whose
 * conditions read no key of the secret. Anything less certain is left to the object, which judges with its state.
 */
export function deniedBeforeLookup(auth: Auth, arns: readonly string[]): DomainError | undefined {
  const policy = auth.identityPolicy;
  if (!policy) return undefined;
  const certain = policy.statements.filter(
    (s) => s.effect === "Deny" && s.notResources === undefined && s.conditions.every((c) => !SECRET_KEY.test(c.key)),
  );
  if (certain.length === 0) return undefined;
  const only = { ...auth, identityPolicy: { ...policy, statements: certain } };
  const results = arns.map((arn) => decide(only, { arn }));
  return results.every((r) => r.decision === "ExplicitDeny") ? accessDenied(auth, results[0]!) : undefined;
}
