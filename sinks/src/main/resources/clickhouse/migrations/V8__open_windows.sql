-- Issue 18: early figures of open windows (see the read model's V10). window_aggregates is a
-- ReplacingMergeTree(version): of rows with an equal version the last inserted stays, and a
-- window's closed row is always written after its open ones (one key, one writer, in order), so
-- the closed row is what FINAL reads. Rows written before are closed rows.
-- ADD COLUMN IF NOT EXISTS makes an interrupted migration safe to run again.

ALTER TABLE window_aggregates ADD COLUMN IF NOT EXISTS open Bool DEFAULT false;
