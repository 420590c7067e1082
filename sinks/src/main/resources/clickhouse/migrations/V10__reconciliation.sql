-- Issue 17, reconciliation: the same tables as PostgreSQL's V12 (read-model), for analysts.
-- Written by the reconciliation commands (io.ledgerflow.sinks.reconcile), never by the sinks job.
-- Every change of a row is a new row with a higher version (milliseconds of the change), so
-- queries read FINAL (or argMax by version) to see each row's latest state.

CREATE TABLE IF NOT EXISTS reconciliation
(
    kind         LowCardinality(String),
    partner_id   String,
    currency     LowCardinality(String),
    window_start DateTime64(3, 'UTC'),
    subject      String,
    window_end   DateTime64(3, 'UTC'),
    expected     String,
    found        String,
    detail       String,
    status       LowCardinality(String),
    first_seen   DateTime64(3, 'UTC'),
    last_seen    DateTime64(3, 'UTC'),
    cleared_time Nullable(DateTime64(3, 'UTC')),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (kind, partner_id, currency, window_start, subject);

CREATE TABLE IF NOT EXISTS statement_matches
(
    statement_id   String,
    item           String,
    result         LowCardinality(String),
    matched_by     LowCardinality(String) COMMENT 'empty unless MATCHED',
    line_number    Nullable(Int32),
    partner_id     String,
    transaction_id String,
    movement_type  LowCardinality(String),
    amount_minor   Int64,
    currency       LowCardinality(String),
    item_date      Date,
    reference      String,
    matched_time   DateTime64(3, 'UTC'),
    version        UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (statement_id, item);
