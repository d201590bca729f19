// Resource-policy checks of PutResourcePolicy (BlockPublicPolicy) and ValidateResourcePolicy: syntax,
// broad ("public") access in the IAM Access Analyzer / S3 Block Public Access sense, and caller lockout.
import { evaluate } from "./evaluate";
import { arnParts } from "./glob";
import { parseCidr } from "./ip";
import { parsePolicy } from "./policy";
import type { ConditionClause, ConditionContext, PolicyDocument, Principal, Statement } from "./types";

/** PublicPolicyException's message (the Secrets Manager user guide's wording). */
export const PUBLIC_POLICY_MESSAGE = "You can't attach a resource-based policy that allows broad access to the secret.";

/**
 * ValidationErrors CheckName values, one per check the API documents (syntax, Zelkova broad access, lockout).
 * AWS's own names are not documented or recorded anywhere we could find; these are named after the
 * exception or outcome each check guards, and live here so they change in one place.
 */
export const CHECKS = {
  syntax: "MALFORMED_POLICY_DOCUMENT",
  broadAccess: "PUBLIC_POLICY",
  lockout: "LOCKOUT_PREVENTION",
} as const;

type KeyKind = "account" | "arn" | "id" | "ip";

/** Condition keys that pin a wildcard principal to known accounts, organizations, networks or sources. */
const RESTRICTING_KEYS: Record<string, KeyKind> = {
  "aws:principalaccount": "account",
  "aws:sourceaccount": "account",
  "aws:sourceowner": "account",
  "aws:principalarn": "arn",
  "aws:sourcearn": "arn",
  "aws:principalorgid": "id",
  "aws:principalorgpaths": "id",
  "aws:sourceorgid": "id",
  "aws:sourceorgpaths": "id",
  "aws:sourcevpc": "id",
  "aws:sourcevpce": "id",
  "aws:userid": "id",
  "aws:sourceip": "ip",
};

const RESTRICTING_OPERATORS = new Set(["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"]);
/** Variables naming the secret's own account or organization are fixed values too. */
const OWN_SCOPE = /^\$\{aws:Resource(Account|OrgID|OrgPaths)\}$/i;

function fixedValue(kind: KeyKind, value: string): boolean {
  if (OWN_SCOPE.test(value)) return kind !== "ip";
  switch (kind) {
    case "account":
      return /^\d{12}$/.test(value);
    case "arn": {
      const parts = arnParts(value);
      return !!parts && (/^\d{12}$/.test(parts[4]!) || (parts[4] === "" && !/[*?]/.test(parts[5]!)));
    }
    case "id":
      return /^[^*?]/.test(value);
    case "ip": {
      // Blocks wider than /8 (IPv4) or /32 (IPv6), 0.0.0.0/0 among them, still reach most of the internet.
      const cidr = parseCidr(value);
      return !!cidr && cidr.prefix >= (cidr.family === 4 ? 8 : 32);
    }
  }
}

/** A clause limits who can use the statement only if it must hold (no IfExists, no vacuous ForAllValues). */
function restricts(clause: ConditionClause): boolean {
  const kind = RESTRICTING_KEYS[clause.key.toLowerCase()];
  if (!kind || clause.ifExists || clause.qualifier === "ForAllValues" || !RESTRICTING_OPERATORS.has(clause.base)) return false;
  if ((kind === "ip") !== (clause.base === "IpAddress")) return false;
  return clause.values.length > 0 && clause.values.every((value) => fixedValue(kind, value));
}

/** Allow statements that reach every principal (`*`, `{"AWS": "*"}`, or NotPrincipal) with no restricting condition. */
export function publicStatements(policy: PolicyDocument): Statement[] {
  return policy.statements.filter(
    (s) => s.effect === "Allow" && (s.principal?.anyone || s.notPrincipal !== undefined) && !s.conditions.some(restricts),
  );
}

/** True when the policy grants broad access: what BlockPublicPolicy refuses with PublicPolicyException. */
export const isPublic = (policy: PolicyDocument): boolean => publicStatements(policy).length > 0;

export interface ValidationError {
  checkName: string;
  errorMessage: string;
}

export interface ValidationOutcome {
  passed: boolean;
  errors: ValidationError[];
  /** The parsed policy, when it parsed. */
  policy?: PolicyDocument;
}

/** Who asks, for the lockout check: the policy must still let them call PutResourcePolicy on the secret. */
export interface LockoutCaller {
  principal: Principal;
  identityPolicy?: PolicyDocument;
  context?: ConditionContext;
  secretArn: string;
}

const label = (s: Statement) => `Statement ${s.index}${s.sid ? ` (Sid "${s.sid}")` : ""}`;

/** ValidateResourcePolicy: every problem the three documented checks find; passed when there is none. */
export function validateResourcePolicy(text: string, caller?: LockoutCaller): ValidationOutcome {
  const parsed = parsePolicy(text, "resource");
  if (!parsed.ok) {
    return { passed: false, errors: parsed.problems.map((p) => ({ checkName: CHECKS.syntax, errorMessage: p.detail })) };
  }
  const policy = parsed.policy;
  const errors: ValidationError[] = publicStatements(policy).map((s) => ({
    checkName: CHECKS.broadAccess,
    errorMessage: `${label(s)} allows broad access: it grants every principal access without a condition that limits it to specific accounts, organizations, networks or sources.`,
  }));
  if (caller) {
    const action = "secretsmanager:PutResourcePolicy";
    const request = { principal: caller.principal, action, resource: caller.secretArn, identityPolicy: caller.identityPolicy, context: caller.context };
    const result = evaluate({ ...request, resourcePolicy: policy });
    if (result.decision !== "Allow") {
      errors.push({
        checkName: CHECKS.lockout,
        errorMessage: `This policy would lock out ${caller.principal.arn}: it could no longer call ${action} on the secret (${result.reason}).`,
      });
    }
  }
  return { passed: errors.length === 0, errors, policy };
}
