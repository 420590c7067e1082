-- Issue 17: settlement batches for analysts, a copy of the read model's immutable batches (written
-- by the settlement command, io.ledgerflow.settlement). One row per batch and one per batch line;
-- a batch written again (a re-run, a retried copy) is the same row, so ReplacingMergeTree keeps
-- one and queries read FINAL. Money in Int64 minor units like the other tables; sums in queries
-- are Decimal(38,0).

CREATE TABLE IF NOT EXISTS settlement_batches
(
    batch_id              String,
    partner_id            LowCardinality(String),
    currency              LowCardinality(String),
    settlement_account_id String,
    period_start          DateTime64(3, 'UTC'),
    period_end            DateTime64(3, 'UTC'),
    closed_at             DateTime64(3, 'UTC'),
    entry_count           UInt32,
    adjustment_count      UInt32,
    credits_minor         Int64,
    debits_minor          Int64,
    refund_count          UInt32,
    refunds_minor         Int64,
    fees_minor            Int64,
    carried_in_minor      Int64,
    net_payable_minor     Int64,
    payout_minor          Int64,
    carried_out_minor     Int64,
    content_hash          String,
    inserted_time         DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(period_start)
ORDER BY (partner_id, currency, period_start, batch_id);

CREATE TABLE IF NOT EXISTS settlement_batch_lines
(
    batch_id      String,
    partner_id    LowCardinality(String),
    currency      LowCardinality(String),
    period_start  DateTime64(3, 'UTC'),
    direction     LowCardinality(String),
    movement_type LowCardinality(String),
    adjustment    Bool,
    entry_count   UInt32,
    gross_minor   Int64,
    fees_minor    Int64,
    inserted_time DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(period_start)
ORDER BY (partner_id, currency, period_start, batch_id, direction, movement_type, adjustment);
