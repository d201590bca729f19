-- audit_events becomes an ordinary (rowid) table with its former primary key as a unique index. Its rows carry the
-- whole CloudTrail record (about 1 KB), and a WITHOUT ROWID table keeps its rows inside the primary key's B-tree,
-- which suits small rows only: delivering a record to this layout cost D1 about 200 µs, against about 120 µs as a
-- rowid table with the same indexes (500-record batches in the local runtime). Every lookup reads the same index
-- ranges as before, and INSERT OR IGNORE still drops a repeated delivery.
-- The copy below is one statement: on a deployed trail of millions of events it may run past D1's per-query time
-- limit. Before applying it there, purge or export old events so the copy stays small.

CREATE TABLE audit_events_by_rowid (
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
  record TEXT NOT NULL                  -- the CloudTrail record, JSON (never a secret value)
);

INSERT INTO audit_events_by_rowid
  SELECT account_id, region, event_time, event_id, event_name, event_source, read_only, username, access_key_id, resources, record
  FROM audit_events ORDER BY event_time;

DROP TABLE audit_events;
ALTER TABLE audit_events_by_rowid RENAME TO audit_events;

-- One account's and region's events newest first (the former primary key).
CREATE UNIQUE INDEX audit_events_by_time ON audit_events (account_id, region, event_time, event_id);
-- Unique, so a batch delivered twice is inserted once (INSERT OR IGNORE).
CREATE UNIQUE INDEX audit_events_by_id ON audit_events (account_id, region, event_id);
CREATE INDEX audit_events_by_name ON audit_events (account_id, region, event_name, event_time, event_id);
CREATE INDEX audit_events_by_read_only ON audit_events (account_id, region, read_only, event_time, event_id);
CREATE INDEX audit_events_by_username ON audit_events (account_id, region, username, event_time, event_id);
CREATE INDEX audit_events_by_source ON audit_events (account_id, region, event_source, event_time, event_id);
CREATE INDEX audit_events_by_access_key ON audit_events (account_id, region, access_key_id, event_time, event_id);
-- The retention purge (cron): oldest first across accounts.
CREATE INDEX audit_events_by_age ON audit_events (event_time);
