// BatchGetSecretValue: the AWSCURRENT values of up to 20 secrets, named in SecretIdList or found by Filters in the
// D1 index, read from their Durable Objects concurrently. A secret that fails goes into Errors; the call succeeds.
// Permissions (API docs): BatchGetSecretValue for the call, ListSecrets with Filters, GetSecretValue per secret.
import { z } from "zod";
import { NextToken, SecretId } from "../domain/schemas";
import { AwsError, MARKED_FOR_DELETION, SECRET_NOT_FOUND } from "../protocol/errors";
import type { ValueView } from "../secret-object/types";
import { valueResponse } from "./get-secret-value";
import { Filters, filtersOf, findSecrets, listable } from "./list-secrets";
import { type Context, defineOperation } from "./operation";
import { deniedWithoutResource, locate } from "./secrets";

interface ApiError {
  SecretId: string;
  ErrorCode: string;
  Message: string;
}

export const batchGetSecretValue = defineOperation({
  input: z.object({
    SecretIdList: z.array(SecretId).min(1).max(20).optional(),
    Filters: Filters.optional(),
    MaxResults: z.number().int().min(1).max(20).optional(),
    NextToken: NextToken.optional(),
  }),
  async handler(ctx, input) {
    // Messages as moto words them; AWS's are unrecorded (docs/parity.md).
    if ((input.SecretIdList === undefined) === (input.Filters === undefined)) {
      throw new AwsError("InvalidParameterException", "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
    }
    if (input.MaxResults !== undefined && input.Filters === undefined) {
      throw new AwsError("InvalidParameterException", "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
    }
    // Request validation, the filters' too, comes before authorization (docs/parity.md "Order of checks").
    const filters = input.Filters && filtersOf(input.Filters);
    const denied = deniedWithoutResource(ctx, "BatchGetSecretValue");
    if (denied) throw denied;
    let ids = input.SecretIdList;
    let nextToken: string | undefined;
    if (filters !== undefined) {
      const visible = listable(ctx);
      const query = {
        accountId: ctx.caller.accountId,
        region: ctx.caller.region,
        filters,
        sortBy: "created-date" as const,
        sortOrder: "asc" as const,
        includePlannedDeletion: false,
      };
      const page = await findSecrets(ctx, "BatchGetSecretValue", query, input.MaxResults ?? 20, input.NextToken, visible);
      ids = page.secrets.map((s) => s.arn);
      nextToken = page.nextToken;
    }

    const results = await Promise.all(ids!.map((id) => currentValue(ctx, id)));
    const errors = results.filter((r): r is ApiError => "ErrorCode" in r);
    return {
      SecretValues: results.filter((r): r is ValueView => !("ErrorCode" in r)).map(valueResponse),
      // With Filters the index can lag: a secret deleted since it was indexed is left out, not reported.
      Errors: input.Filters === undefined ? errors : errors.filter((e) => !isGone(e)),
      NextToken: nextToken,
    };
  },
});

/** One secret's AWSCURRENT value through the same object call as GetSecretValue, or the error it would answer. */
async function currentValue(ctx: Context, secretId: string): Promise<ValueView | ApiError> {
  try {
    const { secret, target, auth } = locate(ctx, secretId, "GetSecretValue");
    const result = await secret.getValue(auth, target);
    if (result.ok) return result.value;
    return { SecretId: secretId, ErrorCode: result.error.code, Message: result.error.message };
  } catch (error) {
    if (error instanceof AwsError) return { SecretId: secretId, ErrorCode: error.code, Message: error.message };
    throw error;
  }
}

const isGone = (e: ApiError): boolean =>
  (e.ErrorCode === "ResourceNotFoundException" && e.Message === SECRET_NOT_FOUND) ||
  (e.ErrorCode === "InvalidRequestException" && e.Message === MARKED_FOR_DELETION);
