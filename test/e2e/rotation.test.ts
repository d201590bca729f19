// Rotation through the AWS SDK for JavaScript with the template-style Python function over the Lambda Invoke API
// (rotation/functions.ts on the shared server): the steps the function saw, in order, with AWS's event; a failure at
// each step (AWSCURRENT unchanged, AWSPENDING left, the next RotateSecret refused); concurrent RotateSecret calls.
import {
  CancelRotateSecretCommand, CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { describe, expect, inject, it } from "vitest";
import { client, failure, uniqueName } from "./client";
import type { Invocation } from "./rotation/function-server";
import { FUNCTION_ARN, STEPS, failingArn } from "./rotation/functions";

const sm = client(inject("endpoint"));
const invocationUrls = inject("rotationInvocations");
const NOT_COMPLETE = "A previous rotation isn't complete. That rotation will be reattempted.";
/** Labels sorted per version (AWSPENDING stays with AWSCURRENT after a rotation; their order is not the point). */
const sorted = (stages: Record<string, string[]>) => Object.fromEntries(Object.entries(stages).map(([id, labels]) => [id, [...labels].sort()]));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The steps a function saw for one secret, in order. */
async function seenBy(functionArn: string, secretArn: string): Promise<Invocation[]> {
  const all = (await (await fetch(invocationUrls[functionArn]!)).json()) as Invocation[];
  return all.filter((i) => i.event.SecretId === secretArn);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await sleep(200);
  }
}

async function created(prefix: string) {
  const token = crypto.randomUUID();
  const c = await sm.send(new CreateSecretCommand({ Name: uniqueName(prefix), SecretString: "initial", ClientRequestToken: token }));
  return { arn: c.ARN!, name: c.Name!, v1: token };
}

const stagesOf = async (name: string) => (await sm.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages ?? {};

describe("rotation with a template-style function", () => {
  it("the function sees createSecret, setSecret, testSecret, finishSecret in order, with AWS's event", async () => {
    const s = await created("rot-steps");
    const token = crypto.randomUUID();
    await sm.send(new RotateSecretCommand({ SecretId: s.name, ClientRequestToken: token, RotationLambdaARN: FUNCTION_ARN }));
    const d = await waitFor(() => sm.send(new DescribeSecretCommand({ SecretId: s.name })), (b) => b.LastRotatedDate !== undefined);
    expect(sorted(d.VersionIdsToStages!)).toEqual({ [s.v1]: ["AWSPREVIOUS"], [token]: ["AWSCURRENT", "AWSPENDING"] });
    const seen = await seenBy(FUNCTION_ARN, s.arn);
    expect(seen.map((i) => [i.event.Step, i.outcome])).toEqual(STEPS.map((step) => [step, "ok"]));
    for (const i of seen) {
      expect(i.event).toMatchObject({ SecretId: s.arn, ClientRequestToken: token });
      expect(i.event.RotationToken).toMatch(/^[a-zA-Z0-9-]{36,256}$/);
    }
    expect(new Set(seen.map((i) => i.event.RotationToken)).size).toBe(1);
  });

  it.each(STEPS)("a failure at %s leaves AWSCURRENT where it was and AWSPENDING on the token; the next RotateSecret is refused", async (step) => {
    const s = await created(`rot-fail-${step}`);
    const token = crypto.randomUUID();
    const fn = failingArn(step);
    await sm.send(new RotateSecretCommand({ SecretId: s.name, ClientRequestToken: token, RotationLambdaARN: fn }));
    const seen = await waitFor(() => seenBy(fn, s.arn), (list) => list.some((i) => i.outcome === "error"));
    const upTo = STEPS.indexOf(step);
    expect(seen.slice(0, upTo + 1).map((i) => [i.event.Step, i.outcome])).toEqual([...STEPS.slice(0, upTo).map((st) => [st, "ok"]), [step, "error"]]);
    expect(await stagesOf(s.name)).toEqual({ [s.v1]: ["AWSCURRENT"], [token]: ["AWSPENDING"] });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: s.name }))).SecretString).toBe("initial");
    const refused = await failure(sm.send(new RotateSecretCommand({ SecretId: s.name, ClientRequestToken: crypto.randomUUID() })));
    expect([refused.name, refused.message]).toEqual(["InvalidRequestException", NOT_COMPLETE]);
    // The steps before the failed one ran; the pending value exists once createSecret succeeded.
    const pending = await sm.send(new GetSecretValueCommand({ SecretId: s.name, VersionStage: "AWSPENDING" })).then(() => true, () => false);
    expect(pending).toBe(upTo > 0);
    await sm.send(new CancelRotateSecretCommand({ SecretId: s.name }));
  });

  it("concurrent RotateSecret calls start one rotation; the others are refused; one AWSCURRENT at the end", async () => {
    const s = await created("rot-concurrent");
    const tokens = Array.from({ length: 6 }, () => crypto.randomUUID());
    const answers = await Promise.allSettled(
      tokens.map((token) => sm.send(new RotateSecretCommand({ SecretId: s.name, ClientRequestToken: token, RotationLambdaARN: FUNCTION_ARN }))),
    );
    const started = answers.flatMap((a, i) => (a.status === "fulfilled" ? [tokens[i]!] : []));
    expect(started).toHaveLength(1);
    for (const a of answers) if (a.status === "rejected") expect((a.reason as Error).message).toBe(NOT_COMPLETE);
    const d = await waitFor(() => sm.send(new DescribeSecretCommand({ SecretId: s.name })), (b) => b.LastRotatedDate !== undefined);
    expect(sorted(d.VersionIdsToStages!)).toEqual({ [s.v1]: ["AWSPREVIOUS"], [started[0]!]: ["AWSCURRENT", "AWSPENDING"] });
  });
});
