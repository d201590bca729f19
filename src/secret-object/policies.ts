// The secret's resource policy: GetResourcePolicy, PutResourcePolicy (parse, BlockPublicPolicy), DeleteResourcePolicy
// and ValidateResourcePolicy with its lockout check, each after the caller is judged. The text is kept as sent.
import { isPublic, PUBLIC_POLICY_MESSAGE, parsePolicy, validateResourcePolicy } from "../authz";
import { type Result, fail, ok } from "../domain/result";
import type { Access } from "./access";
import { type Auth, contextOf, judge } from "../authz/secret";
import type { Store } from "./store";
import type { Identity, PolicyValidation, PolicyView, Target } from "./types";

export class Policies {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly storage: DurableObjectStorage,
  ) {}

  get(auth: Auth, target: Target): Result<PolicyView> {
    const secret = this.access.active(auth, target);
    if (!secret.ok) return secret;
    const s = secret.value;
    return ok({ arn: s.arn, name: s.name, resourcePolicy: s.resourcePolicy ?? undefined });
  }

  /** Stored as sent once it parses (and, with BlockPublicPolicy, is not public). Not indexed: no outbox entry. */
  put(auth: Auth, target: Target, text: string, blockPublic: boolean): Result<Identity> {
    return this.storage.transactionSync(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const parsed = parsePolicy(text, "resource");
      if (!parsed.ok) return fail({ code: "MalformedPolicyDocumentException", message: parsed.problems[0]!.message });
      if (blockPublic && isPublic(parsed.policy)) return fail({ code: "PublicPolicyException", message: PUBLIC_POLICY_MESSAGE });
      this.store.setResourcePolicy(text);
      return ok({ arn: secret.value.arn, name: secret.value.name });
    });
  }

  remove(auth: Auth, target: Target): Result<Identity> {
    return this.storage.transactionSync(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      this.store.setResourcePolicy(null);
      return ok({ arn: secret.value.arn, name: secret.value.name });
    });
  }

  /**
   * The caller needs ValidateResourcePolicy and PutResourcePolicy on the secret (API docs); the lockout check asks
   * whether the policy would still let the caller call PutResourcePolicy on it.
   */
  validate(auth: Auth, target: Target, text: string): Result<PolicyValidation> {
    const secret = this.access.active(auth, target);
    if (!secret.ok) return secret;
    const put: Auth = { ...auth, action: "secretsmanager:PutResourcePolicy" };
    const subject = this.access.subject(secret.value);
    const denied = judge(put, subject);
    if (denied) return fail(denied);
    const context = contextOf(put, subject);
    const outcome = validateResourcePolicy(text, { principal: auth.principal, identityPolicy: auth.identityPolicy, context, secretArn: subject.arn });
    return ok({ passed: outcome.passed, errors: outcome.errors });
  }
}
