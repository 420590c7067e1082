-- Fraud alerts and rule changes for analysts. ReplacingMergeTree keyed by identity, like every
-- analytics table: a row the at-least-once sink writes twice collapses to one on merge, and the
-- queries read with FINAL so it never counts twice before.

-- One row per alert; alert_id is derived from (rule, partner, transaction) by the ledger job.
CREATE TABLE IF NOT EXISTS fraud_alerts
(
    alert_id                   String,
    rule_id                    LowCardinality(String),
    rule_version               UInt64,
    rule_type                  LowCardinality(String),
    mode                       LowCardinality(String),
    severity                   LowCardinality(String),
    score                      Float64,
    partner_id                 LowCardinality(String),
    account_id                 String,
    transaction_id             String,
    movement_type              LowCardinality(String),
    amount_minor               Int64,
    currency                   LowCardinality(String),
    triggering_transaction_ids Array(String),
    explanation                String,
    blocked                    Bool,
    event_time                 DateTime64(3, 'UTC'),
    detected_time              DateTime64(3, 'UTC'),
    inserted_time              DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(detected_time)
ORDER BY (partner_id, rule_id, alert_id);

-- Every published version of every rule.
CREATE TABLE IF NOT EXISTS fraud_rule_changes
(
    rule_id     String,
    version     UInt64,
    rule_type   LowCardinality(String),
    mode        LowCardinality(String),
    enabled     Bool,
    severity    LowCardinality(String),
    thresholds  Map(String, String),
    changed_by  String,
    changed_at  DateTime64(3, 'UTC'),
    description String
)
ENGINE = ReplacingMergeTree
ORDER BY (rule_id, version);
