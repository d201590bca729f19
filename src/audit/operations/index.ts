// CloudTrail's operations at this endpoint, keyed by operation name (target prefixes CLOUDTRAIL_PREFIXES).
import type { AnyOperation } from "../../operations/operation";
import { lookupEventsOperation } from "./lookup-events";

export const cloudTrailOperations = {
  LookupEvents: lookupEventsOperation,
} satisfies Record<string, AnyOperation>;
