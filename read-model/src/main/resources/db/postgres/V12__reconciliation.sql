-- Issue 17, reconciliation. Written by the reconciliation commands in the sinks module
-- (io.ledgerflow.sinks.reconcile); ClickHouse holds the same tables (its migration V10).

-- Internal, continuous: one row per mismatch between the ledger's committed entries
-- (ledger.entries) and a store, identified by what is wrong and where. A row stays while the
-- mismatch is seen (status OPEN, last_seen moves on) and is CLEARED by the first later check that
-- no longer sees it (the store caught up, or was repaired). The same mismatch seen again after
-- that opens the row again with a new first_seen.
CREATE TABLE reconciliation (
    kind         TEXT        NOT NULL,  -- MISSING_IN_POSTGRES, AMOUNT_MISMATCH_CLICKHOUSE, ...
    partner_id   TEXT        NOT NULL,  -- '' for the platform as a whole
    currency     TEXT        NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    subject      TEXT        NOT NULL,  -- the account of a chain break, '' otherwise
    window_end   TIMESTAMPTZ NOT NULL,
    expected     TEXT        NOT NULL,  -- what the ledger's committed entries say
    found        TEXT        NOT NULL,  -- what the store has
    detail       TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('OPEN', 'CLEARED')),
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    cleared_time TIMESTAMPTZ,
    PRIMARY KEY (kind, partner_id, currency, window_start, subject)
);

CREATE INDEX reconciliation_open ON reconciliation (first_seen) WHERE status = 'OPEN';

-- External: the lines of imported bank or payment-service statements, and what each matched.
-- A statement is identified by the id given at import; importing it again replaces its results.
CREATE TABLE statement_lines (
    statement_id   TEXT        NOT NULL,
    line_number    INT         NOT NULL,
    value_date     DATE        NOT NULL,
    direction      TEXT        NOT NULL CHECK (direction IN ('CREDIT', 'DEBIT')),
    amount_minor   BIGINT      NOT NULL CHECK (amount_minor > 0),
    currency       CHAR(3)     NOT NULL,
    reference      TEXT        NOT NULL,
    description    TEXT        NOT NULL,
    imported_time  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (statement_id, line_number)
);

-- One row per statement line and per ledger movement (DEPOSIT or WITHDRAWAL) of the statement's
-- period: MATCHED (line and movement together, matched_by REFERENCE or AMOUNT_DATE),
-- UNMATCHED_STATEMENT_LINE (the bank has it, the ledger does not) or UNMATCHED_LEDGER_MOVEMENT
-- (the ledger has it, the bank does not). The unmatched ones are the exceptions; their age runs
-- from item_date.
CREATE TABLE statement_matches (
    statement_id   TEXT        NOT NULL,
    item           TEXT        NOT NULL,  -- 'line:<n>' or 'tx:<partner>/<transaction id>'
    result         TEXT        NOT NULL CHECK (result IN ('MATCHED', 'UNMATCHED_STATEMENT_LINE',
                                                          'UNMATCHED_LEDGER_MOVEMENT')),
    matched_by     TEXT,                  -- REFERENCE or AMOUNT_DATE when MATCHED
    line_number    INT,
    partner_id     TEXT,
    transaction_id TEXT,
    movement_type  TEXT,
    amount_minor   BIGINT      NOT NULL,
    currency       CHAR(3)     NOT NULL,
    item_date      DATE        NOT NULL,  -- the line's value date, else the movement's event date
    reference      TEXT,
    matched_time   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (statement_id, item)
);

CREATE INDEX statement_matches_exceptions ON statement_matches (item_date)
    WHERE result <> 'MATCHED';
