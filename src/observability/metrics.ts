// Counters for Workers Analytics Engine (the optional METRICS binding; README "Metrics" has the queries). One data
// point per event: blob1 the metric, blob2 what it is about (an operation), blob3 its outcome (an error code,
// "ok"), double1 the count or measured value, double2 a latency in ms; index1 the metric, for sampling.
// Without the binding every call is a no-op. Never given a secret's value or name.
import type { Env } from "../env";

export type Metric = "request" | "index_lag" | "outbox_depth" | "rotation" | "replication";

export interface Metrics {
  /** One API request: its operation, and "ok" or its AWS error code. */
  request(operation: string, errorCode: string | undefined, latencyMs: number): void;
  /** How far the D1 index trails an object's state, in ms (the oldest queued index update's age). */
  indexLag(ms: number): void;
  /** Index updates queued in an object's outbox. */
  outboxDepth(entries: number): void;
  /** A rotation step or run and its outcome ("succeeded", "failed", an error code, ...). */
  rotation(step: string, outcome: string): void;
  /** A replication to a region and its outcome. */
  replication(region: string, outcome: string): void;
}

export function metrics(env: Pick<Env, "METRICS">): Metrics {
  const dataset = env.METRICS;
  const write = (metric: Metric, about: string, outcome: string, value: number, latencyMs = 0) =>
    dataset?.writeDataPoint({ indexes: [metric], blobs: [metric, about, outcome], doubles: [value, latencyMs] });
  return {
    request: (operation, errorCode, latencyMs) => write("request", operation, errorCode ?? "ok", 1, latencyMs),
    indexLag: (ms) => write("index_lag", "", "", ms),
    outboxDepth: (entries) => write("outbox_depth", "", "", entries),
    rotation: (step, outcome) => write("rotation", step, outcome, 1),
    replication: (region, outcome) => write("replication", region, outcome, 1),
  };
}
