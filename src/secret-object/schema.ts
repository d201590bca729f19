// The Durable Object's SQLite schema as ordered, append-only migrations. Created by the object's first write, not on
// start: an object asked about a name that holds no secret keeps no tables (issue 10, item 3).

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
  {
    // The outbox serves several destinations (the D1 index now; replicas and the audit trail next): each entry
    // names its destination and carries that destination's next try, from which the alarm is derived. Entries
    // queued before this migration were all for the index and are due at once.
    id: 4,
    sql: `
      ALTER TABLE outbox ADD COLUMN destination TEXT NOT NULL DEFAULT 'index';
      ALTER TABLE outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX outbox_by_destination ON outbox (destination, seq);
    `,
  },
  {
    // Replication (issue 13). On a primary: one row per replica region, with what ReplicationStatus reports and
    // what its outbox destination (replica:<region>) has delivered: `wanted` counts changes queued for the region,
    // `synced` the last of them the replica acknowledged, `sent_seq` the newest version it holds. On a replica:
    // `replica_stamp`, the newest snapshot applied (older or repeated deliveries change nothing).
    id: 5,
    sql: `
      ALTER TABLE secret ADD COLUMN primary_region TEXT;
      CREATE TABLE replicas (
        region TEXT PRIMARY KEY,
        kms_key_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('InProgress', 'InSync', 'Failed')),
        status_message TEXT,
        last_accessed_day INTEGER,
        overwrite INTEGER NOT NULL DEFAULT 0,
        wanted INTEGER NOT NULL DEFAULT 0,
        synced INTEGER NOT NULL DEFAULT 0,
        sent_seq INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL
      );
      CREATE TABLE replica_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), stamp INTEGER NOT NULL);
    `,
  },
  {
    // Rotation (issue 12, docs/rotation.md): the configuration on the secret row (rules stored as DescribeSecret
    // reports them), the value-less AWSPENDING placeholder as a version marked empty, and the one rotation in flight.
    id: 6,
    sql: `
      ALTER TABLE secret ADD COLUMN rotation_enabled INTEGER;
      ALTER TABLE secret ADD COLUMN rotation_lambda_arn TEXT;
      ALTER TABLE secret ADD COLUMN rotation_rules TEXT;
      ALTER TABLE secret ADD COLUMN last_rotated_at INTEGER;
      ALTER TABLE secret ADD COLUMN next_rotation_at INTEGER;
      ALTER TABLE secret ADD COLUMN rotation_due_at INTEGER;
      ALTER TABLE secret ADD COLUMN external_rotation_metadata TEXT;
      ALTER TABLE secret ADD COLUMN external_rotation_role_arn TEXT;
      ALTER TABLE versions ADD COLUMN empty INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE rotation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        rotation_token TEXT NOT NULL,
        immediately INTEGER NOT NULL,
        step INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        next_at INTEGER NOT NULL,
        last_error TEXT,
        started_at INTEGER NOT NULL
      );
    `,
  },
  {
    // Replication epochs (issue 13): on a primary, each replica region's epoch, a new one each time the region is
    // added, drawn from a counter that outlives removed regions; on a replica, the epoch of the snapshot it applied,
    // and once promoted or removed, per primary, the newest epoch it left, whose deliveries (late, retried or
    // overwriting) it refuses from then on.
    id: 7,
    sql: `
      ALTER TABLE replicas ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE replica_stamp ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE replica_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL);
      CREATE TABLE replica_fences (primary_arn TEXT PRIMARY KEY, epoch INTEGER NOT NULL);
    `,
  },
];

/** Whether the object has a schema (something was ever written to it). */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
}

/** Applies the migrations this object has not yet run (all of them on its first write). */
export function ensureSchema(sql: SqlStorage): void {
  const current = hasSchema(sql) ? ((sql.exec("SELECT MAX(id) AS id FROM schema_version").one().id as number | null) ?? 0) : 0;
  for (const migration of migrations) {
    if (migration.id <= current) continue;
    sql.exec(migration.sql);
    sql.exec("INSERT INTO schema_version (id) VALUES (?)", migration.id);
  }
}
