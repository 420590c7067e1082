-- Issue 19: the ledger entry hash has a versioned input layout (LedgerEntry.hashFormat;
-- io.ledgerflow.schemas.LedgerEntryHash). Format 1 (fields joined with '|') is what every entry
-- written before this column existed used, hence the default; the ledger now writes format 2
-- (length-prefixed fields). With the format beside previous_hash and hash, a chain can be
-- re-verified from this table alone. Adding a column with a constant default does not rewrite the
-- table.

ALTER TABLE ledger_entries
    ADD COLUMN hash_format SMALLINT NOT NULL DEFAULT 1;
