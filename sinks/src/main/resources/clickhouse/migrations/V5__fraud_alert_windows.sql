-- Issue 19: one alert per account, rule and alert window (a burst of matches) instead of one per
-- matching movement; revisions of a window share its alert_id and carry more matches. The table
-- stays a ReplacingMergeTree without a version column (ALTER cannot add one): the row inserted last
-- wins, and the sink inserts a window's revisions in the order the ledger published them (one
-- account's alerts are in one partition; a replay after a restart ends with the newest revision
-- too). detected_time, the partition key, is the window's first detection, the same in every
-- revision. Alerts written before windows existed are windows of one match, hence the defaults.

ALTER TABLE fraud_alerts ADD COLUMN IF NOT EXISTS matches UInt64 DEFAULT 1;
ALTER TABLE fraud_alerts ADD COLUMN IF NOT EXISTS first_event_time Nullable(DateTime64(3, 'UTC'));
ALTER TABLE fraud_alerts ADD COLUMN IF NOT EXISTS last_detected_time Nullable(DateTime64(3, 'UTC'));
ALTER TABLE fraud_alerts ADD COLUMN IF NOT EXISTS latest_transaction_ids Array(String) DEFAULT [];
