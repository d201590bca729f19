// GET /health: 200 {"status":"ok"} when the D1 index answers and the key ring parses, imports and matches the keys
// the state depends on (key-ring/ring-guard.ts); 503 naming the failing part otherwise. No authentication, and
// nothing about any secret or key in the answer; the reason for a failure goes to the log.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { DEFAULT_KEY_NAME, keyRing } from "../crypto/keys";
import { ringProblem } from "../key-ring/ring-guard";

export async function health(c: Context<AppEnv>): Promise<Response> {
  const [index, ring] = await Promise.allSettled([
    c.env.DB.prepare("SELECT count(*) AS n FROM index_sweep").first(),
    (async () => {
      await keyRing(c.env.KMS_KEYS).current(DEFAULT_KEY_NAME);
      const problem = await ringProblem(c.env.DB, c.env.KMS_KEYS);
      if (problem) throw new Error(`key ${problem.keyId} version ${problem.version} ${problem.kind}`);
    })(),
  ]);
  const checks = { index: index.status === "fulfilled" ? "ok" : "failing", keyRing: ring.status === "fulfilled" ? "ok" : "failing" };
  const healthy = index.status === "fulfilled" && ring.status === "fulfilled";
  if (!healthy) {
    const reasons = [index, ring].flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    console.error(JSON.stringify({ event: "health_failing", checks, reasons }));
  }
  return Response.json({ status: healthy ? "ok" : "unavailable", checks }, { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } });
}
