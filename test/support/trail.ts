// lookupEvents(input): CloudTrail LookupEvents through the Worker, signed for service `cloudtrail` as the AWS CLI
// signs it; and helpers to reach the audit trail's shards of one (account, region).
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { AUDIT_SHARDS } from "../../src/audit/trail";
import { type SmOptions, type SmResponse, sign } from "./sm";

export const LOOKUP_EVENTS_TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

export interface TrailEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

export interface LookupResponse {
  [member: string]: unknown;
  Events: TrailEvent[];
  NextToken?: string;
  __type?: string;
  Message?: string;
}

export async function lookupEvents(input: object, options: SmOptions = {}): Promise<SmResponse<LookupResponse>> {
  const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": LOOKUP_EVENTS_TARGET, ...options.headers };
  const request = await sign(headers, options.rawBody ?? JSON.stringify(input), { service: "cloudtrail", ...options });
  const response = await SELF.fetch("http://127.0.0.1/", { method: "POST", headers: request.headers, body: request.body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as LookupResponse, headers: response.headers };
}

/** Every event of the caller's region matching `input`, following NextToken; asserts 200 on each page. */
export async function allEvents(input: object, options: SmOptions = {}): Promise<TrailEvent[]> {
  const events: TrailEvent[] = [];
  let next: string | undefined;
  do {
    const res = await lookupEvents({ ...input, NextToken: next }, options);
    if (res.status !== 200) throw new Error(`LookupEvents ${res.status}: ${JSON.stringify(res.body)}`);
    events.push(...res.body.Events);
    next = res.body.NextToken;
  } while (next);
  return events;
}

/** The stubs of every shard of (account, region). */
export function trailShards(account: string, region: string) {
  return Array.from({ length: AUDIT_SHARDS }, (_, i) => env.AUDIT.get(env.AUDIT.idFromName(`${account}/${region}/${i}`)));
}

/** Delivers every record of (account, region) to D1 and exports D1's records to the log files now, not in a minute. */
export async function flushTrail(account: string, region: string): Promise<void> {
  for (const shard of trailShards(account, region)) await shard.index();
  await env.AUDIT_EXPORT.get(env.AUDIT_EXPORT.idFromName("log-export")).flush();
}
