-- The list/search index: one row per secret, written only through each secret's outbox. Never holds values.
CREATE TABLE secrets (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  kms_key_id TEXT,
  type TEXT,
  created_at INTEGER NOT NULL,
  last_changed_at INTEGER NOT NULL,
  last_accessed_at INTEGER,
  deleted_at INTEGER,
  deletion_at INTEGER,
  primary_region TEXT,
  owning_service TEXT,
  tags_json TEXT NOT NULL DEFAULT '[]',
  versions_to_stages_json TEXT NOT NULL DEFAULT '{}',
  revision INTEGER NOT NULL
);
CREATE INDEX secrets_by_name ON secrets (account_id, region, name);
CREATE INDEX secrets_by_created ON secrets (account_id, region, created_at);
CREATE INDEX secrets_due_deletion ON secrets (deletion_at) WHERE deletion_at IS NOT NULL;

CREATE TABLE secret_tags (
  arn TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (arn, key)
);
CREATE INDEX secret_tags_by_key ON secret_tags (account_id, region, key);
CREATE INDEX secret_tags_by_value ON secret_tags (account_id, region, value);
