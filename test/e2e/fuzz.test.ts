// A seeded fuzz run against the local server: requests generated from the API model (hostile/fuzz-gen.ts), bounded
// in count and time. Every answer must be 200 with a JSON object or 400 with a valid AWS error envelope (never a 5xx),
// and afterwards every secret the run touched must be consistent: exactly one AWSCURRENT version when it has
// versions, no label on two versions, DescribeSecret agreeing with ListSecretVersionIds.
// Reproduce a failure with FUZZ_SEED=<seed printed below> (and FUZZ_CONCURRENCY=1 for the exact same order).
import { describe, expect, inject, it } from "vitest";
import { ACCOUNT, REGION } from "./client";
import { inspectSecret } from "./consistency";
import { envelopeProblem } from "./hostile/envelope";
import { FuzzGenerator } from "./hostile/fuzz-gen";
import { rawCall, registeredOperations } from "./raw";

const endpoint = inject("endpoint");
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1500);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 45_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
const SHOWN = 10;

describe(`fuzz (seed ${SEED})`, () => {
  const registered = registeredOperations(endpoint);
  const generator = registered.then((ops) => new FuzzGenerator(SEED, `e2e/fuzz-${SEED}`, ops, ACCOUNT, REGION));
  let sent = 0;

  it(`answers up to ${MAX_REQUESTS} generated requests, in at most ${TIME_LIMIT_MS / 1000} s, with 200 or a 400 AWS error envelope`, async () => {
    console.log(`fuzz seed ${SEED}: reproduce with FUZZ_SEED=${SEED} FUZZ_CONCURRENCY=1`);
    const gen = await generator;
    const requests = Array.from({ length: MAX_REQUESTS }, () => gen.next());
    const deadline = Date.now() + TIME_LIMIT_MS;
    const failures: string[] = [];
    const statuses = new Map<string, number>();

    const worker = async () => {
      while (sent < requests.length && Date.now() < deadline) {
        const index = sent++;
        const { op, body } = requests[index]!;
        let problem: string | undefined;
        let outcome: string;
        try {
          const response = await rawCall(endpoint, op, {}, { body });
          outcome = response.status === 200 ? "200" : `${response.status} ${(response.json as { __type?: string } | undefined)?.__type}`;
          if (response.status !== 200) problem = envelopeProblem(response);
          else if (typeof response.json !== "object" || response.json === null || Array.isArray(response.json)) problem = "200 without a JSON object";
        } catch (error) {
          outcome = "no answer";
          problem = `no answer: ${String(error)}`;
        }
        statuses.set(`${op} ${outcome}`, (statuses.get(`${op} ${outcome}`) ?? 0) + 1);
        if (problem) failures.push(`#${index} ${op} ${body.slice(0, 300)} → ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    console.log(`fuzz seed ${SEED}: ${sent} requests; ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(", ")}`);
    expect(failures.slice(0, SHOWN), `seed ${SEED}: ${failures.length} bad answers (first ${SHOWN} shown)`).toEqual([]);
    // The run must have exercised the service, not only its validation.
    expect([...statuses.keys()].filter((k) => k.endsWith(" 200")).length, `seed ${SEED}`).toBeGreaterThan(5);
  }, TIME_LIMIT_MS + 30_000);

  it("leaves every secret it touched with exactly one AWSCURRENT version (when it has versions) and unique labels", async () => {
    const gen = await generator;
    const states = await Promise.all(gen.names.map((name) => inspectSecret(endpoint, name)));
    console.log(`fuzz seed ${SEED}: ${states.map((s) => `${s.name.split("/").at(-1)} ${s.state} ${s.versions.length}v`).join(", ")}`);
    expect(states.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`)), `seed ${SEED}`).toEqual([]);
    expect(states.some((s) => s.versions.length > 1), `seed ${SEED}: no secret got more than one version`).toBe(true);
  });

  it("still serves GetSecretValue afterwards", async () => {
    const name = `e2e/fuzz-${SEED}-after-${crypto.randomUUID().slice(0, 8)}`;
    const created = await rawCall(endpoint, "CreateSecret", { Name: name, SecretString: "still here", ClientRequestToken: crypto.randomUUID() });
    expect(created.status, created.text).toBe(200);
    const got = await rawCall(endpoint, "GetSecretValue", { SecretId: name });
    expect((got.json as { SecretString?: string }).SecretString).toBe("still here");
  });
});
