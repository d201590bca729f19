-- ListSecrets / BatchGetSecretValue at scale (docs/storage-schema.md "D1 index"): one index per SortBy with the
-- ARN as tie-breaker, so pages are keyset ranges of one index; covering indexes for each filter's prefix range;
-- and secret_words, the lower-cased words that the `description` and `all` filters prefix-match.

-- AWS shows `Tags: []` once a secret has been tagged, even after every tag is removed.
ALTER TABLE secrets ADD COLUMN tags_set INTEGER NOT NULL DEFAULT 0;

-- Which word splitting wrote this row's secret_words (0: none yet, rows from before this migration). The cron
-- sweeper re-indexes rows whose version is not the current one.
ALTER TABLE secrets ADD COLUMN words_version INTEGER NOT NULL DEFAULT 0;

-- Never-read secrets sort as 0 (oldest) by last-accessed-date; a NOT NULL key keeps keyset comparisons simple.
ALTER TABLE secrets ADD COLUMN last_accessed_key INTEGER GENERATED ALWAYS AS (IFNULL(last_accessed_at, 0)) VIRTUAL;

DROP INDEX secrets_by_name;
DROP INDEX secrets_by_created;
CREATE INDEX secrets_by_name ON secrets (account_id, region, name, arn);
CREATE INDEX secrets_by_created ON secrets (account_id, region, created_at, arn);
CREATE INDEX secrets_by_changed ON secrets (account_id, region, last_changed_at, arn);
CREATE INDEX secrets_by_accessed ON secrets (account_id, region, last_accessed_key, arn);
CREATE INDEX secrets_by_primary_region ON secrets (account_id, region, primary_region, arn);
CREATE INDEX secrets_by_owning_service ON secrets (account_id, region, owning_service, arn);

DROP INDEX secret_tags_by_key;
DROP INDEX secret_tags_by_value;
CREATE INDEX secret_tags_by_key ON secret_tags (account_id, region, key, arn);
CREATE INDEX secret_tags_by_value ON secret_tags (account_id, region, value, arn);

-- One row per distinct word of one attribute: field is name, description, tag-key or tag-value; attr tells the
-- tags apart (their position), so a multi-word `all` value can require its words to be in the same attribute.
CREATE TABLE secret_words (
  arn TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  field TEXT NOT NULL,
  attr INTEGER NOT NULL,
  word TEXT NOT NULL,
  PRIMARY KEY (arn, field, attr, word)
) WITHOUT ROWID;
CREATE INDEX secret_words_by_word ON secret_words (account_id, region, field, word);

-- Where the cron sweeper's repair pass continues: it walks the index by ARN, a bounded batch per run.
CREATE TABLE index_sweep (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  after_arn TEXT NOT NULL
);
INSERT INTO index_sweep (id, after_arn) VALUES (1, '');
