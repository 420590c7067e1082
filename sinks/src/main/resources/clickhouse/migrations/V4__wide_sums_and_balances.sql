-- Issue 12: no sum or balance may overflow. Aggregate money sums are exact 128-bit values in the
-- sinks job, and a system account's balance (the outside world, unbounded) can leave the 64-bit
-- range, when the ledger sends its exact value as an Avro decimal(38,0). These columns become
-- Decimal(38, 0): the same domain as that Avro type and as PostgreSQL's numeric(38,0), so a value
-- one store holds fits every store, and ClickHouse checks Decimal arithmetic for overflow where
-- Int64 and Int128 wrap silently. Counts, minima, maxima, held amounts and single amounts stay
-- Int64/UInt64 (see sinks/.../aggregates/DISCUSSION.md, "Arithmetic").
--
-- MODIFY COLUMN converts existing Int64 values exactly and is a no-op when the type is already
-- Decimal(38, 0), so a migration interrupted between its statements can run again. None of these
-- columns is part of a sorting key or a ReplacingMergeTree version.

ALTER TABLE window_aggregates MODIFY COLUMN total_minor Decimal(38, 0);
ALTER TABLE window_aggregates MODIFY COLUMN approved_minor Decimal(38, 0);

ALTER TABLE ledger_entries MODIFY COLUMN balance_after_minor Decimal(38, 0);

ALTER TABLE account_balances MODIFY COLUMN balance_minor Decimal(38, 0);
ALTER TABLE account_balances MODIFY COLUMN available_minor Decimal(38, 0);
