// Key-ring safety for the Worker: the D1 table key_checks (migration 0005) records, by check value, every key
// version that was current when a write was accepted. A ring lacking one of them, or holding a different key under
// its name, is "unknown": writes are refused rather than mixed into the state under other keys (README "Key ring
// safety"). Verdicts are cached per isolate for a minute.
import { ringChecks } from "./check-values";

const CACHE_MS = 60_000;

interface Recorded {
  key_id: string;
  version: string;
  check_value: string;
}

/** A key version the state depends on and this ring lacks or holds differently; undefined when the ring is known. */
export type RingProblem = { keyId: string; version: string; kind: "missing" | "different" } | undefined;

const verdicts = new Map<string, { at: number; problem: RingProblem }>();

/**
 * For writes: records this ring's current versions (first writer wins on a name and version) and answers whether
 * every recorded key is in the ring with the same check value.
 */
export async function admitWrites(db: D1Database, kmsKeys: string, now = Date.now()): Promise<RingProblem> {
  const cached = verdicts.get(kmsKeys);
  if (cached && now - cached.at < CACHE_MS) return cached.problem;
  const ours = await ringChecks(kmsKeys);
  const record = db.prepare(
    "INSERT INTO key_checks (key_id, version, check_value, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id, version) DO NOTHING",
  );
  const results = await db.batch<Recorded>([
    ...ours.filter((key) => key.current).map((key) => record.bind(key.keyId, key.version, key.checkValue, now)),
    db.prepare("SELECT key_id, version, check_value FROM key_checks"),
  ]);
  const problem = compare(ours, results.at(-1)!.results);
  verdicts.set(kmsKeys, { at: now, problem });
  if (problem) console.error(JSON.stringify({ event: "key_ring_refused", ...problem }));
  return problem;
}

/** For /health: the same comparison, recording nothing. */
export async function ringProblem(db: D1Database, kmsKeys: string): Promise<RingProblem> {
  const { results } = await db.prepare("SELECT key_id, version, check_value FROM key_checks").all<Recorded>();
  return compare(await ringChecks(kmsKeys), results);
}

/** Drops the cached verdicts, so the next write checks again (tests; an operator's repair takes a minute otherwise). */
export const forgetVerdicts = (): void => verdicts.clear();

function compare(ours: Awaited<ReturnType<typeof ringChecks>>, recorded: Recorded[]): RingProblem {
  const byName = new Map(ours.map((key) => [`${key.keyId}\n${key.version}`, key.checkValue]));
  for (const row of recorded) {
    const held = byName.get(`${row.key_id}\n${row.version}`);
    if (held !== row.check_value) return { keyId: row.key_id, version: row.version, kind: held === undefined ? "missing" : "different" };
  }
  return undefined;
}

export function describeProblem(problem: NonNullable<RingProblem>): string {
  const what = problem.kind === "missing" ? "lacks" : "holds a different key as";
  return `The key ring (KMS_KEYS) ${what} key ${problem.keyId} version ${problem.version}, which stored secrets depend on; writes are refused until the operator restores it.`;
}
