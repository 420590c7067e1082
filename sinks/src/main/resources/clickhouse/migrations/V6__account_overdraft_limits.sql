-- Issue 14: an account's overdraft limit can change (the ledger's SET_OVERDRAFT_LIMIT command), so
-- the balance history keeps the limit of every version beside the balance it bounds. Rows written
-- before this migration have NULL (not known), not 0, which would claim "no overdraft".
-- ADD COLUMN IF NOT EXISTS makes an interrupted migration safe to run again.

ALTER TABLE account_balances ADD COLUMN IF NOT EXISTS overdraft_limit_minor Nullable(Int64);
