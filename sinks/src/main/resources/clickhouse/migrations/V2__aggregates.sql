-- Windowed aggregates (issue 6). One row per (scope, level, key, window start). A window's row is
-- written again whenever a late decision updates it, with a higher version (its number of
-- decisions), so ReplacingMergeTree(version) keeps the newest row; queries read FINAL or argMax.

CREATE TABLE IF NOT EXISTS window_aggregates
(
    scope                   LowCardinality(String) COMMENT 'partner (key partner, currency) or account',
    level                   LowCardinality(String) COMMENT '1m, 5m, 15m, 1h, 1d',
    window_start            DateTime64(3, 'UTC'),
    window_end              DateTime64(3, 'UTC'),
    partner_id              LowCardinality(String),
    currency                LowCardinality(String),
    account_id              String COMMENT 'empty for scope partner',
    movements               UInt64 COMMENT 'terminal decisions',
    total_minor             Int64,
    min_minor               Int64,
    max_minor               Int64,
    approved                UInt64 COMMENT 'COMPLETED',
    approved_minor          Int64,
    rejected                UInt64 COMMENT 'REJECTED',
    rejections_by_reason    Map(LowCardinality(String), UInt64),
    distinct_counterparties UInt64 COMMENT 'HyperLogLog estimate, exact up to 128',
    version                 UInt64 COMMENT 'grows with every revision of the window',
    inserted_time           DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (scope, level, partner_id, currency, account_id, window_start);

-- Decisions that came after their window's allowed lateness: not in the aggregates of that scope,
-- kept here instead (scope partner: missed the partner 1m level and so every partner level;
-- scope account: missed that account's 1h level and so its 1d). A replay writes the same row.
CREATE TABLE IF NOT EXISTS late_transactions
(
    scope          LowCardinality(String),
    partner_id     LowCardinality(String),
    account_id     String COMMENT 'empty for scope partner',
    transaction_id String,
    type           LowCardinality(String),
    status         LowCardinality(String),
    reason         LowCardinality(String) COMMENT 'empty when none',
    amount_minor   Int64,
    currency       LowCardinality(String),
    event_time     DateTime64(3, 'UTC'),
    detected_time  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (scope, partner_id, transaction_id, account_id);
