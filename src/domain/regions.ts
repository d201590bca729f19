// AWS regions mapped to Durable Object location hints, so a secret is placed near its region.

const HINTS: [prefix: string, hint: DurableObjectLocationHint][] = [
  ["us-west-", "wnam"],
  ["us-gov-west-", "wnam"],
  ["ca-west-", "wnam"],
  ["mx-", "wnam"],
  ["us-", "enam"],
  ["ca-", "enam"],
  ["sa-", "sam"],
  ["eu-", "weur"],
  ["il-", "me"],
  ["me-", "me"],
  ["af-", "afr"],
  ["ap-southeast-2", "oc"],
  ["ap-southeast-4", "oc"],
  ["ap-", "apac"],
];

export function locationHint(region: string): DurableObjectLocationHint | undefined {
  return HINTS.find(([prefix]) => region.startsWith(prefix))?.[1];
}
