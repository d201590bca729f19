// CloudTrail LookupEvents (target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents): the
// caller's own account's events in its region, newest first, each with its record as JSON in CloudTrailEvent.
// Authorized by cloudtrail:LookupEvents in the key's identity policy; a key without a policy has full access.
import { z } from "zod";
import { accessDeniedMessage, buildContext, evaluate } from "../../authz";
import { defineOperation, type Context } from "../../operations/operation";
import { AwsError } from "../../protocol/errors";
import type { StoredEvent } from "../events-db";
import { lookupEvents } from "../lookup";
import { drainTrail } from "../trail";

export const lookupEventsOperation = defineOperation({
  input: z.object({
    LookupAttributes: z.array(z.object({ AttributeKey: z.string(), AttributeValue: z.string() })).optional(),
    StartTime: z.number().optional(),
    EndTime: z.number().optional(),
    EventCategory: z.string().optional(),
    MaxResults: z.number().optional(),
    NextToken: z.string().optional(),
  }),
  async handler(ctx, input) {
    authorize(ctx);
    const { accountId, region } = ctx.caller;
    // Records still waiting in the trail's shards are delivered first, so a caller finds what it just did.
    await drainTrail(ctx.env, accountId, region);
    const page = await lookupEvents(ctx.env, { accountId, region, now: ctx.now }, input);
    return { Events: page.events.map(eventOf), NextToken: page.nextToken };
  },
});

function authorize(ctx: Context): void {
  const { caller } = ctx;
  if (caller.identityPolicy === undefined) return;
  const principal = { arn: caller.principalArn, accountId: caller.accountId, roleArn: caller.roleArn };
  const request = {
    principal,
    action: "cloudtrail:LookupEvents",
    resource: "*",
    identityPolicy: caller.identityPolicy,
    context: buildContext({
      principal,
      principalTags: caller.principalTags,
      sourceIp: caller.sourceIp,
      secureTransport: caller.secureTransport,
      now: new Date(ctx.now),
      extra: { "aws:RequestedRegion": caller.region },
    }),
  };
  const result = evaluate(request);
  if (result.decision !== "Allow") throw new AwsError("AccessDeniedException", accessDeniedMessage(request, result));
}

function eventOf(row: StoredEvent) {
  return {
    EventId: row.event_id,
    EventName: row.event_name,
    ReadOnly: row.read_only,
    AccessKeyId: row.access_key_id ?? undefined,
    EventTime: Math.floor(row.event_time / 1000),
    EventSource: row.event_source,
    Username: row.username ?? undefined,
    Resources: JSON.parse(row.resources) as { ResourceType: string; ResourceName: string }[],
    CloudTrailEvent: row.record,
  };
}
