// Counters for Workers Analytics Engine (the optional METRICS binding; README "Metrics" has the queries). One data
// point per event: blob1 the metric, blob2 what it is about (an operation, a destination, a step, a region), blob3
// its outcome (an error code, "ok", "delivered", ...), double1 the count or measured value, double2 a latency in ms;
// index1 the metric, for sampling. Without the binding every call is a no-op. Never given a secret's value or name.
import type { Env } from "../env";

export type Metric = "request" | "index_lag" | "outbox_depth" | "rotation" | "replication";

/** How an outbox delivery ended. */
export type DeliveryOutcome = "delivered" | "failed";

/** How a rotation run ended: the test runs of RotateImmediately=false apart, as AWS's TestRotation* events are. */
export type RotationOutcome = "succeeded" | "failed" | "retried" | "test_succeeded" | "test_failed" | "cancelled" | "abandoned";

/** How a delivery to a replica region ended. */
export type ReplicationOutcome = "in_sync" | "removed" | "failed" | "conflict" | "key_failed";

export interface Metrics {
  /** One API request: its operation, and "ok" or its AWS error code. */
  request(operation: string, errorCode: string | undefined, latencyMs: number): void;
  /** How far the D1 index trails an object's state, in ms: the age of the oldest index update at a delivery. */
  indexLag(ms: number, outcome: DeliveryOutcome): void;
  /** One outbox delivery to a destination (`index`, `replica:<region>`): the entries it carried. */
  outboxDepth(destination: string, entries: number, outcome: DeliveryOutcome): void;
  /** A rotation run that ended, with the step it ended at. */
  rotation(step: string, outcome: RotationOutcome): void;
  /** A delivery to a replica region that ended. */
  replication(region: string, outcome: ReplicationOutcome): void;
}

export function metrics(env: Pick<Env, "METRICS">): Metrics {
  const dataset = env.METRICS;
  const write = (metric: Metric, about: string, outcome: string, value: number, latencyMs = 0) => {
    try {
      dataset?.writeDataPoint({ indexes: [metric], blobs: [metric, about, outcome], doubles: [value, latencyMs] });
    } catch {
      // A counter never fails what it counts (a delivery, a rotation, a request).
    }
  };
  return {
    request: (operation, errorCode, latencyMs) => write("request", operation, errorCode ?? "ok", 1, latencyMs),
    indexLag: (ms, outcome) => write("index_lag", "index", outcome, ms),
    outboxDepth: (destination, entries, outcome) => write("outbox_depth", destination, outcome, entries),
    rotation: (step, outcome) => write("rotation", step, outcome, 1),
    replication: (region, outcome) => write("replication", region, outcome, 1),
  };
}
