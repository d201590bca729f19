// Every LookupEvents page is read as a range of the index made for its attribute, newest first, with or without a
// cursor: no scan of the trail and no sort of what matched. The trail holds 90 days of every call, so a plan that
// walked the time index and filtered would read every event of the range to find a rare match.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type AttributeKey, lookupPage } from "../../src/audit/events-db";

const INDEX_OF: [AttributeKey | undefined, string][] = [
  [undefined, "audit_events_by_time"],
  ["EventId", "audit_events_by_id"],
  ["EventName", "audit_events_by_name"],
  ["ReadOnly", "audit_events_by_read_only"],
  ["Username", "audit_events_by_username"],
  ["EventSource", "audit_events_by_source"],
  ["AccessKeyId", "audit_events_by_access_key"],
];
const CURSORS = [undefined, { time: Date.now(), id: "e" }];

/** The page statement lookupPage runs, captured instead of run, then explained as D1 answers it. */
async function planOf(key: AttributeKey | undefined, cursor: { time: number; id: string } | undefined): Promise<string[]> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const capture = {
    prepare: (sql: string) => ({
      bind: (...params: unknown[]) => {
        captured = { sql, params };
        return { all: async () => ({ results: [] }) };
      },
    }),
  } as unknown as D1Database;
  const query = { accountId: "111122223333", region: "us-east-1", startTime: 0, endTime: Date.now(), attribute: key && { key, value: "x" } };
  await lookupPage(capture, query, cursor, 50);
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${captured!.sql}`)
    .bind(...captured!.params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe("LookupEvents pages read the index of their attribute", () => {
  for (const [key, index] of INDEX_OF) {
    it(`${key ?? "no attribute"}: one search of ${index}`, async () => {
      for (const cursor of CURSORS) {
        const plan = await planOf(key, cursor);
        expect(plan, plan.join("\n")).toEqual([expect.stringMatching(new RegExp(`^SEARCH e USING INDEX ${index} \\(account_id=\\? AND region=\\?`))]);
      }
    });
  }

  for (const [key, search] of [
    ["ResourceName", "SEARCH r USING PRIMARY KEY (account_id=? AND region=? AND resource_name=?"],
    ["ResourceType", "SEARCH r USING COVERING INDEX audit_event_resources_by_type (account_id=? AND region=? AND resource_type=?"],
  ] as const) {
    it(`${key}: the page's matches from the resources index, then each event by its key`, async () => {
      for (const cursor of CURSORS) {
        const plan = await planOf(key, cursor);
        const text = plan.join("\n");
        expect(plan.some((step) => step.startsWith(search)), text).toBe(true);
        expect(plan, text).toContain("SEARCH e USING INDEX audit_events_by_time (account_id=? AND region=? AND event_time=? AND event_id=?)");
        // Only the page itself (at most MaxResults rows) is scanned or sorted.
        expect(plan.filter((step) => step.startsWith("SCAN")), text).toEqual(["SCAN m"]);
      }
    });
  }
});
