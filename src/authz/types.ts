// The typed shapes of IAM policy documents, requests and decisions shared by the authz modules.

export type PolicyKind = "identity" | "resource";
export type PolicyVersion = "2012-10-17" | "2008-10-17";

/** Principal or NotPrincipal of a resource-policy statement, normalised. */
export interface PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: every principal. */
  anyone: boolean;
  /** `AWS` entries other than `*`: 12-digit account ids or IAM/STS ARNs. */
  aws: string[];
  /** `Service` entries, e.g. `lambda.amazonaws.com`. */
  service: string[];
}

export type SetQualifier = "ForAnyValue" | "ForAllValues";

/** One operator/key pair of a Condition block, e.g. `ForAnyValue:StringLikeIfExists` on `aws:TagKeys`. */
export interface ConditionClause {
  /** The operator as written. */
  operator: string;
  /** The operator without qualifier and `IfExists`, e.g. `StringLike`. */
  base: string;
  qualifier?: SetQualifier;
  ifExists: boolean;
  /** The condition key as written (matched case-insensitively). */
  key: string;
  /** The policy values, as strings (JSON numbers and booleans are stringified). */
  values: string[];
}

export interface Statement {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSet;
  notPrincipal?: PrincipalSet;
  conditions: ConditionClause[];
}

export interface PolicyDocument {
  /** A missing Version means 2008-10-17, as in IAM: policy variables are then literal text. */
  version: PolicyVersion;
  id?: string;
  statements: Statement[];
}

/** A request-context value: single-valued, multivalued, or absent. */
export type ContextValue = string | string[] | undefined;
/** Condition keys (any case) to their values, e.g. `aws:ResourceTag/team` → `"payments"`. */
export type ConditionContext = Record<string, ContextValue>;

/** The authenticated caller. */
export interface Principal {
  /** The caller's ARN as AWS names it in messages: a user, a role session, or the account root. */
  arn: string;
  accountId: string;
  /**
   * For a role session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`), the role's IAM ARN, with its
   * path if it has one. Derived as `arn:aws:iam::<acct>:role/<role>` (no path) when not given.
   */
  roleArn?: string;
}

export interface AuthzRequest {
  principal: Principal;
  /** `secretsmanager:<Operation>`. */
  action: string;
  /** The secret's ARN, or `*` for actions without a resource (ListSecrets, GetRandomPassword). */
  resource: string;
  /** The access key's policy; `undefined` is the project default (full access, see evaluate.ts). */
  identityPolicy?: PolicyDocument;
  /** The secret's resource policy, if it has one. */
  resourcePolicy?: PolicyDocument;
  context?: ConditionContext;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";
export type PolicyType = "identity-based policy" | "resource-based policy";

export interface MatchedStatement {
  policy: PolicyType;
  index: number;
  sid?: string;
}

export interface AuthzResult {
  decision: Decision;
  /**
   * For denials, AWS's clause that ends an AccessDeniedException message, e.g.
   * `because no identity-based policy allows the secretsmanager:GetSecretValue action` or
   * `with an explicit deny in a resource-based policy`. For Allow, a short explanation.
   */
  reason: string;
  /** Which kind of policy denied (explicitly or by lacking an Allow). */
  denyKind?: PolicyType;
  /** The Deny statement that decided an ExplicitDeny, or the Allow statement(s) that decided an Allow. */
  matchedStatement?: MatchedStatement;
  /** For a cross-account Allow, the resource-policy statement that allowed alongside the identity one. */
  resourceStatement?: MatchedStatement;
}
