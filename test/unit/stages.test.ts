// Staging-label moves as pure map transitions: every recorded sequence of reference/aws-behaviour.md §5,
// replayed on label → versionId maps, plus the error cases of UpdateSecretVersionStage.
import { describe, expect, it } from "vitest";
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, type StageMap, attachNewVersion, labelsByVersion, updateStage } from "../../src/domain/stages";

/** The labels on each version, sorted (AWS's label order is not part of the contract, see caveat 1). */
function labelsOf(stages: StageMap): Record<string, string[]> {
  return Object.fromEntries([...labelsByVersion(stages)].map(([version, labels]) => [version, [...labels].sort()]));
}

/** PutSecretValue / UpdateSecret of a new version, with or without VersionStages. */
const put = (stages: StageMap, versionId: string, requested?: string[]) => attachNewVersion(stages, versionId, requested);

/** UpdateSecretVersionStage that must succeed. */
function move(stages: StageMap, label: string, removeFrom: string | undefined, moveTo: string | undefined) {
  const result = updateStage(stages, label, removeFrom, moveTo);
  if (!result.ok) throw new Error(`unexpected ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const created = () => put(new Map(), "v1");

describe("new versions (PutSecretValue / UpdateSecret)", () => {
  it("the first version of a secret becomes AWSCURRENT with no AWSPREVIOUS", () => {
    expect(labelsOf(created())).toEqual({ v1: [AWSCURRENT] });
  });

  it("PutSecretValue without VersionStages makes the new version AWSCURRENT and the old one AWSPREVIOUS", () => {
    expect(labelsOf(put(created(), "v2"))).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT] });
  });

  it("a third value deprecates v1: it loses every label", () => {
    const stages = put(put(created(), "v2"), "v3");
    expect(labelsOf(stages)).toEqual({ v2: [AWSPREVIOUS], v3: [AWSCURRENT] });
  });

  it("a fourth value leaves v1 and v2 without labels", () => {
    const stages = put(put(put(created(), "v2"), "v3"), "v4");
    expect(labelsOf(stages)).toEqual({ v3: [AWSPREVIOUS], v4: [AWSCURRENT] });
  });

  it("custom VersionStages on a new version leave AWSCURRENT where it was", () => {
    const stages = put(created(), "v2", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    expect(labelsOf(stages)).toEqual({ v1: [AWSCURRENT], v2: ["SAMPLESTAGE0", "SAMPLESTAGE1"] });
  });

  it("the same custom VersionStages on a later version move the labels off the earlier one", () => {
    const v2 = put(created(), "v2", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    const v3 = put(v2, "v3", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    expect(labelsOf(v3)).toEqual({ v1: [AWSCURRENT], v3: ["SAMPLESTAGE0", "SAMPLESTAGE1"] });
  });

  it("VersionStages [AWSPENDING] labels the new version pending and keeps the current one", () => {
    const v3 = put(put(created(), "v2", ["SAMPLESTAGE1", "SAMPLESTAGE0"]), "v3", ["SAMPLESTAGE1", "SAMPLESTAGE0"]);
    const v4 = put(v3, "v4", [AWSPENDING]);
    expect(labelsOf(v4)).toEqual({ v1: [AWSCURRENT], v3: ["SAMPLESTAGE0", "SAMPLESTAGE1"], v4: [AWSPENDING] });
    const v5 = put(v4, "v5");
    expect(labelsOf(v5)).toEqual({ v1: [AWSPREVIOUS], v3: ["SAMPLESTAGE0", "SAMPLESTAGE1"], v4: [AWSPENDING], v5: [AWSCURRENT] });
  });

  it("a version whose every custom label moves away is deprecated", () => {
    const v2 = put(created(), "v2", ["one", "two", "three"]);
    const v3 = put(v2, "v3", ["one", "two", "three", "four"]);
    expect(labelsOf(v3)).toEqual({ v1: [AWSCURRENT], v3: ["four", "one", "three", "two"] });
  });

  it("a version keeps the custom labels that did not move", () => {
    const v2 = put(created(), "v2", ["one", "two", "three"]);
    const v3 = put(v2, "v3", ["one", "two", "four"]);
    expect(labelsOf(v3)).toEqual({ v1: [AWSCURRENT], v2: ["three"], v3: ["four", "one", "two"] });
  });

  it("explicit AWSCURRENT in VersionStages also moves AWSPREVIOUS", () => {
    expect(labelsOf(put(created(), "v2", [AWSCURRENT, "PUT0"]))).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT, "PUT0"] });
  });

  it("a new AWSCURRENT value drops AWSPENDING from the old current version", () => {
    const promoted = move(put(created(), "v2", [AWSPENDING]), AWSCURRENT, "v1", "v2");
    expect(labelsOf(put(promoted, "v3"))).toEqual({ v2: [AWSPREVIOUS], v3: [AWSCURRENT] });
  });

  it("a repeated label in VersionStages is attached once", () => {
    expect(labelsOf(put(created(), "v2", ["X", "X"]))).toEqual({ v1: [AWSCURRENT], v2: ["X"] });
  });

  it("the input map is not modified", () => {
    const before = created();
    put(before, "v2");
    expect(labelsOf(before)).toEqual({ v1: [AWSCURRENT] });
  });
});

describe("UpdateSecretVersionStage moves", () => {
  it("promoting a pending version keeps AWSPENDING on it and makes the old current AWSPREVIOUS", () => {
    const stages = move(put(created(), "v2", [AWSPENDING]), AWSCURRENT, "v1", "v2");
    expect(labelsOf(stages)).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT, AWSPENDING] });
  });

  it("rotation cycle: a new AWSPENDING version takes the label off the current one", () => {
    const promoted = move(put(created(), "v2", [AWSPENDING]), AWSCURRENT, "v1", "v2");
    const pending = put(promoted, "v3", [AWSPENDING]);
    expect(labelsOf(pending)).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT], v3: [AWSPENDING] });
    const rotated = move(pending, AWSCURRENT, "v2", "v3");
    expect(labelsOf(rotated)).toEqual({ v2: [AWSPREVIOUS], v3: [AWSCURRENT, AWSPENDING] });
  });

  it("custom labels stay on the old current version when AWSCURRENT moves", () => {
    let stages = put(created(), "v2", [AWSCURRENT, "AWSSOMETHING", "PUT1"]);
    stages = put(stages, "v3", [AWSPENDING]);
    stages = move(stages, AWSCURRENT, "v2", "v3");
    expect(labelsOf(stages)).toEqual({ v2: ["AWSPREVIOUS", "AWSSOMETHING", "PUT1"], v3: [AWSCURRENT, AWSPENDING] });
  });

  it("custom-stage cycle: PUT0/PUT1/PUT2 stay where they were put while AWSCURRENT and AWSPREVIOUS move", () => {
    let stages = put(created(), "v2", [AWSCURRENT, "PUT0"]);
    stages = put(stages, "v3", [AWSPENDING, "PUT1"]);
    stages = move(stages, AWSCURRENT, "v2", "v3");
    expect(labelsOf(stages)).toEqual({ v2: [AWSPREVIOUS, "PUT0"], v3: [AWSCURRENT, AWSPENDING, "PUT1"] });
    stages = put(stages, "v4", [AWSPENDING, "PUT2"]);
    stages = move(stages, AWSCURRENT, "v3", "v4");
    expect(labelsOf(stages)).toEqual({ v2: ["PUT0"], v3: [AWSPREVIOUS, "PUT1"], v4: [AWSCURRENT, AWSPENDING, "PUT2"] });
  });

  it("RemoveFromVersionId alone detaches a custom label", () => {
    let stages = put(created(), "v2", ["PENDING"]);
    stages = move(stages, AWSCURRENT, "v1", "v2");
    expect(labelsOf(stages)).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT, "PENDING"] });
    expect(labelsOf(move(stages, "PENDING", "v2", undefined))).toEqual({ v1: [AWSPREVIOUS], v2: [AWSCURRENT] });
  });

  it("after a manual promotion AWSPREVIOUS names the old current version", () => {
    let stages = put(created(), "v2", [AWSCURRENT]);
    stages = put(stages, "v3", [AWSPENDING]);
    stages = move(stages, AWSCURRENT, "v2", "v3");
    expect(stages.get(AWSCURRENT)).toBe("v3");
    expect(stages.get(AWSPENDING)).toBe("v3");
    expect(stages.get(AWSPREVIOUS)).toBe("v2");
  });

  it("MoveToVersionId alone attaches a label that no version holds", () => {
    expect(labelsOf(move(put(created(), "v2"), "BLUE", undefined, "v1"))).toEqual({ v1: [AWSPREVIOUS, "BLUE"], v2: [AWSCURRENT] });
  });

  it("moving a label to the version that already holds it changes nothing", () => {
    const stages = put(created(), "v2");
    expect(labelsOf(move(stages, AWSCURRENT, undefined, "v2"))).toEqual(labelsOf(stages));
    expect(labelsOf(move(stages, AWSCURRENT, "v2", "v2"))).toEqual(labelsOf(stages));
  });

  it("rolling AWSCURRENT back to the previous version swaps AWSCURRENT and AWSPREVIOUS", () => {
    expect(labelsOf(move(put(created(), "v2"), AWSCURRENT, "v2", "v1"))).toEqual({ v1: [AWSCURRENT], v2: [AWSPREVIOUS] });
  });

  it("moving a custom label with RemoveFromVersionId and MoveToVersionId", () => {
    const stages = put(put(created(), "v2", ["BLUE"]), "v3");
    expect(labelsOf(stages)).toEqual({ v1: [AWSPREVIOUS], v2: ["BLUE"], v3: [AWSCURRENT] });
    expect(labelsOf(move(stages, "BLUE", "v2", "v1"))).toEqual({ v1: [AWSPREVIOUS, "BLUE"], v3: [AWSCURRENT] });
  });
});

describe("UpdateSecretVersionStage errors", () => {
  const stages = put(put(created(), "v2"), "v3", ["BLUE"]);

  it("moving AWSCURRENT without RemoveFromVersionId returns InvalidParameterException naming the current version", () => {
    expect(updateStage(stages, AWSCURRENT, undefined, "v3")).toEqual({
      ok: false,
      error: {
        code: "InvalidParameterException",
        message:
          "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version v2, so you must explicitly reference that version in RemoveFromVersionId.",
      },
    });
  });

  it("moving an attached custom label without RemoveFromVersionId returns InvalidParameterException", () => {
    const result = updateStage(stages, "BLUE", undefined, "v1");
    expect(result).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
    expect(!result.ok && result.error.message).toContain("Staging label BLUE is currently attached to version v3");
  });

  it("RemoveFromVersionId naming a version that does not hold the label returns InvalidParameterException", () => {
    expect(updateStage(stages, AWSCURRENT, "v1", "v3")).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
    expect(updateStage(stages, "BLUE", "v1", undefined)).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
    expect(updateStage(stages, "NOWHERE", "v1", undefined)).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
  });

  it("neither RemoveFromVersionId nor MoveToVersionId returns InvalidParameterException", () => {
    expect(updateStage(stages, "BLUE", undefined, undefined)).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
  });

  it("detaching AWSCURRENT without moving it returns InvalidParameterException", () => {
    expect(updateStage(stages, AWSCURRENT, "v2", undefined)).toMatchObject({ ok: false, error: { code: "InvalidParameterException" } });
  });

  it("a refused move leaves the input map as it was", () => {
    const before = labelsOf(stages);
    updateStage(stages, AWSCURRENT, undefined, "v3");
    expect(labelsOf(stages)).toEqual(before);
  });
});
