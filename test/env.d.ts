// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("@cloudflare/vitest-plugin").D1Migration[];
    SECRETS: DurableObjectNamespace<import("../src/secret-object/secret-object").SecretObject>;
    DB: D1Database;
    AUDIT: DurableObjectNamespace<import("../src/audit/trail-object").AuditTrail>;
    AUDIT_LOGS?: R2Bucket;
    KMS_KEYS: string;
    ACCESS_KEYS?: string;
  }
}
