-- Issue 12: no sum or balance may overflow. A system account's balance (the outside world,
-- unbounded) can leave the 64-bit range, when the ledger sends its exact value as an Avro
-- decimal(38,0); the aggregates' money sums are exact 128-bit values. These columns become
-- numeric(38,0): the same domain as that Avro type and as ClickHouse's Decimal(38, 0), so a value
-- one store holds fits every store. A customer account's balance always fits 64 bits (the ledger
-- refuses what would not, BALANCE_LIMIT_EXCEEDED), so the API's lookups read it as a long still.
-- Held amounts, overdraft limits, single amounts, minima, maxima and counts stay BIGINT.
--
-- Each ALTER rewrites its table once (bigint -> numeric converts exactly); Flyway runs the file in
-- one transaction, so an interrupted migration leaves nothing half done.

ALTER TABLE accounts
    ALTER COLUMN balance_minor TYPE NUMERIC(38, 0),
    ALTER COLUMN available_minor TYPE NUMERIC(38, 0);

ALTER TABLE ledger_entries
    ALTER COLUMN balance_after_minor TYPE NUMERIC(38, 0);

ALTER TABLE window_aggregates
    ALTER COLUMN total_minor TYPE NUMERIC(38, 0),
    ALTER COLUMN approved_minor TYPE NUMERIC(38, 0);
