// The shared setup of the hostile-input files: a unique name prefix and one secret with a known first version, for
// requests that must name an existing secret.
import { expectSuccess } from "./envelope";
import { rawCall } from "../raw";

export interface HostileFixture {
  secretId: string;
  versionId: string;
  /** A fresh secret name under this file's prefix. */
  unique(): string;
}

export function hostileFixture(prefix: string): HostileFixture {
  const base = `e2e/${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  let counter = 0;
  return { secretId: `${base}/fixture`, versionId: crypto.randomUUID(), unique: () => `${base}-${++counter}` };
}

/** Creates the fixture secret with the value "fixture" as its first version. */
export async function createFixture(endpoint: string, fixture: HostileFixture): Promise<void> {
  expectSuccess(await rawCall(endpoint, "CreateSecret", { Name: fixture.secretId, SecretString: "fixture", ClientRequestToken: fixture.versionId }));
}

/** At the end of a file: the server still answers GetSecretValue with the fixture's first value. */
export async function expectStillServing(endpoint: string, fixture: HostileFixture): Promise<void> {
  const got = expectSuccess(await rawCall(endpoint, "GetSecretValue", { SecretId: fixture.secretId, VersionId: fixture.versionId }));
  if (got.SecretString !== "fixture") throw new Error(`the fixture reads ${String(got.SecretString)}`);
}
