-- A secret's derived index rows (secret_tags; secret_words, which the description and all filters search) are kept by
-- triggers on its secrets row: written when the row is inserted, rewritten when an update changes its tags or its
-- words (of its name, description and tags), and left alone by the updates that change neither (a PutSecretValue).
-- A forced snapshot (the sweeper's repair) is inserted anew after its row is removed, so they are derived again.
-- (The two triggers' bodies are the same: SQLite has no trigger for both INSERT and UPDATE.)
-- An index write is then one statement for all the secrets of a batch (src/index-db/secrets-index.ts), where each
-- secret's snapshot used to carry four more statements that re-judged, and mostly skipped, its derived rows.

-- The words of each attribute, [field, attr, word], as the Worker splits them (src/index-db/filters.ts); rows from
-- before this migration keep their secret_words and get the column with their next snapshot (or the sweeper's repair).
ALTER TABLE secrets ADD COLUMN words_json TEXT NOT NULL DEFAULT '[]';

CREATE TRIGGER secrets_derived_on_insert AFTER INSERT ON secrets
BEGIN
  DELETE FROM secret_tags WHERE arn = new.arn;
  INSERT INTO secret_tags (arn, account_id, region, key, value)
    SELECT new.arn, new.account_id, new.region, json_extract(value, '$.Key'), json_extract(value, '$.Value') FROM json_each(new.tags_json);
  DELETE FROM secret_words WHERE arn = new.arn;
  INSERT OR IGNORE INTO secret_words (arn, account_id, region, field, attr, word)
    SELECT new.arn, new.account_id, new.region, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(new.words_json);
END;

CREATE TRIGGER secrets_derived_on_update AFTER UPDATE ON secrets
WHEN old.tags_json IS NOT new.tags_json OR old.words_json IS NOT new.words_json
BEGIN
  DELETE FROM secret_tags WHERE arn = new.arn;
  INSERT INTO secret_tags (arn, account_id, region, key, value)
    SELECT new.arn, new.account_id, new.region, json_extract(value, '$.Key'), json_extract(value, '$.Value') FROM json_each(new.tags_json);
  DELETE FROM secret_words WHERE arn = new.arn;
  INSERT OR IGNORE INTO secret_words (arn, account_id, region, field, attr, word)
    SELECT new.arn, new.account_id, new.region, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(new.words_json);
END;
