-- Issue 16: the partner's annotations of a movement reach the analytics tables. metadata is the
-- movement's free-form map (empty when none, also for rows written before this migration);
-- external_reference the partner's own reference, NULL when none or not known (rows written before).
-- In transactions, each status row carries the annotations of the movement that produced it: a
-- hold's CAPTURED or VOIDED row (which replaces its HELD row on merge) those of the CAPTURE or
-- VOID, an EXPIRED row none. The read model in PostgreSQL keeps the HOLD's own.
-- ADD COLUMN IF NOT EXISTS makes an interrupted migration safe to run again.

ALTER TABLE transactions ADD COLUMN IF NOT EXISTS metadata Map(String, String);
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS external_reference Nullable(String);

ALTER TABLE ledger_entries ADD COLUMN IF NOT EXISTS metadata Map(String, String);
ALTER TABLE ledger_entries ADD COLUMN IF NOT EXISTS external_reference Nullable(String);
