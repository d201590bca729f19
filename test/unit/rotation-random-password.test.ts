// The built-in random-password rotator through the four steps, against in-memory secrets.
import { describe, expect, it } from "vitest";
import { ROTATION_STEPS, type RotationEvent, type RotationStep } from "../../src/rotation/event";
import { RandomPasswordOptions, randomPasswordRotator } from "../../src/rotation/rotators/random-password";
import { MemorySecrets } from "../support/memory-secrets";

async function rotate(secrets: MemorySecrets, options: Record<string, unknown>, steps: readonly RotationStep[] = ROTATION_STEPS) {
  const rotator = randomPasswordRotator(RandomPasswordOptions.parse({ builtin: "random-password", ...options }));
  const token = secrets.startRotation("s");
  for (const Step of steps) {
    const event: RotationEvent = { Step, SecretId: "s", ClientRequestToken: token, RotationToken: crypto.randomUUID() };
    await rotator.runStep(event, secrets);
  }
  return token;
}

describe("random-password rotator", () => {
  it("replaces the whole value with a password of GetRandomPassword's options", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", "old", "v1");
    const token = await rotate(secrets, { PasswordLength: 20, ExcludePunctuation: true });
    expect(secrets.stagesOf("s")).toEqual({ v1: ["AWSPREVIOUS"], [token]: ["AWSCURRENT", "AWSPENDING"] });
    expect(secrets.valueAt("s", "AWSCURRENT")).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it("replaces one key of a JSON value and keeps the others", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", JSON.stringify({ username: "app", password: "old" }));
    await rotate(secrets, { key: "password", PasswordLength: 12, ExcludeCharacters: "abc" });
    const value = JSON.parse(secrets.valueAt("s", "AWSCURRENT") as string);
    expect(value.username).toBe("app");
    expect(value.password).toMatch(/^[^abc]{12}$/);
    expect(value.password).not.toBe("old");
  });

  it("does not create a second value when createSecret is retried", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", "old");
    const token = await rotate(secrets, {}, ["createSecret"]);
    const first = secrets.valueAt("s", "AWSPENDING");
    const rotator = randomPasswordRotator(RandomPasswordOptions.parse({ builtin: "random-password" }));
    await rotator.runStep({ Step: "createSecret", SecretId: "s", ClientRequestToken: token, RotationToken: "t".repeat(36) }, secrets);
    expect(secrets.valueAt("s", "AWSPENDING")).toBe(first);
    expect(secrets.valueAt("s", "AWSCURRENT")).toBe("old");
  });

  it("fails createSecret on a current value that is not a JSON object, without quoting it", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", "not-json-hunter2");
    await expect(rotate(secrets, { key: "password" })).rejects.toThrow(/^the secret value is not JSON$/);
    expect(secrets.valueAt("s", "AWSCURRENT")).toBe("not-json-hunter2");
  });

  it("fails testSecret when the pending version has no value, leaving AWSCURRENT", async () => {
    const secrets = new MemorySecrets();
    secrets.create("s", "old");
    await expect(rotate(secrets, {}, ["testSecret"])).rejects.toThrow(/testSecret: the pending version .* has no value/);
    expect(secrets.valueAt("s", "AWSCURRENT")).toBe("old");
  });

  it("refuses options GetRandomPassword would refuse", () => {
    expect(RandomPasswordOptions.safeParse({ builtin: "random-password", PasswordLength: 0 }).success).toBe(false);
    expect(RandomPasswordOptions.safeParse({ builtin: "random-password", unknown: 1 }).success).toBe(false);
  });
});
