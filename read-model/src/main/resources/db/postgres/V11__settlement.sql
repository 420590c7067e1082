-- Issue 17: fees and settlement. Fee schedules and settlement settings are data managed through
-- the admin API; settlement batches are written once by the settlement command
-- (io.ledgerflow.settlement) and never changed: the triggers below refuse UPDATE and DELETE.

-- One version of a partner's fee schedule. The version in force for a posting is the one with the
-- latest effective_from at or before the posting's event time.
CREATE TABLE fee_schedules (
    partner_id     TEXT        NOT NULL CHECK (partner_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    version        INTEGER     NOT NULL CHECK (version >= 1),
    effective_from TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT        NOT NULL,
    PRIMARY KEY (partner_id, version),
    CONSTRAINT fee_schedules_effective UNIQUE (partner_id, effective_from)
);

-- A schedule's rule for one movement type in one currency: the percentage in basis points
-- (1/100 of a percent) plus a fixed amount, then clamped to [min, max] (NULL: no bound).
CREATE TABLE fee_rules (
    partner_id    TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    movement_type TEXT    NOT NULL,
    currency      CHAR(3) NOT NULL,
    percent_bp    INTEGER NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
    fixed_minor   BIGINT  NOT NULL CHECK (fixed_minor >= 0),
    min_minor     BIGINT  CHECK (min_minor >= 0),
    max_minor     BIGINT  CHECK (max_minor >= 0),
    PRIMARY KEY (partner_id, version, movement_type, currency),
    FOREIGN KEY (partner_id, version) REFERENCES fee_schedules (partner_id, version),
    CHECK (min_minor IS NULL OR max_minor IS NULL OR min_minor <= max_minor)
);

-- A partner's settlement period: one day (period_hours 24) from cutoff_time in time_zone. No row:
-- daily at 00:00 UTC.
CREATE TABLE settlement_settings (
    partner_id   TEXT        PRIMARY KEY CHECK (partner_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    cutoff_time  TIME        NOT NULL,
    time_zone    TEXT        NOT NULL,
    period_hours INTEGER     NOT NULL CHECK (period_hours IN (1, 2, 3, 4, 6, 8, 12, 24)),
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   TEXT        NOT NULL
);

-- One settlement batch per partner, currency and period (the id is derived from the three, so a
-- re-run finds the batch it already wrote). content_hash: hex SHA-256 of the canonical form
-- (hash_format 1, see SettlementBatch#canonicalForm).
CREATE TABLE settlement_batches (
    batch_id               TEXT        PRIMARY KEY,
    partner_id             TEXT        NOT NULL,
    currency               CHAR(3)     NOT NULL,
    settlement_account_id  TEXT        NOT NULL,
    period_start           TIMESTAMPTZ NOT NULL,
    period_end             TIMESTAMPTZ NOT NULL,
    closed_at              TIMESTAMPTZ NOT NULL,
    entry_count            INTEGER     NOT NULL,
    first_sequence         BIGINT,
    last_sequence          BIGINT,
    adjustment_count       INTEGER     NOT NULL,
    credits_minor          BIGINT      NOT NULL,
    debits_minor           BIGINT      NOT NULL,
    refund_count           INTEGER     NOT NULL,
    refunds_minor          BIGINT      NOT NULL,
    fees_minor             BIGINT      NOT NULL,
    carried_in_minor       BIGINT      NOT NULL,
    net_payable_minor      BIGINT      NOT NULL,
    payout_minor           BIGINT      NOT NULL,
    carried_out_minor      BIGINT      NOT NULL,
    fee_transaction_id     TEXT,
    revenue_transaction_id TEXT,
    payout_transaction_id  TEXT,
    hash_format            SMALLINT    NOT NULL,
    content_hash           CHAR(64)    NOT NULL,
    CONSTRAINT settlement_batches_period UNIQUE (partner_id, currency, period_start)
);
CREATE INDEX settlement_batches_partner ON settlement_batches (partner_id, period_start DESC);

-- The figures: per direction, movement type and whether the postings were late (adjustments).
CREATE TABLE settlement_batch_lines (
    batch_id      TEXT    NOT NULL REFERENCES settlement_batches (batch_id),
    direction     TEXT    NOT NULL,
    movement_type TEXT    NOT NULL,
    adjustment    BOOLEAN NOT NULL,
    entry_count   INTEGER NOT NULL,
    gross_minor   BIGINT  NOT NULL,
    fees_minor    BIGINT  NOT NULL,
    PRIMARY KEY (batch_id, direction, movement_type, adjustment)
);

-- Every ledger entry a batch covers, with its fee. The primary key is the entry's identity in the
-- ledger: an entry is settled at most once, whatever re-runs or concurrent runs do.
CREATE TABLE settlement_batch_entries (
    account_id       TEXT        NOT NULL,
    sequence         BIGINT      NOT NULL,
    batch_id         TEXT        NOT NULL REFERENCES settlement_batches (batch_id),
    transaction_id   TEXT        NOT NULL,
    movement_type    TEXT        NOT NULL,
    direction        TEXT        NOT NULL,
    amount_minor     BIGINT      NOT NULL,
    fee_minor        BIGINT      NOT NULL,
    fee_version      INTEGER,
    event_time       TIMESTAMPTZ NOT NULL,
    posted_time      TIMESTAMPTZ NOT NULL,
    entry_hash       CHAR(64)    NOT NULL,
    adjustment       BOOLEAN     NOT NULL,
    PRIMARY KEY (account_id, sequence)
);
CREATE INDEX settlement_batch_entries_batch ON settlement_batch_entries (batch_id, sequence);

-- The settlement's own movements, written with their batch: FEE (a WITHDRAWAL from the partner's
-- settlement account), REVENUE (a DEPOSIT of the same amount into the platform partner's revenue
-- account), PAYOUT (a WITHDRAWAL of the payout to the outside world). The settlement command
-- submits every one the read model has no decision for yet; their postings are never settled.
CREATE TABLE settlement_movements (
    partner_id     TEXT   NOT NULL,
    transaction_id TEXT   NOT NULL,
    batch_id       TEXT   NOT NULL REFERENCES settlement_batches (batch_id),
    role           TEXT   NOT NULL CHECK (role IN ('FEE', 'REVENUE', 'PAYOUT')),
    movement_type  TEXT   NOT NULL CHECK (movement_type IN ('WITHDRAWAL', 'DEPOSIT')),
    account_id     TEXT   NOT NULL,
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    currency       CHAR(3) NOT NULL,
    PRIMARY KEY (partner_id, transaction_id)
);
CREATE INDEX settlement_movements_batch ON settlement_movements (batch_id);

CREATE FUNCTION settlement_is_immutable() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'settlement batches are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER settlement_batches_immutable BEFORE UPDATE OR DELETE ON settlement_batches
    FOR EACH ROW EXECUTE FUNCTION settlement_is_immutable();
CREATE TRIGGER settlement_batch_lines_immutable BEFORE UPDATE OR DELETE ON settlement_batch_lines
    FOR EACH ROW EXECUTE FUNCTION settlement_is_immutable();
CREATE TRIGGER settlement_batch_entries_immutable BEFORE UPDATE OR DELETE
    ON settlement_batch_entries FOR EACH ROW EXECUTE FUNCTION settlement_is_immutable();
