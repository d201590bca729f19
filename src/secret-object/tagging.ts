// TagResource and UntagResource: the merged tags must keep the tag rules, and the caller is judged against the tags
// as they would be after the change (no lockout), all inside the one commit (commits.ts).
import type { Auth } from "../authz/secret";
import { type Result, fail, ok } from "../domain/result";
import { type TagPair, dedupeTags, tagRuleViolation } from "../domain/tags";
import type { Access } from "./access";
import type { Commits } from "./commits";
import type { IndexSync } from "./index-sync";
import type { Store } from "./store";
import type { Identity, Target } from "./types";

export class Tagging {
  constructor(
    private readonly store: Store,
    private readonly index: IndexSync,
    private readonly access: Access,
    private readonly commits: Commits,
  ) {}

  async tag(auth: Auth, target: Target, tags: TagPair[]): Promise<Result<Identity>> {
    return await this.commits.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const merged = dedupeTags([...this.store.tags(), ...tags]);
      const violation = tagRuleViolation(merged.map((t) => t.Key));
      if (violation) return fail(violation);
      const lockout = this.access.lockout(auth, s, merged);
      if (lockout) return fail(lockout);
      this.store.putTags(dedupeTags(tags));
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }

  async untag(auth: Auth, target: Target, keys: string[]): Promise<Result<Identity>> {
    return await this.commits.commit(() => {
      const secret = this.access.writable(this.access.active(auth, target));
      if (!secret.ok) return secret;
      const s = secret.value;
      const lockout = this.access.lockout(auth, s, this.store.tags().filter((t) => !keys.includes(t.Key)));
      if (lockout) return fail(lockout);
      this.store.deleteTags(keys);
      this.store.updateSecret({ tagsSet: true });
      this.index.enqueueSnapshot();
      return ok({ arn: s.arn, name: s.name });
    }, auth);
  }
}
