-- The keys this deployment's secrets depend on, by key check value (never the key): one row per key version that
-- was current when a write was accepted. A key ring lacking any of them, or holding a different key under the same
-- name and version, is refused (README "Key ring safety"): by `npm start` before serving, by the Worker for writes.
CREATE TABLE key_checks (
  key_id TEXT NOT NULL,
  version TEXT NOT NULL,
  check_value TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, version)
);
