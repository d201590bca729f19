// State checks after fuzzing or a crash: a secret's versions and staging labels, read through the API, must form a
// valid label map (each label on one version, exactly one AWSCURRENT when there are versions), and DescribeSecret
// must agree with ListSecretVersionIds.
import { rawCall } from "./raw";

export interface VersionEntry {
  VersionId: string;
  VersionStages?: string[];
}

export interface SecretState {
  name: string;
  /** active: listed with its versions; scheduled: marked for deletion (labels from DescribeSecret); missing: not found. */
  state: "active" | "scheduled" | "missing";
  versions: VersionEntry[];
  /** What is wrong with the labels, in words; empty when consistent. */
  problems: string[];
}

const MAX_PAGES = 50;

/** Reads a secret's versions (every page, deprecated included) and checks its labels. */
export async function inspectSecret(endpoint: string, name: string): Promise<SecretState> {
  const described = await rawCall(endpoint, "DescribeSecret", { SecretId: name });
  const body = described.json as { __type?: string; DeletedDate?: number; VersionIdsToStages?: Record<string, string[]> };
  if (described.status === 400 && body.__type === "ResourceNotFoundException") return { name, state: "missing", versions: [], problems: [] };
  if (described.status !== 200) return { name, state: "missing", versions: [], problems: [`DescribeSecret answered ${described.status} ${described.text}`] };
  const fromDescribe = Object.entries(body.VersionIdsToStages ?? {}).map(([VersionId, VersionStages]) => ({ VersionId, VersionStages }));
  if (body.DeletedDate !== undefined) return { name, state: "scheduled", versions: fromDescribe, problems: labelProblems(fromDescribe) };

  const versions: VersionEntry[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await rawCall(endpoint, "ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true, MaxResults: 100, NextToken: nextToken });
    const list = listed.json as { Versions?: VersionEntry[]; NextToken?: string };
    if (listed.status !== 200) return { name, state: "active", versions, problems: [`ListSecretVersionIds answered ${listed.status} ${listed.text}`] };
    versions.push(...(list.Versions ?? []));
    nextToken = list.NextToken;
    if (!nextToken) break;
  }
  const problems = labelProblems(versions);
  if (new Set(versions.map((v) => v.VersionId)).size !== versions.length) problems.push("a VersionId is listed twice");
  const labelled = Object.fromEntries(versions.filter((v) => v.VersionStages?.length).map((v) => [v.VersionId, [...v.VersionStages!].sort()]));
  const described2 = Object.fromEntries(fromDescribe.map((v) => [v.VersionId, [...v.VersionStages].sort()]));
  if (JSON.stringify(sortKeys(labelled)) !== JSON.stringify(sortKeys(described2))) {
    problems.push(`DescribeSecret ${JSON.stringify(described2)} disagrees with ListSecretVersionIds ${JSON.stringify(labelled)}`);
  }
  return { name, state: "active", versions, problems };
}

/** Each label on at most one version, and exactly one AWSCURRENT when there are versions. */
export function labelProblems(versions: VersionEntry[]): string[] {
  const problems: string[] = [];
  const holders = new Map<string, string[]>();
  for (const v of versions) {
    const stages = v.VersionStages ?? [];
    if (new Set(stages).size !== stages.length) problems.push(`version ${v.VersionId} lists a label twice: ${stages.join(",")}`);
    for (const label of new Set(stages)) holders.set(label, [...(holders.get(label) ?? []), v.VersionId]);
  }
  for (const [label, ids] of holders) if (ids.length > 1) problems.push(`${label} is on ${ids.length} versions: ${ids.join(", ")}`);
  const current = holders.get("AWSCURRENT") ?? [];
  if (versions.length > 0 && current.length === 0) problems.push(`no version has AWSCURRENT among ${versions.length}`);
  return problems;
}

const sortKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
