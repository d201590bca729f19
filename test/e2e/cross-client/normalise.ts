// Results as compared: staging labels sorted (AWS does not define their order), and, for comparing one driver with
// another, every per-driver value (names, tokens, ARN suffixes, dates, ids, passwords) replaced by a placeholder.
import type { StepResult, Vars } from "./types";

const STAGE_MAPS = new Set(["VersionIdsToStages", "SecretVersionsToStages"]);

/** Sorts every VersionStages list and the label lists of VersionIdsToStages / SecretVersionsToStages. */
export function normalise(result: StepResult): StepResult {
  return result.body ? { ...result, body: sortLabels(result.body) as Record<string, unknown> } : result;
}

function sortLabels(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => sortLabels(item));
    return key === "VersionStages" ? items.sort() : items;
  }
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, STAGE_MAPS.has(key) && Array.isArray(v) ? [...v].sort() : sortLabels(v, k)]),
  );
}

const UNORDERED = new Set(["Versions", "SecretList", "SecretValues", "Errors"]);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ARN_SUFFIX = /(:secret:\S*?)-[A-Za-z0-9]{6}(?![A-Za-z0-9])/g;

/** A driver's result in a form that does not depend on which driver produced it. */
export function canonical(result: StepResult, vars: Vars): unknown {
  const { requestId: _, modeled: __, ...rest } = normalise(result);
  const replacements: [string, string][] = [
    ...vars.t.map((token, i) => [token, `<t${i}>`] as [string, string]),
    [vars.name, "<name>"],
    [vars.name2, "<name2>"],
    [vars.missing, "<missing>"],
    [vars.prefix, "<prefix>"],
  ];
  const text = (s: string) => {
    let out = s;
    for (const [from, to] of replacements) out = out.split(from).join(to);
    return out.replace(UUID, "<uuid>").replace(ARN_SUFFIX, "$1-XXXXXX");
  };
  const walk = (value: unknown, key = ""): unknown => {
    if (key.endsWith("Date") && typeof value === "number") return "<date>";
    if (key === "RandomPassword" && typeof value === "string") return `<${[...value].length} characters>`;
    if (key === "NextToken" && typeof value === "string") return "<token>";
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item, key));
      // Entry lists whose order AWS leaves open: compared as sets.
      return UNORDERED.has(key) ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
    }
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), walk(v, k)]));
    return value;
  };
  return walk(rest);
}
