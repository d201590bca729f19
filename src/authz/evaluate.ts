// IAM policy evaluation for one request: explicit Deny wins; within an account an Allow in the identity or
// the resource policy suffices; across accounts both must allow; anything else is an implicit deny.
import { type Lookup, conditionsHold, contextLookup, variablesOf } from "./conditions";
import { principalContext } from "./context";
import { actionMatches, arnParts, resourceMatches, substitute } from "./glob";
import { matchNotPrincipal, matchPrincipal, type PrincipalMatch } from "./principal";
import type { AuthzRequest, AuthzResult, MatchedStatement, PolicyDocument, PolicyType, Statement } from "./types";

/**
 * The identity policy of an access key configured without one (project default, README "Access keys"):
 * every Secrets Manager action on every resource. Within its account that is full access; across accounts
 * the secret's resource policy must still allow, exactly as for an IAM administrator.
 */
export const DEFAULT_IDENTITY_POLICY: PolicyDocument = {
  version: "2012-10-17",
  statements: [{ index: 0, sid: "ProjectDefaultFullAccess", effect: "Allow", actions: ["secretsmanager:*"], resources: ["*"], conditions: [] }],
};

interface Hit {
  statement: Statement;
  level: Exclude<PrincipalMatch, false>;
}

interface Scan {
  deny?: Statement;
  allows: Hit[];
}

const namesAction = (statement: Statement, action: string): boolean =>
  statement.actions ? statement.actions.some((a) => actionMatches(a, action)) : !statement.notActions!.some((a) => actionMatches(a, action));

function statementApplies(statement: Statement, request: AuthzRequest, lookup: Lookup, variables: boolean, kind: PolicyType): PrincipalMatch {
  const { action, resource, principal } = request;
  if (!namesAction(statement, action)) return false;
  const variable = variablesOf(lookup);
  const matches = (pattern: string) => {
    const resolved = substitute(pattern, variable.resolve, variables);
    // A variable naming several case variants of a tag: the statement applies if a Deny, not if an Allow.
    if (variable.ambiguous()) return (statement.effect === "Deny") !== !!statement.notResources;
    return resolved !== undefined && resourceMatches(resolved, resource);
  };
  const resourceHit = statement.resources ? statement.resources.some(matches) : !statement.notResources!.some(matches);
  if (!resourceHit) return false;
  let level: PrincipalMatch = "direct";
  if (kind === "resource-based policy") {
    if (statement.principal) level = matchPrincipal(statement.principal, principal);
    else level = statement.notPrincipal ? matchNotPrincipal(statement.notPrincipal, principal) : false;
  }
  return level && conditionsHold(statement.conditions, lookup, variables, statement.effect) ? level : false;
}

function scan(policy: PolicyDocument, kind: PolicyType, request: AuthzRequest, lookup: Lookup): Scan {
  const variables = policy.version === "2012-10-17";
  const result: Scan = { allows: [] };
  for (const statement of policy.statements) {
    const level = statementApplies(statement, request, lookup, variables, kind);
    if (!level) continue;
    if (statement.effect === "Deny") return { deny: statement, allows: [] };
    result.allows.push({ statement, level });
  }
  return result;
}

const matched = (policy: PolicyType, statement: Statement): MatchedStatement => ({ policy, index: statement.index, sid: statement.sid });

const describe = (m: MatchedStatement) => `statement ${m.index}${m.sid ? ` (Sid "${m.sid}")` : ""} of the ${m.policy}`;

/** The account that owns the resource; `*` and non-ARN resources belong to the caller's account. */
function resourceAccount(request: AuthzRequest): string {
  const account = arnParts(request.resource)?.[4];
  return account || request.principal.accountId;
}

/** Decides one request. Policies must come from parsePolicy(); the context from buildContext() or the caller. */
export function evaluate(request: AuthzRequest): AuthzResult {
  const lookup = contextLookup({ ...principalContext(request.principal), ...request.context });
  const usesDefault = request.identityPolicy === undefined;
  const identity = scan(request.identityPolicy ?? DEFAULT_IDENTITY_POLICY, "identity-based policy", request, lookup);
  const resource: Scan = request.resourcePolicy ? scan(request.resourcePolicy, "resource-based policy", request, lookup) : { allows: [] };
  for (const [kind, found] of [["identity-based policy", identity], ["resource-based policy", resource]] as const) {
    if (!found.deny) continue;
    const article = kind === "identity-based policy" ? "an" : "a";
    return { decision: "ExplicitDeny", reason: `with an explicit deny in ${article} ${kind}`, denyKind: kind, matchedStatement: matched(kind, found.deny) };
  }
  const implicit = (kind: PolicyType): AuthzResult => ({
    decision: "ImplicitDeny",
    reason: `because no ${kind} allows the ${request.action} action`,
    denyKind: kind,
  });
  const identityAllow = identity.allows[0] && matched("identity-based policy", identity.allows[0].statement);
  const direct = resource.allows.find((hit) => hit.level === "direct");
  const identityText = usesDefault ? "the access key's default full access (it has no policy)" : identityAllow && describe(identityAllow);
  if (resourceAccount(request) === request.principal.accountId) {
    if (identityAllow) return { decision: "Allow", reason: `allowed by ${identityText}`, matchedStatement: identityAllow };
    // A resource policy naming only the caller's account delegates to the identity policy, which has no Allow.
    if (direct) {
      const m = matched("resource-based policy", direct.statement);
      return { decision: "Allow", reason: `allowed by ${describe(m)}`, matchedStatement: m };
    }
    return implicit("identity-based policy");
  }
  if (!identityAllow) return implicit("identity-based policy");
  const crossAllow = direct ?? resource.allows[0];
  if (!crossAllow) return implicit("resource-based policy");
  const m = matched("resource-based policy", crossAllow.statement);
  return {
    decision: "Allow",
    reason: `allowed across accounts by ${identityText} and ${describe(m)}`,
    matchedStatement: identityAllow,
    resourceStatement: m,
  };
}

/** Condition keys whose value comes from the resource judged, not from the request or the caller. */
const RESOURCE_KEY = /^(aws:ResourceTag\/|secretsmanager:ResourceTag|secretsmanager:SecretId$|secretsmanager:resource\/)/i;

/**
 * Whether some Allow statement of the identity policy could allow the action on some resource: it names the action,
 * and its conditions on keys that do not depend on the resource hold for this request (its Resource element and the
 * resource's keys are left to the per-resource judgement). For a listing, whose visible entries are judged one by one.
 */
export function mayAllowSomeResource(request: Omit<AuthzRequest, "resource" | "resourcePolicy">): boolean {
  if (request.identityPolicy === undefined) return true;
  const lookup = contextLookup({ ...principalContext(request.principal), ...request.context });
  const variables = request.identityPolicy.version === "2012-10-17";
  return request.identityPolicy.statements.some(
    (s) =>
      s.effect === "Allow" &&
      namesAction(s, request.action) &&
      conditionsHold(s.conditions.filter((c) => !RESOURCE_KEY.test(c.key)), lookup, variables),
  );
}

/**
 * AWS's AccessDeniedException message for a denial, e.g. "User: arn:aws:iam::111122223333:user/app is not
 * authorized to perform: secretsmanager:GetSecretValue on resource: <arn> because no identity-based policy
 * allows the secretsmanager:GetSecretValue action". Actions without a resource omit the "on resource" part.
 */
export function accessDeniedMessage(request: Pick<AuthzRequest, "principal" | "action" | "resource">, result: AuthzResult): string {
  const on = request.resource === "*" ? "" : ` on resource: ${request.resource}`;
  return `User: ${request.principal.arn} is not authorized to perform: ${request.action}${on} ${result.reason}`;
}
