// The secret object of an account/region/name, placed near its region (domain/regions.ts): how the Worker finds a
// secret's object and how a primary finds its replicas.
import { locationHint } from "../domain/regions";
import { type SecretRef, objectName } from "../domain/secret-id";
import type { SecretObject } from "./secret-object";

export function objectAt(namespace: DurableObjectNamespace<SecretObject>, ref: SecretRef) {
  // Only the first get() of an object honours the hint: a replica is created by its primary's first delivery, so
  // it is placed near its own region, not near the primary.
  return namespace.get(namespace.idFromName(objectName(ref)), { locationHint: locationHint(ref.region) });
}
