-- An event's resource rows (LookupEvents by ResourceName or ResourceType) follow its audit_events row by trigger: a
-- delivery is one statement, and its records travel to D1 once rather than once per table. A repeated record
-- (INSERT OR IGNORE) inserts no row, and so no resource rows either.
CREATE TRIGGER audit_events_resources AFTER INSERT ON audit_events
BEGIN
  INSERT OR IGNORE INTO audit_event_resources (account_id, region, resource_name, resource_type, event_time, event_id)
    SELECT new.account_id, new.region, json_extract(value, '$.ResourceName'), json_extract(value, '$.ResourceType'), new.event_time, new.event_id
    FROM json_each(new.resources);
END;
