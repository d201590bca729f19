// One scenario set (cross-client/scenarios), three real clients: the AWS SDK for JavaScript, boto3 and the AWS CLI
// run every scenario against the local server, each result must meet the scenario's expectation, and the three
// clients must see the same thing (after per-driver names, tokens, dates and ids are masked). A few scenarios also
// go through the `aws` executable itself. A missing python3/boto3/aws skips its driver with the reason, except
// under CI=true, where it fails.
import { type TestContext, beforeAll, describe, expect, inject, it } from "vitest";
import { CREDENTIALS, REGION } from "./client";
import { resolve, uuid } from "./cross-client/matchers";
import { canonical, normalise } from "./cross-client/normalise";
import { SCENARIOS } from "./cross-client/scenarios";
import type { Scenario, Step, StepResult, Vars } from "./cross-client/types";
import { type Driver, toWire } from "./drivers/driver";
import { valueAt } from "./drivers/paths";
import { boto3Driver, cliDriver, cliExecutableDriver, versions } from "./drivers/python";
import { sdkDriver } from "./drivers/sdk";
import { MODELED_ERRORS } from "./hostile/model";
import { registeredOperations } from "./raw";

const endpoint = inject("endpoint");
/** A test waits for its driver's whole batch, which can take a while on a loaded machine. */
const RUN_LIMIT_MS = 180_000;
const registered = await registeredOperations(endpoint);

/** Scenarios that also run through the `aws` executable, one process per step. */
const EXECUTABLE_SCENARIOS = new Set([
  "CreateSecret with SecretBinary stores the bytes exactly, including 0x00 and 0xff",
  "GetSecretValue of a secret that does not exist returns ResourceNotFoundException",
  "A request signed with the wrong secret key gets InvalidSignatureException; with an unknown access key UnrecognizedClientException",
]);

interface Planned {
  id: string;
  scenario: Scenario;
  vars: Vars;
  steps: Step[];
  /** Operations the scenario needs that the server does not register. */
  missing: string[];
}

function plan(driverKey: string, scenarios: Scenario[]): Planned[] {
  return scenarios.map((scenario, index) => {
    const prefix = `e2e/${driverKey}${index}-${crypto.randomUUID().slice(0, 8)}`;
    const vars: Vars = {
      prefix,
      name: `${prefix}-a`,
      name2: `${prefix}-b`,
      missing: `${prefix}-missing`,
      t: Array.from({ length: 10 }, () => crypto.randomUUID()),
    };
    const missing = (scenario.requires ?? []).filter((op) => !registered.has(op));
    return { id: `${driverKey}-${index}`, scenario, vars, steps: scenario.steps(vars), missing };
  });
}

const DRIVERS: { key: string; driver: Driver; plans: Planned[] }[] = [
  { key: "sdk", driver: sdkDriver, plans: plan("sdk", SCENARIOS) },
  { key: "boto3", driver: boto3Driver, plans: plan("boto3", SCENARIOS) },
  { key: "cli", driver: cliDriver, plans: plan("cli", SCENARIOS) },
  { key: "exe", driver: cliExecutableDriver, plans: plan("exe", SCENARIOS.filter((s) => EXECUTABLE_SCENARIOS.has(s.title))) },
];

const runs = new Map<string, Promise<Record<string, StepResult[]>>>();

beforeAll(() => {
  console.log(`cross-client: boto3 ${versions.boto3 ?? "missing"}, aws-cli ${versions.cli ?? "missing"}${versions.cliInProcess ? " (in-process)" : ""}`);
  // All drivers run at once; each test awaits its own driver's batch.
  for (const { key, driver, plans } of DRIVERS) {
    if (driver.unavailable()) continue;
    const scenarios = plans.filter((p) => p.missing.length === 0).map((p) => ({ id: p.id, steps: p.steps.map(toWire) }));
    const run = driver.run({ endpoint, region: REGION, credentials: CREDENTIALS, scenarios });
    run.catch(() => undefined); // reported by the tests that await it
    runs.set(key, run);
  }
});

/** Skips when the driver's client is missing, except in CI, where that fails the test. */
function requireDriver(ctx: TestContext, driver: Driver): void {
  const reason = driver.unavailable();
  if (reason === undefined) return;
  if (process.env.CI === "true") throw new Error(`${reason} (CI=true requires every client)`);
  ctx.skip(reason);
}

/** A labelled step's body value, for refs in expectations. */
function lookupIn(steps: Step[], results: StepResult[]) {
  return (path: string) => {
    const [label, ...rest] = path.split(".");
    const index = steps.findIndex((s) => s.as === label);
    return valueAt(results[index]?.body, rest.join("."));
  };
}

function expected(step: Step, lookup: (path: string) => unknown, driver: Driver): Record<string, unknown> {
  if ("body" in step.expect) return { status: 200, requestId: uuid(), body: resolve(step.expect.body, lookup) };
  const { code, message } = step.expect.error;
  return {
    status: 400,
    requestId: uuid(),
    error: { code: resolve(code, lookup), message: message === undefined ? expect.any(String) : resolve(message, lookup) },
    ...(driver.reportsModeled ? { modeled: typeof code === "string" ? MODELED_ERRORS.includes(code) : expect.any(Boolean) } : {}),
  };
}

for (const { key, driver, plans } of DRIVERS) {
  describe(driver.name, () => {
    for (const planned of plans) {
      const title = planned.missing.length ? `${planned.scenario.title} [needs ${planned.missing.join(", ")}]` : planned.scenario.title;
      it.skipIf(planned.missing.length > 0)(title, async (ctx) => {
        requireDriver(ctx, driver);
        const results = (await runs.get(key)!)[planned.id]!.map(normalise);
        const lookup = lookupIn(planned.steps, results);
        const label = (i: number) => `${i + 1} ${planned.steps[i]!.op}`;
        expect(results.map((r, i) => ({ step: label(i), ...r }))).toStrictEqual(
          planned.steps.map((step, i) => ({ step: label(i), ...expected(step, lookup, driver) })),
        );
        planned.scenario.verify?.(results, planned.vars);
      }, RUN_LIMIT_MS);
    }
  });
}

describe("the three clients see the same thing", () => {
  const [sdk, ...others] = DRIVERS.filter((d) => d.key !== "exe");
  SCENARIOS.forEach((scenario, index) => {
    const missing = (scenario.requires ?? []).filter((op) => !registered.has(op));
    it.skipIf(missing.length > 0)(scenario.title, async (ctx) => {
      const available = others.filter((o) => !o.driver.unavailable());
      if (available.length === 0) ctx.skip("only one client is available");
      const view = async (d: (typeof DRIVERS)[number]) => {
        const planned = d.plans[index]!;
        return (await runs.get(d.key)!)[planned.id]!.map((r) => canonical(r, planned.vars));
      };
      const reference = await view(sdk!);
      for (const other of available) expect(await view(other), `${other.driver.name} vs ${sdk!.driver.name}`).toStrictEqual(reference);
    }, RUN_LIMIT_MS);
  });
});
