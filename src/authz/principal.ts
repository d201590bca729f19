// Matching a caller against a resource policy's Principal / NotPrincipal, with IAM's distinction between
// naming the caller itself and naming its whole account (which only delegates to the account's own policies).
import type { Principal, PrincipalSet } from "./types";

/**
 * `direct`: the statement names the caller (its ARN, its role, the root user when the caller is root, or `*`).
 * `account`: it names the caller's account, which in IAM delegates to that account's identity policies.
 */
export type PrincipalMatch = "direct" | "account" | false;

const ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;
const SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/** The IAM role ARN behind a role-session ARN (without a path unless the caller gave one). */
export function roleArnOf(principal: Principal): string | undefined {
  if (principal.roleArn) return principal.roleArn;
  const session = SESSION.exec(principal.arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : undefined;
}

export const isRoot = (principal: Principal): boolean => ROOT.exec(principal.arn)?.[1] === principal.accountId;

/** The account an entry names (`123456789012` or `arn:aws:iam::123456789012:root`), if it names one. */
function accountOf(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  return ROOT.exec(entry)?.[1];
}

function entryMatch(entry: string, principal: Principal): PrincipalMatch {
  const account = accountOf(entry);
  if (account !== undefined) {
    if (account !== principal.accountId) return false;
    return isRoot(principal) ? "direct" : "account";
  }
  return entry === principal.arn || entry === roleArnOf(principal) ? "direct" : false;
}

/** How a Principal element matches the caller; Service principals never match an access-key caller. */
export function matchPrincipal(set: PrincipalSet, principal: Principal): PrincipalMatch {
  if (set.anyone) return "direct";
  let best: PrincipalMatch = false;
  for (const entry of set.aws) {
    const match = entryMatch(entry, principal);
    if (match === "direct") return "direct";
    best ||= match;
  }
  return best;
}

/**
 * NotPrincipal applies to every caller it does not fully exempt. As IAM documents, a caller is exempt only
 * when each of its identities is listed: its own ARN, its role (for a role session) and its account.
 */
export function matchNotPrincipal(set: PrincipalSet, principal: Principal): PrincipalMatch {
  if (set.anyone) return false;
  const listed = (identity: string) => {
    const account = accountOf(identity);
    return set.aws.some((entry) => entry === identity || (account !== undefined && accountOf(entry) === account));
  };
  const identities = [principal.arn];
  const role = roleArnOf(principal);
  if (role) identities.push(role);
  if (!isRoot(principal)) identities.push(principal.accountId);
  return identities.every(listed) ? false : "direct";
}
