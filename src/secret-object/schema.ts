// The Durable Object's SQLite schema as ordered, append-only migrations; applied once per object start.

const migrations: { id: number; sql: string }[] = [
  {
    id: 1,
    sql: `
      CREATE TABLE secret (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        description TEXT,
        kms_key_id TEXT,
        type TEXT,
        created_at INTEGER NOT NULL,
        last_changed_at INTEGER NOT NULL,
        last_accessed_day INTEGER,
        deleted_at INTEGER,
        deletion_at INTEGER,
        tags_set INTEGER NOT NULL DEFAULT 0,
        revision INTEGER NOT NULL
      );
      CREATE TABLE versions (
        version_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_accessed_day INTEGER,
        kms_key_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('string', 'binary')),
        envelope TEXT NOT NULL,
        value_hash TEXT NOT NULL
      );
      CREATE TABLE stages (
        label TEXT PRIMARY KEY,
        version_id TEXT NOT NULL REFERENCES versions (version_id),
        position INTEGER NOT NULL
      );
      CREATE TABLE tags (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        position INTEGER NOT NULL
      );
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entry TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE schema_version (id INTEGER NOT NULL);
    `,
  },
  {
    // The secret's resource policy, as the caller sent it (GetResourcePolicy returns it verbatim); null = none.
    id: 2,
    sql: "ALTER TABLE secret ADD COLUMN resource_policy TEXT;",
  },
  {
    // Pruning looks only at versions older than a day: this index makes that an empty range, not a scan of every
    // version, on each write to a secret with many recent versions.
    id: 3,
    sql: "CREATE INDEX versions_by_created ON versions (created_at);",
  },
];

/** Applies the migrations this object has not yet run. Call inside blockConcurrencyWhile. */
export function migrate(sql: SqlStorage): void {
  const hasTable = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
  const current = hasTable ? ((sql.exec("SELECT MAX(id) AS id FROM schema_version").one().id as number | null) ?? 0) : 0;
  for (const migration of migrations) {
    if (migration.id <= current) continue;
    sql.exec(migration.sql);
    sql.exec("INSERT INTO schema_version (id) VALUES (?)", migration.id);
  }
}
