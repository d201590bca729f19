// The metrics module against a fake Analytics Engine binding: each counter writes one data point in the documented
// layout (README "Metrics"), and without the binding nothing is written and nothing fails.
import { describe, expect, it } from "vitest";
import { metrics } from "../../src/observability/metrics";

function fakeDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) } as AnalyticsEngineDataset };
}

describe("metrics", () => {
  it("counts a request by operation and outcome, with its latency", () => {
    const { points, dataset } = fakeDataset();
    const m = metrics({ METRICS: dataset });
    m.request("GetSecretValue", undefined, 12);
    m.request("PutSecretValue", "ResourceNotFoundException", 3);
    expect(points).toEqual([
      { indexes: ["request"], blobs: ["request", "GetSecretValue", "ok"], doubles: [1, 12] },
      { indexes: ["request"], blobs: ["request", "PutSecretValue", "ResourceNotFoundException"], doubles: [1, 3] },
    ]);
  });

  it("records index lag and outbox depth as values, rotations and replications by outcome", () => {
    const { points, dataset } = fakeDataset();
    const m = metrics({ METRICS: dataset });
    m.indexLag(250, "delivered");
    m.outboxDepth("replica:eu-west-1", 4, "failed");
    m.rotation("finishSecret", "succeeded");
    m.replication("eu-west-1", "failed");
    expect(points.map((p) => [p.blobs, p.doubles])).toEqual([
      [["index_lag", "index", "delivered"], [250, 0]],
      [["outbox_depth", "replica:eu-west-1", "failed"], [4, 0]],
      [["rotation", "finishSecret", "succeeded"], [1, 0]],
      [["replication", "eu-west-1", "failed"], [1, 0]],
    ]);
    expect(points.every((p) => p.indexes?.[0] === p.blobs?.[0])).toBe(true);
  });

  it("is a no-op without the binding", () => {
    const m = metrics({});
    expect(() => {
      m.request("ListSecrets", undefined, 1);
      m.indexLag(1, "delivered");
      m.outboxDepth("index", 1, "delivered");
      m.rotation("finishSecret", "succeeded");
      m.replication("us-west-2", "in_sync");
    }).not.toThrow();
  });

  it("never fails what it counts, even when the binding throws", () => {
    const m = metrics({ METRICS: { writeDataPoint: () => { throw new Error("over the limit"); } } as AnalyticsEngineDataset });
    expect(() => m.outboxDepth("index", 1, "delivered")).not.toThrow();
  });
});
