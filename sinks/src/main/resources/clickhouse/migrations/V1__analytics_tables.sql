-- The analytics store. Every table is a ReplacingMergeTree keyed by the record's identity in the
-- ledger, so a row the at-least-once sink writes twice (a replay after a restart, a retried
-- insert) collapses to one on merge; queries read them with FINAL (or argMax) so that a row is
-- never counted twice even before the merge. IF NOT EXISTS lets a migration that was interrupted
-- between its statements run again.

-- Fact table: one row per transaction and status. The version column is status_rank (0 HELD,
-- 1 terminal), so a hold's terminal status replaces its HELD row and never the other way round.
CREATE TABLE IF NOT EXISTS transactions
(
    transaction_id         String,
    partner_id             LowCardinality(String),
    type                   LowCardinality(String),
    status                 LowCardinality(String),
    status_rank            UInt8,
    reason                 LowCardinality(String) COMMENT 'empty when none',
    source_account_id      String,
    destination_account_id String,
    related_transaction_id String,
    amount_minor           Int64,
    currency               LowCardinality(String),
    event_time             DateTime64(3, 'UTC'),
    received_time          DateTime64(3, 'UTC'),
    decision_time          DateTime64(3, 'UTC'),
    inserted_time          DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(status_rank)
PARTITION BY toYYYYMM(event_time)
ORDER BY (partner_id, transaction_id);

-- Postings, identified by (account_id, sequence); a posting never changes, so no version column.
CREATE TABLE IF NOT EXISTS ledger_entries
(
    account_id              String,
    sequence                UInt64,
    transaction_id          String,
    partner_id              LowCardinality(String),
    movement_type           LowCardinality(String),
    direction               LowCardinality(String),
    amount_minor            Int64,
    currency                LowCardinality(String),
    balance_after_minor     Int64,
    counterparty_account_id String,
    reversal                Bool,
    event_time              DateTime64(3, 'UTC'),
    posted_time             DateTime64(3, 'UTC'),
    hash                    FixedString(64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(posted_time)
ORDER BY (account_id, sequence);

-- Balance history: every version of every account, for balances over time.
CREATE TABLE IF NOT EXISTS account_balances
(
    account_id      String,
    version         UInt64,
    partner_id      LowCardinality(String),
    currency        LowCardinality(String),
    account_type    LowCardinality(String),
    status          LowCardinality(String),
    balance_minor   Int64,
    held_minor      Int64,
    available_minor Int64,
    cause_id        String,
    updated_time    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(updated_time)
ORDER BY (account_id, version);
