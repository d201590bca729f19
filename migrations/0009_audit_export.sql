-- How far the audit trail's R2 log files reach: the rowid of the last audit_events row exported (src/audit/log-export.ts).
-- Before this migration the AuditTrail shards wrote the files themselves, keeping each record until it was filed; the
-- export starts after every row D1 holds now, and the shards file what they still keep (trail-object.ts
-- fileEarlierBatches). Records an earlier version indexes between this migration and the deploy of the code that
-- reads it are filed by both (CloudTrail's consumers deduplicate by eventID); none is left out.

CREATE TABLE audit_export (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq INTEGER NOT NULL          -- audit_events.rowid
);

INSERT INTO audit_export VALUES (1, (SELECT IFNULL(max(rowid), 0) FROM audit_events));
