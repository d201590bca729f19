// userIdentity of a record, from the verified caller (or, when authentication failed, from the access key the
// request claimed), and the Username LookupEvents reports for it.
import type { Caller } from "../env";
import type { UserIdentity } from "./record";

const encoder = new TextEncoder();
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * A stable IAM-style unique id for a principal ARN ("AIDA…" for users, "AROA…" for roles): this service has no IAM
 * to issue one, so it is derived from the ARN (SHA-256, base32, 17 characters), the same for every call.
 */
async function uniqueId(prefix: string, arn: string): Promise<string> {
  const key = `${prefix}${arn}`;
  let id = uniqueIds.get(key);
  if (id === undefined) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(arn)));
    id = prefix + [...digest.subarray(0, 17)].map((b) => BASE32[b & 31]).join("");
    if (uniqueIds.size >= 10_000) uniqueIds.clear();
    uniqueIds.set(key, id);
  }
  return id;
}

/** Ids already derived in this isolate: principals are few and call often. */
const uniqueIds = new Map<string, string>();

/** The identity of a verified caller, as CloudTrail writes it. */
export async function callerIdentity(caller: Pick<Caller, "principalArn" | "accountId" | "accessKeyId" | "roleArn">): Promise<UserIdentity> {
  const { principalArn: arn, accountId, accessKeyId } = caller;
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) return { type: "Root", principalId: accountId, arn, accountId, accessKeyId };
  const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (session) {
    const roleArn = caller.roleArn ?? `arn:aws:iam::${session[1]}:role/${session[2]}`;
    const rolePrincipalId = await uniqueId("AROA", roleArn);
    return {
      type: "AssumedRole",
      principalId: `${rolePrincipalId}:${session[3]}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: { sessionIssuer: { type: "Role", principalId: rolePrincipalId, arn: roleArn, accountId, userName: session[2]! } },
    };
  }
  const federated = /^arn:[^:]+:sts::\d{12}:federated-user\/(.+)$/.exec(arn);
  if (federated) return { type: "FederatedUser", principalId: `${accountId}:${federated[1]}`, arn, accountId, accessKeyId };
  return { type: "IAMUser", principalId: await uniqueId("AIDA", arn), arn, accountId, accessKeyId, userName: arn.split("/").pop() };
}

/** A request whose signature was not verified: only the key it claimed and that key's account are known. */
export const unverifiedIdentity = (accountId: string, accessKeyId: string): UserIdentity => ({ type: "Unknown", accountId, accessKeyId });

/** LookupEvents' Username: the user's name, the role session's name, "root", or none. */
export function usernameOf(identity: UserIdentity): string | undefined {
  switch (identity.type) {
    case "Root":
      return "root";
    case "IAMUser":
      return identity.userName;
    case "AssumedRole":
    case "FederatedUser":
      return identity.arn?.split("/").pop();
    default:
      return undefined;
  }
}
