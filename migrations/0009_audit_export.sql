-- How far the audit trail's R2 log files reach: the rowid of the last audit_events row exported (src/audit/log-export.ts).
-- Before this migration the AuditTrail shards wrote the files themselves, from the records they held; a shard keeps
-- a record at most about a minute after D1 has it. So the export starts with the rows of the last five minutes: a
-- record a shard had indexed but not yet filed is exported, and one it had filed in those minutes is filed twice
-- (CloudTrail's consumers deduplicate by eventID). Nothing older is exported again.

CREATE TABLE audit_export (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq INTEGER NOT NULL          -- audit_events.rowid
);

INSERT INTO audit_export VALUES (1, IFNULL(
  (SELECT min(rowid) - 1 FROM audit_events WHERE event_time > (CAST(strftime('%s', 'now') AS INTEGER) - 300) * 1000),
  (SELECT IFNULL(max(rowid), 0) FROM audit_events)
));
