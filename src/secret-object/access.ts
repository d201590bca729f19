// Whom the object lets act on its secret: the caller is judged (authz/secret.ts) against the secret's current ARN,
// tags and resource policy, and only then told whether the secret exists or is scheduled for deletion.
import { DEFAULT_KEY_NAME } from "../crypto/keys";
import { type Result, fail, ok } from "../domain/result";
import { markedForDeletion, notFound } from "../domain/errors";
import { type Auth, type Subject, judge, storedPolicy } from "../authz/secret";
import { CROSS_ACCOUNT_DEFAULT_KEY, REPLICA_WRITE, invalidParameter, invalidRequest } from "../domain/errors";
import { isReplica } from "./replica";
import type { TagPair } from "../domain/tags";
import type { SecretRow, Store } from "./store";
import type { Target } from "./types";
import type { Vault } from "./vault";

export class Access {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
  ) {}

  /**
   * The secret the caller names, once the caller may act on it. A secret that does not exist (or another incarnation
   * than the ARN names) is judged by the identity policy alone against the ARN it would have: a caller without
   * permission gets AccessDeniedException either way, so only a permitted caller learns which names exist.
   */
  existing(auth: Auth, target: Target): Result<SecretRow> {
    const s = this.store.secret();
    const found = s && (target.suffix === undefined || s.arn.endsWith(`-${target.suffix}`)) ? s : undefined;
    const denied = judge(auth, found ? this.subject(found) : { arn: target.arn });
    if (denied) return fail(denied);
    return found ? ok(found) : fail(notFound());
  }

  /** As existing(), for the operations a secret scheduled for deletion refuses. */
  active(auth: Auth, target: Target): Result<SecretRow> {
    const s = this.existing(auth, target);
    if (s.ok && s.value.deletedAt !== null) return fail(markedForDeletion());
    return s;
  }

  /** For writes, after existing()/active(): a replica refuses them (they are made in its primary's region). */
  writable(secret: Result<SecretRow>): Result<SecretRow> {
    return secret.ok && isReplica(secret.value) ? fail(invalidParameter(REPLICA_WRITE)) : secret;
  }

  /**
   * Re-checked inside a transaction after an await: the secret may have been deleted or recreated meanwhile, and
   * its tags or policy changed, so the caller is judged again on the state the transaction commits against.
   */
  stillActive(auth: Auth, before: SecretRow): Result<SecretRow> {
    const s = this.store.secret();
    if (!s || s.arn !== before.arn) return fail(notFound());
    const denied = judge(auth, this.subject(s));
    if (denied) return fail(denied);
    if (s.deletedAt !== null) return fail(markedForDeletion());
    return ok(s);
  }

  /** The secret as IAM sees it; `tags` replaces its current tags (for the lockout check). */
  subject(s: SecretRow, tags: readonly TagPair[] = this.store.tags()): Subject {
    return { arn: s.arn, tags, policy: storedPolicy(s.resourcePolicy), rotationLambdaArn: s.rotationLambdaArn ?? undefined, type: s.type ?? undefined };
  }

  /**
   * TagResource/UntagResource docs: a change that would cost the caller its permissions on the secret is refused
   * with an access-denied error. Judged as: the caller must still be allowed the same action with the new tags.
   */
  lockout(auth: Auth, s: SecretRow, tagsAfter: readonly TagPair[]) {
    return judge(auth, this.subject(s, tagsAfter));
  }

  /** E60: another account may not read or write the value of a secret under the default (account-bound) key. */
  foreignDefaultKey(auth: Auth, s: SecretRow): Result<never> | undefined {
    if (auth.principal.accountId === s.accountId) return undefined;
    const key = this.vault.resolveKey(s.kmsKeyId ?? undefined);
    return key.ok && key.value === DEFAULT_KEY_NAME ? fail(invalidRequest(CROSS_ACCOUNT_DEFAULT_KEY)) : undefined;
  }
}
