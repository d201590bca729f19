// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("@cloudflare/vitest-plugin").D1Migration[];
    SECRETS: DurableObjectNamespace<import("../src/secret-object/secret-object").SecretObject>;
    DB: D1Database;
    D1_WRITER: DurableObjectNamespace<import("../src/outbox/d1-writer").D1Writer>;
    AUDIT: DurableObjectNamespace<import("../src/audit/trail-object").AuditTrail>;
    AUDIT_LOGS?: R2Bucket;
    AUDIT_EXPORT: DurableObjectNamespace<import("../src/audit/log-export").AuditExport>;
    KMS_KEYS: string;
    ACCESS_KEYS?: string;
  }
}
