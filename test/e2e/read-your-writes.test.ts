// Read-your-writes through the three real clients: every mutation (tag, untag, update, put, label move, delete,
// restore, force delete, re-create) is followed at once, with no retry, by ListSecrets and BatchGetSecretValue with
// a filter that must (or must no longer) match. Each stale answer is counted; the count must be 0 over every round.
import { type TestContext, describe, expect, inject, it } from "vitest";
import { CREDENTIALS, REGION } from "./client";
import type { StepResult } from "./cross-client/types";
import type { Driver, WireStep } from "./drivers/driver";
import { boto3Driver, cliDriver } from "./drivers/python";
import { sdkDriver } from "./drivers/sdk";

const endpoint = inject("endpoint");
const ROUNDS = 56;
const RUN_LIMIT_MS = 240_000;

interface Check {
  /** Index of the ListSecrets step; the BatchGetSecretValue step follows it. */
  step: number;
  round: number;
  mutation: string;
  /** Whether the secret must be listed (and its value returned), and what its entry must show. */
  listed: boolean;
  entry?: (entry: Record<string, unknown>, arnOf: (label: string) => unknown) => boolean;
}

/** The steps of every round for one client, and the checks to run on their results. */
function plan(prefix: string): { steps: WireStep[]; checks: Check[] } {
  const name = `${prefix}-ryw`;
  const steps: WireStep[] = [];
  const checks: Check[] = [];
  const byName = [{ Key: "name", Values: [name] }];
  let arnLabel = "c0";
  let current = crypto.randomUUID();
  steps.push({ op: "CreateSecret", input: { Name: name, SecretString: "v0", ClientRequestToken: current }, as: arnLabel });

  const observe = (round: number, mutation: string, filters: unknown[], listed: boolean, entry?: Check["entry"]) => {
    checks.push({ step: steps.length, round, mutation, listed, entry });
    steps.push({ op: "ListSecrets", input: { Filters: filters } });
    steps.push({ op: "BatchGetSecretValue", input: { Filters: filters } });
  };

  for (let round = 0; round < ROUNDS; round++) {
    const marker = `r${round}x`;
    switch (round % 8) {
      case 0:
        steps.push({ op: "TagResource", input: { SecretId: name, Tags: [{ Key: "ryw", Value: marker }] } });
        observe(round, "TagResource", [{ Key: "tag-value", Values: [marker] }, ...byName], true);
        break;
      case 1:
        steps.push({ op: "UntagResource", input: { SecretId: name, TagKeys: ["ryw"] } });
        observe(round, "UntagResource", [{ Key: "tag-key", Values: ["ryw"] }, ...byName], false);
        break;
      case 2:
        steps.push({ op: "UpdateSecret", input: { SecretId: name, Description: `desc ${marker}` } });
        observe(round, "UpdateSecret", [{ Key: "description", Values: [marker] }, ...byName], true);
        break;
      case 3: {
        const next = crypto.randomUUID();
        steps.push({ op: "PutSecretValue", input: { SecretId: name, SecretString: marker, ClientRequestToken: next } });
        const token = next;
        observe(round, "PutSecretValue", byName, true, (e) => stagesOf(e)[token]?.includes("AWSCURRENT") === true);
        current = next;
        break;
      }
      case 4: {
        const label = `L${marker}`;
        steps.push({ op: "UpdateSecretVersionStage", input: { SecretId: name, VersionStage: label, MoveToVersionId: current } });
        const token = current;
        observe(round, "UpdateSecretVersionStage", byName, true, (e) => stagesOf(e)[token]?.includes(label) === true);
        break;
      }
      case 5:
        steps.push({ op: "DeleteSecret", input: { SecretId: name, RecoveryWindowInDays: 7 } });
        observe(round, "DeleteSecret", byName, false);
        break;
      case 6:
        steps.push({ op: "RestoreSecret", input: { SecretId: name } });
        observe(round, "RestoreSecret", byName, true);
        break;
      case 7: {
        steps.push({ op: "DeleteSecret", input: { SecretId: name, ForceDeleteWithoutRecovery: true } });
        observe(round, "DeleteSecret(Force)", byName, false);
        const previous = arnLabel;
        arnLabel = `c${round}`;
        current = crypto.randomUUID();
        steps.push({ op: "CreateSecret", input: { Name: name, SecretString: marker, ClientRequestToken: current }, as: arnLabel });
        // Listed again, under its new ARN (checked against the re-create's answer), not the old one.
        const created = arnLabel;
        observe(round, "CreateSecret(re-create)", byName, true, (e, arnOf) => e.ARN === arnOf(created) && e.ARN !== arnOf(previous));
        break;
      }
    }
  }
  return { steps, checks };
}

const stagesOf = (entry: Record<string, unknown>) => (entry.SecretVersionsToStages ?? {}) as Record<string, string[]>;

/** The stale answers among the results: a list or batch that does not (or still does) show the secret as it must. */
function staleAnswers(steps: WireStep[], checks: Check[], results: StepResult[]): string[] {
  const arns = new Map<string, unknown>();
  steps.forEach((s, i) => s.as && arns.set(s.as, results[i]?.body?.ARN));
  const stale: string[] = [];
  for (const check of checks) {
    const list = results[check.step];
    const batch = results[check.step + 1];
    if (list?.status !== 200 || batch?.status !== 200) {
      stale.push(`round ${check.round} ${check.mutation}: failed ${JSON.stringify(list?.error ?? list?.clientError)} ${JSON.stringify(batch?.error ?? batch?.clientError)}`);
      continue;
    }
    const entries = (list.body?.SecretList ?? []) as Record<string, unknown>[];
    const values = (batch.body?.SecretValues ?? []) as Record<string, unknown>[];
    const entry = entries[0];
    const listOk = check.listed ? entries.length === 1 && (!check.entry || check.entry(entry!, (label) => arns.get(label))) : entries.length === 0;
    const batchOk = check.listed ? values.length === 1 && values[0]!.ARN === entry?.ARN : values.length === 0;
    if (!listOk) stale.push(`round ${check.round} ${check.mutation}: ListSecrets ${JSON.stringify(entries)}`);
    if (!batchOk) stale.push(`round ${check.round} ${check.mutation}: BatchGetSecretValue ${JSON.stringify(values.map((v) => v.ARN))}`);
  }
  return stale;
}

const DRIVERS: Driver[] = [sdkDriver, boto3Driver, cliDriver];

describe("read-your-writes: each mutation is listed at once", () => {
  for (const driver of DRIVERS) {
    it(`${driver.name}: ListSecrets and BatchGetSecretValue with filters, right after each of ${ROUNDS} rounds of mutations, are never stale`, async (ctx: TestContext) => {
      const reason = driver.unavailable();
      if (reason !== undefined) {
        if (process.env.CI === "true") throw new Error(`${reason} (CI=true requires every client)`);
        ctx.skip(reason);
      }
      const prefix = `e2e/ryw-${driver.name.replace(/\W+/g, "")}-${crypto.randomUUID().slice(0, 8)}`;
      const { steps, checks } = plan(prefix);
      const results = (await driver.run({ endpoint, region: REGION, credentials: CREDENTIALS, scenarios: [{ id: "ryw", steps }] })).ryw!;
      const mutationsFailed = steps
        .map((s, i) => ({ s, r: results[i] }))
        .filter(({ s, r }) => !["ListSecrets", "BatchGetSecretValue"].includes(s.op) && r?.status !== 200)
        .map(({ s, r }) => `${s.op}: ${JSON.stringify(r?.error ?? r?.clientError)}`);
      expect(mutationsFailed).toEqual([]);
      const stale = staleAnswers(steps, checks, results);
      console.log(`read-your-writes ${driver.name}: ${stale.length} stale of ${checks.length * 2} answers over ${ROUNDS} rounds`);
      expect(stale).toEqual([]);
    }, RUN_LIMIT_MS);
  }
});
