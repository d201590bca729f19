// Bindings and per-request variables shared by the Worker and the Durable Object.
import type { AuditSlot } from "./audit/prepared-call";
import type { AuditTrail } from "./audit/trail-object";
import type { PolicyDocument } from "./authz";
import type { D1Writer } from "./outbox/d1-writer";
import type { AuditExport } from "./audit/log-export";
import type { SecretObject } from "./secret-object/secret-object";

export interface Env {
  SECRETS: DurableObjectNamespace<SecretObject>;
  DB: D1Database;
  /** D1's writers of the secrets' index rows and audit records, one per (account, region) (src/outbox/d1-writer.ts). */
  D1_WRITER: DurableObjectNamespace<D1Writer>;
  /** The audit trail's shards (src/audit/trail-object.ts). */
  AUDIT: DurableObjectNamespace<AuditTrail>;
  /** Optional: CloudTrail-layout log files of the audit trail (README "Audit trail"). */
  AUDIT_LOGS?: R2Bucket;
  /** The export of the audit trail to AUDIT_LOGS: one object (src/audit/log-export.ts). */
  AUDIT_EXPORT: DurableObjectNamespace<AuditExport>;
  /** JSON key ring of key-encryption keys (see README "Keys"). A Worker secret; `.dev.vars` locally. */
  KMS_KEYS: string;
  /** JSON array of access keys (see README "Access keys"). A Worker secret; `.dev.vars` locally. */
  ACCESS_KEYS?: string;
  /** JSON map from rotation function ARN (or partner Type) to target (docs/rotation.md). A Worker secret; `.dev.vars` locally. */
  ROTATION_FUNCTIONS?: string;
  /** The console's static files (public/): on Cloudflare the edge serves /console/ before the Worker; locally the Worker
   *  forwards /console/ here (scripts/start.mjs). */
  ASSETS?: Fetcher;
  /** Workers Analytics Engine dataset for counters (optional; README "Metrics"). */
  METRICS?: AnalyticsEngineDataset;
  /** "off" drops the per-request log line (`npm start` without --verbose, which would only discard it). */
  REQUEST_LOG?: string;
  /** "1" turns on the benchmark's no-op routes (bench/load.mjs); unset everywhere else. */
  BENCH_NOOP?: string;
  /** Comma-separated replica regions whose deliveries fail, as if the region were unreachable (README "Replication"). */
  REPLICA_REGIONS_UNAVAILABLE?: string;
}

/** Who is calling and where: derived once per request by the auth step. */
export interface Caller {
  accountId: string;
  region: string;
  accessKeyId: string;
  principalArn: string;
  /** For a role session: its role's IAM ARN with the role's path (ACCESS_KEYS `roleArn`). */
  roleArn?: string;
  /** The key's identity policy; undefined = full access to its own account (README "Authorization"). */
  identityPolicy?: PolicyDocument;
  /** aws:PrincipalTag/<key>. */
  principalTags?: Record<string, string>;
  /** aws:SourceIp: cf-connecting-ip, or 127.0.0.1 on the local server. */
  sourceIp: string;
  /** aws:SecureTransport: the request came over HTTPS. */
  secureTransport: boolean;
}

export type AppEnv = {
  Bindings: Env;
  /**
   * input / output: the parsed request and the operation's answer, for the audit trail (src/audit/middleware.ts);
   * audit: the call's event, which the secret's object records with a change it commits (src/audit/prepared-call.ts).
   */
  Variables: { requestId: string; caller: Caller; body: string; input: unknown; output: object; audit: AuditSlot };
};
