// ListSecrets: the caller's secrets from the D1 index (metadata only, never values), filtered, sorted and paged
// with opaque tokens. Also the filter schema and the paging that BatchGetSecretValue shares.
import { z } from "zod";
import { keyRing } from "../crypto/keys";
import { openPageToken, sealPageToken } from "../crypto/page-token";
import { Bool, NextToken } from "../domain/schemas";
import { FILTER_KEYS, type Filter } from "../index-db/filters";
import { type Judged, type ListQuery, type ListedSecret, MAX_SCAN, type Position, type SortBy, StatementTooLong, listPage } from "../index-db/list-query";
import { AwsError } from "../protocol/errors";
import { seconds } from "../protocol/json";
import { accessDenied, decide, judge, mayAllowSomeSecret } from "../authz/secret";
import { type Context, defineOperation } from "./operation";
import { authFor } from "./secrets";

/** FilterValueStringType, with the model's pattern verbatim (AWS quotes it in the validation message). */
const FilterValue = z.string().max(512).regex(/^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$/);

/** FiltersListType. Key and Values are optional in the model; their absence is refused in filtersOf. */
export const Filters = z.array(z.object({ Key: z.enum(FILTER_KEYS).optional(), Values: z.array(FilterValue).min(1).max(10).optional() })).max(10);

export const listSecrets = defineOperation({
  input: z.object({
    IncludePlannedDeletion: Bool.optional(),
    MaxResults: z.number().int().min(1).max(100).optional(),
    NextToken: NextToken.optional(),
    Filters: Filters.optional(),
    SortOrder: z.enum(["asc", "desc"]).optional(),
    SortBy: z.enum(["created-date", "last-accessed-date", "last-changed-date", "name"]).optional(),
  }),
  async handler(ctx, input) {
    // Request validation comes before authorization (docs/parity.md "Order of checks").
    const filters = filtersOf(input.Filters);
    const visible = listable(ctx);
    const query: ListQuery = {
      accountId: ctx.caller.accountId,
      region: ctx.caller.region,
      filters,
      sortBy: input.SortBy ?? "created-date",
      sortOrder: input.SortOrder ?? "asc",
      includePlannedDeletion: input.IncludePlannedDeletion ?? false,
    };
    const page = await findSecrets(ctx, "ListSecrets", query, input.MaxResults ?? 100, input.NextToken, visible);
    return { SecretList: page.secrets.map(listEntry), NextToken: page.nextToken };
  },
});

/** Request filters as the index takes them; a filter without Key or Values is refused as AWS does (moto, MOTO-V). */
export function filtersOf(filters: z.output<typeof Filters> | undefined): Filter[] {
  return (filters ?? []).map(({ Key, Values }) => {
    if (Key === undefined) throw new AwsError("InvalidParameterException", "Invalid filter key");
    if (Values === undefined) throw new AwsError("InvalidParameterException", `Invalid filter values for key: ${Key}`);
    return { key: Key, values: Values };
  });
}

/**
 * Which index rows the caller may see in a listing (ListSecrets, BatchGetSecretValue with Filters); undefined for a
 * key without a policy, which sees all. A policy that denies secretsmanager:ListSecrets on `*`, or has no Allow for
 * it whose conditions on the request (its source address, time, principal tags…) hold, refuses the call as AWS
 * does. Otherwise each row is judged with its ARN and tags from the index (the identity policy only: resource
 * policies are not indexed), and the page is read so that nothing of it depends on the rows left out
 * (list-query.ts visiblePage): a page can hold fewer than MaxResults, and NextToken (encrypted, so it reveals
 * nothing of the row it continues after) comes back only when a visible secret follows or the window ended.
 */
export function listable(ctx: Context): ((s: Judged) => boolean) | undefined {
  if (ctx.caller.identityPolicy === undefined) return undefined;
  const auth = authFor(ctx, "ListSecrets", "*");
  const call = decide(auth, { arn: "*" });
  if (call.decision === "ExplicitDeny" || (call.decision === "ImplicitDeny" && !mayAllowSomeSecret(auth))) {
    throw AwsError.from(accessDenied(auth, call));
  }
  return (s) => judge(auth, { arn: s.arn, tags: s.tags }) === undefined;
}

/**
 * One page of the caller's secrets. Tokens are encrypted (AES-GCM, src/crypto/page-token.ts), so the position of a
 * row the caller may not list never shows, and bound to the operation, the caller's account and region and the
 * whole query, so a forged token, or one from another listing, is InvalidNextTokenException.
 */
export async function findSecrets(
  ctx: Context,
  operation: string,
  query: ListQuery,
  limit: number,
  nextToken: string | undefined,
  visible: ((s: Judged) => boolean) | undefined,
) {
  const ring = keyRing(ctx.env.KMS_KEYS);
  const binding = JSON.stringify([operation, query]);
  let after: Position | undefined;
  if (nextToken !== undefined) {
    after = positionOf(await openPageToken(ring, binding, nextToken), query.sortBy);
    if (!after) throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
  }
  const page = await listPage(ctx.env.DB, query, limit, after, MAX_SCAN, visible).catch((error: unknown) => {
    if (error instanceof StatementTooLong) throw new AwsError("InvalidParameterException", "The filters are too long to search. Use fewer or shorter filter values.");
    throw error;
  });
  return { secrets: page.secrets, nextToken: page.next && (await sealPageToken(ring, binding, page.next)) };
}

function positionOf(position: unknown, sortBy: SortBy): Position | undefined {
  if (!Array.isArray(position) || position.length !== 2) return undefined;
  const [key, arn] = position as unknown[];
  const keyOk = sortBy === "name" ? typeof key === "string" : Number.isSafeInteger(key);
  return keyOk && typeof arn === "string" ? [key as string | number, arn] : undefined;
}

/** A SecretListEntry: fields absent under the same rules as DescribeSecret (reference/aws-behaviour.md §4). */
function listEntry(s: ListedSecret) {
  return {
    ARN: s.arn,
    Name: s.name,
    Type: s.type ?? undefined,
    Description: s.description || undefined,
    KmsKeyId: s.kmsKeyId ?? undefined,
    LastChangedDate: seconds(s.lastChangedAt),
    LastAccessedDate: seconds(s.lastAccessedAt ?? undefined),
    DeletedDate: seconds(s.deletedAt ?? undefined),
    Tags: s.tagsSet || s.tags.length > 0 ? s.tags : undefined,
    SecretVersionsToStages: Object.keys(s.versionsToStages).length > 0 ? s.versionsToStages : undefined,
    OwningService: s.owningService ?? undefined,
    CreatedDate: seconds(s.createdAt),
    PrimaryRegion: s.primaryRegion ?? undefined,
  };
}
