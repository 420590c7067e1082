-- Issue 19: one alert per account, rule and alert window (a burst of matches) instead of one per
-- matching movement. The ledger job publishes a window's first match at once and revisions of it
-- (same alert_id, more matches) as further matches join; the sinks keep the revision with the most
-- matches (FraudReadModel.INSERT_ALERT). Alerts written before windows existed are windows of one
-- match, hence the defaults. Adding columns with constant defaults does not rewrite the table.

ALTER TABLE fraud_alerts
    ADD COLUMN matches                BIGINT      NOT NULL DEFAULT 1 CHECK (matches >= 1),
    ADD COLUMN first_event_time       TIMESTAMPTZ,
    ADD COLUMN last_detected_time     TIMESTAMPTZ,
    ADD COLUMN latest_transaction_ids TEXT[]      NOT NULL DEFAULT '{}';
