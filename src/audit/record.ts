// CloudTrail records (pure): the record of one API call, and of the service's own events (rotation, version
// deletion), in CloudTrail's format. Secret values, rotation tokens and passwords are left out entirely.
import { requestParameters, responseElements, SECRET_TYPE, secretResources, type TrailResource } from "./parameters";

export const EVENT_VERSION = "1.11";
export const SECRETS_SOURCE = "secretsmanager.amazonaws.com";
export const CLOUDTRAIL_SOURCE = "cloudtrail.amazonaws.com";

export interface UserIdentity {
  /** Absent on service events, as in AWS's own examples. */
  type?: "Root" | "IAMUser" | "AssumedRole" | "FederatedUser" | "Unknown";
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: { sessionIssuer: { type: "Role"; principalId: string; arn: string; accountId: string; userName: string } };
  invokedBy?: string;
}

export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, string>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: string; ARN: string }[];
  eventType: "AwsApiCall" | "AwsServiceEvent";
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: "Management";
}

/** What is known about one call once it has been answered. */
export interface ApiCall {
  eventSource: string;
  eventName: string;
  /** Epoch milliseconds; the record shows whole seconds, as CloudTrail does. */
  eventTime: number;
  eventId: string;
  requestId: string;
  region: string;
  recipientAccountId: string;
  identity: UserIdentity;
  sourceIp: string;
  userAgent: string;
  /** The request body as sent (parsed JSON), when it could be parsed. */
  request?: unknown;
  /** The request members the operation models; anything else in the body is not recorded. */
  members: readonly string[];
  /** The operation's answer, on success. */
  response?: unknown;
  error?: { code: string; message: string };
}

/** A record and the resources LookupEvents finds it by. */
export interface Built {
  record: CloudTrailRecord;
  resources: TrailResource[];
}

const READ_ONLY = /^(Get|Describe|List|BatchGet|Lookup|Validate)/;

export const isReadOnly = (eventName: string): boolean => READ_ONLY.test(eventName);

/** CloudTrail's eventTime: ISO-8601 UTC to the second. */
export const eventTimeText = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The record of one API call, success or failure. */
export function apiCallRecord(call: ApiCall): Built {
  const readOnly = isReadOnly(call.eventName);
  const failed = call.error !== undefined;
  const resources = call.eventSource === SECRETS_SOURCE ? secretResources(call.request, failed ? undefined : call.response) : [];
  const arns = resources.filter((r) => r.name.startsWith("arn:"));
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: call.identity,
    eventTime: eventTimeText(call.eventTime),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    // CloudTrail reports an IAM denial as AccessDenied; every other code as the service answered it.
    errorCode: call.error && (call.error.code === "AccessDeniedException" ? "AccessDenied" : call.error.code),
    errorMessage: call.error?.message,
    requestParameters: requestParameters(call.request, call.members),
    // Reads and failures have none; a mutation's answer holds ARNs, names and version ids, never a value.
    responseElements: readOnly || failed ? null : responseElements(call.response),
    requestID: call.requestId,
    eventID: call.eventId,
    readOnly,
    resources: arns.length > 0 ? arns.map((r) => ({ accountId: accountOf(r.name) ?? call.recipientAccountId, type: r.type, ARN: r.name })) : undefined,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: call.recipientAccountId,
    eventCategory: "Management",
  };
  return { record: withoutUndefined(record), resources };
}

export type ServiceEventName =
  | "RotationStarted"
  | "RotationSucceeded"
  | "RotationFailed"
  | "RotationAbandoned"
  | "TestRotationStarted"
  | "TestRotationSucceeded"
  | "TestRotationFailed"
  | "StartSecretVersionDelete"
  | "CancelSecretVersionDelete"
  | "EndSecretVersionDelete";

export interface ServiceEvent {
  eventName: ServiceEventName;
  eventTime: number;
  eventId: string;
  /** AWS's rotation events use "Rotation-<secretArn>-<uuid>". */
  requestId: string;
  region: string;
  accountId: string;
  secretArn: string;
  versionId?: string;
  errorMessage?: string;
}

/** A record of something the service did by itself, e.g. a rotation step or the purge of a version. */
export function serviceEventRecord(event: ServiceEvent): Built {
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: event.accountId, invokedBy: SECRETS_SOURCE },
    eventTime: eventTimeText(event.eventTime),
    eventSource: SECRETS_SOURCE,
    eventName: event.eventName,
    awsRegion: event.region,
    sourceIPAddress: SECRETS_SOURCE,
    userAgent: SECRETS_SOURCE,
    errorMessage: event.errorMessage,
    requestParameters: null,
    responseElements: null,
    additionalEventData: event.versionId === undefined ? { SecretId: event.secretArn } : { SecretId: event.secretArn, VersionId: event.versionId },
    requestID: event.requestId,
    eventID: event.eventId,
    readOnly: false,
    resources: [{ accountId: event.accountId, type: SECRET_TYPE, ARN: event.secretArn }],
    eventType: "AwsServiceEvent",
    managementEvent: true,
    recipientAccountId: event.accountId,
    eventCategory: "Management",
  };
  return { record: withoutUndefined(record), resources: [{ type: SECRET_TYPE, name: event.secretArn }] };
}

const accountOf = (arn: string): string | undefined => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** Drops absent members, so a record has no `"errorCode": undefined` keys in tests or in memory. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
