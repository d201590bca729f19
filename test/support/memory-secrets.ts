// RotationSecrets in memory, with the label rules the object applies: a rotation starts with a value-less AWSPENDING
// placeholder; PutSecretValue fills it; finish moves AWSCURRENT (the old current becomes AWSPREVIOUS).
import type { RotationSecrets, SecretVersionValue } from "../../src/rotation/secrets";

interface Version {
  value?: string;
  stages: Set<string>;
}

export class MemorySecrets implements RotationSecrets {
  readonly secrets = new Map<string, Map<string, Version>>();

  /** A secret with one AWSCURRENT version. */
  create(id: string, value: string, versionId = crypto.randomUUID()): void {
    this.secrets.set(id, new Map([[versionId, { value, stages: new Set(["AWSCURRENT"]) }]]));
  }

  /** RotateSecret's synchronous part: the AWSPENDING placeholder keyed by the token. */
  startRotation(id: string, token = crypto.randomUUID()): string {
    this.moveStage(this.versions(id), "AWSPENDING", token);
    this.versions(id).set(token, { stages: new Set(["AWSPENDING"]) });
    return token;
  }

  stagesOf(id: string): Record<string, string[]> {
    return Object.fromEntries([...this.versions(id)].map(([versionId, v]) => [versionId, [...v.stages].sort()]));
  }

  valueAt(id: string, stage: string): string | undefined {
    return [...this.versions(id).values()].find((v) => v.stages.has(stage))?.value;
  }

  async getValue(id: string, select: { versionId?: string; stage?: string }): Promise<SecretVersionValue | undefined> {
    const stage = select.stage ?? (select.versionId ? undefined : "AWSCURRENT");
    for (const [versionId, version] of this.versions(id)) {
      if (select.versionId !== undefined && versionId !== select.versionId) continue;
      if (stage !== undefined && !version.stages.has(stage)) continue;
      return version.value === undefined ? undefined : { versionId, secretString: version.value };
    }
    return undefined;
  }

  async putPendingValue(id: string, token: string, secretString: string): Promise<void> {
    const version = this.versions(id).get(token);
    if (version?.value !== undefined && version.value !== secretString) throw new Error("ResourceExistsException: token in use");
    if (version) version.value = secretString;
    else this.versions(id).set(token, { value: secretString, stages: new Set(["AWSPENDING"]) });
  }

  async finish(id: string, token: string): Promise<void> {
    const versions = this.versions(id);
    const current = [...versions].find(([, v]) => v.stages.has("AWSCURRENT"))?.[0];
    if (current === token) return;
    if (current) this.moveStage(versions, "AWSPREVIOUS", current);
    this.moveStage(versions, "AWSCURRENT", token);
  }

  private versions(id: string): Map<string, Version> {
    const versions = this.secrets.get(id);
    if (!versions) throw new Error(`ResourceNotFoundException: ${id}`);
    return versions;
  }

  private moveStage(versions: Map<string, Version>, stage: string, to: string): void {
    for (const version of versions.values()) version.stages.delete(stage);
    versions.get(to)?.stages.add(stage);
  }
}
