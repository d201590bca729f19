-- The audit trail (docs/storage-schema.md "Audit trail"): one row per CloudTrail record, kept 90 days. Every
-- lookup is one account's and region's events newest first, so each LookupEvents attribute has an index that
-- ends in (event_time, event_id): a page is a keyset range of one index.

CREATE TABLE audit_events (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_time INTEGER NOT NULL,          -- epoch milliseconds
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_source TEXT NOT NULL,
  read_only TEXT NOT NULL,              -- 'true' / 'false', as LookupEvents matches it
  username TEXT,
  access_key_id TEXT,
  resources TEXT NOT NULL,              -- LookupEvents' Resources, JSON [{"ResourceType", "ResourceName"}]
  record TEXT NOT NULL,                 -- the CloudTrail record, JSON (never a secret value)
  PRIMARY KEY (account_id, region, event_time, event_id)
) WITHOUT ROWID;

-- Unique, so a batch delivered twice is inserted once (INSERT OR IGNORE).
CREATE UNIQUE INDEX audit_events_by_id ON audit_events (account_id, region, event_id);
CREATE INDEX audit_events_by_name ON audit_events (account_id, region, event_name, event_time, event_id);
CREATE INDEX audit_events_by_read_only ON audit_events (account_id, region, read_only, event_time, event_id);
CREATE INDEX audit_events_by_username ON audit_events (account_id, region, username, event_time, event_id);
CREATE INDEX audit_events_by_source ON audit_events (account_id, region, event_source, event_time, event_id);
CREATE INDEX audit_events_by_access_key ON audit_events (account_id, region, access_key_id, event_time, event_id);
-- The retention purge (cron): oldest first across accounts.
CREATE INDEX audit_events_by_age ON audit_events (event_time);

-- The resources each event names (a BatchGetSecretValue names several): ResourceName / ResourceType lookups.
CREATE TABLE audit_event_resources (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_name TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (account_id, region, resource_name, event_time, event_id, resource_type)
) WITHOUT ROWID;

CREATE INDEX audit_event_resources_by_type ON audit_event_resources (account_id, region, resource_type, event_time, event_id);
CREATE INDEX audit_event_resources_by_age ON audit_event_resources (event_time);
