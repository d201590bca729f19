// The reads of one secret, each after the caller is judged: GetSecretValue (which records the access),
// DescribeSecret and ListSecretVersionIds. Nothing here goes through a commit.
import type { Auth } from "../authz/secret";
import { invalidRequest } from "../domain/errors";
import { type Result, fail, ok } from "../domain/result";
import { AWSCURRENT, labelsByVersion } from "../domain/stages";
import type { Access } from "./access";
import type { Replication } from "./replication";
import type { Store } from "./store";
import type { SecretView, Target, ValueView, VersionPage } from "./types";
import type { Vault } from "./vault";
import type { Versions } from "./versions";
import { secretView, versionView } from "./views";

export class Reads {
  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly versions: Versions,
    private readonly access: Access,
    private readonly replication: Replication,
  ) {}

  async getValue(auth: Auth, target: Target, versionId?: string, stage?: string): Promise<Result<ValueView>> {
    const secret = this.access.active(auth, target);
    if (!secret.ok) return secret;
    const s = secret.value;
    const foreign = this.access.foreignDefaultKey(auth, s);
    if (foreign) return foreign;
    const stages = this.store.stages();
    const chosen = versionId ?? stages.get(stage ?? AWSCURRENT);
    const version = chosen === undefined ? undefined : this.store.version(chosen);
    // The placeholder of a rotation in flight has no value yet: GetSecretValue finds none, as on AWS.
    if (!version || version.empty) {
      const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage ?? AWSCURRENT}`;
      return fail({ code: "ResourceNotFoundException", message: `Secrets Manager can't find the specified secret value for ${what}` });
    }
    const labels = labelsByVersion(stages).get(version.versionId) ?? [];
    if (stage !== undefined && !labels.includes(stage)) {
      return fail(invalidRequest("You provided a VersionStage that is not associated to the provided VersionId."));
    }
    // Decided on the state read above: the value returned is the version that state named.
    const value = await this.vault.open(s.arn, version);
    if (!value.ok) return value;
    this.versions.recordAccess(s, version.versionId, version.lastAccessedDay);
    return ok({
      arn: s.arn, name: s.name, versionId: version.versionId, value: value.value,
      // A deprecated version has no labels: the field is omitted, as AWS omits empty fields (the model's minimum is 1).
      versionStages: labels.length > 0 ? labels : undefined, createdAt: version.createdAt,
    });
  }

  async describe(auth: Auth, target: Target): Promise<Result<SecretView>> {
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const view = secretView(secret.value, this.store.stages(), this.store.tags());
    if (secret.value.primaryRegion === secret.value.region) view.replicationStatus = this.replication.statuses();
    return ok(view);
  }

  async listVersions(auth: Auth, target: Target, includeDeprecated: boolean, maxResults: number, after?: number): Promise<Result<VersionPage>> {
    // A metadata read like DescribeSecret: the model gives ListSecretVersionIds no InvalidRequestException, so it
    // also answers while the secret is scheduled for deletion.
    const secret = this.access.existing(auth, target);
    if (!secret.ok) return secret;
    const byVersion = labelsByVersion(this.store.stages());
    // One row beyond the page tells whether another page follows.
    const listed = this.store.versionPage(after, includeDeprecated, maxResults + 1);
    const page = listed.slice(0, maxResults);
    const last = page.at(-1);
    return ok({
      arn: secret.value.arn,
      name: secret.value.name,
      versions: page.map((v) => versionView(v, byVersion.get(v.versionId))),
      nextBefore: listed.length > maxResults && last ? last.seq : undefined,
    });
  }
}
