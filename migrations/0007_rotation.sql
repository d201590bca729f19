-- Rotation (issue 12): what DescribeSecret shows of it, for ListSecrets; rotation_due_at lets the cron sweep find
-- scheduled rotations whose alarm was missed.
ALTER TABLE secrets ADD COLUMN rotation_enabled INTEGER;
ALTER TABLE secrets ADD COLUMN rotation_lambda_arn TEXT;
ALTER TABLE secrets ADD COLUMN rotation_rules TEXT;
ALTER TABLE secrets ADD COLUMN last_rotated_at INTEGER;
ALTER TABLE secrets ADD COLUMN next_rotation_at INTEGER;
ALTER TABLE secrets ADD COLUMN rotation_due_at INTEGER;
ALTER TABLE secrets ADD COLUMN external_rotation_metadata TEXT;
ALTER TABLE secrets ADD COLUMN external_rotation_role_arn TEXT;
CREATE INDEX secrets_due_rotation ON secrets (rotation_due_at) WHERE rotation_due_at IS NOT NULL;
