// AWS regions → Durable Object location hints, so each secret's object is placed near its region (docs/architecture.md).
import { describe, expect, it } from "vitest";
import { locationHint } from "../../src/domain/regions";

const VALID_HINTS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"];

describe("locationHint", () => {
  it.each([
    ["us-east-1", "enam"],
    ["us-east-2", "enam"],
    ["ca-central-1", "enam"],
    ["us-west-1", "wnam"],
    ["us-west-2", "wnam"],
    ["sa-east-1", "sam"],
    ["eu-west-1", "weur"],
    ["eu-west-2", "weur"],
    ["eu-central-1", "weur"],
    ["eu-north-1", "weur"],
    ["me-south-1", "me"],
    ["me-central-1", "me"],
    ["il-central-1", "me"],
    ["af-south-1", "afr"],
    ["ap-southeast-1", "apac"],
    ["ap-northeast-1", "apac"],
    ["ap-south-1", "apac"],
    ["ap-east-1", "apac"],
    ["ap-southeast-2", "oc"],
    ["ap-southeast-4", "oc"],
  ])("%s → %s", (region, hint) => {
    expect(locationHint(region)).toBe(hint);
  });

  it("every AWS commercial region gets a valid location hint", () => {
    const regions = [
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
      "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
      "il-central-1", "me-south-1", "me-central-1", "af-south-1",
      "ap-east-1", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    ];
    const missing = regions.filter((r) => !VALID_HINTS.includes(locationHint(r) ?? ""));
    expect(missing).toEqual([]);
  });

  it("an unknown region gets no hint, so the object is placed near its first caller", () => {
    expect(locationHint("xx-nowhere-1")).toBeUndefined();
    expect(locationHint("")).toBeUndefined();
  });
});
