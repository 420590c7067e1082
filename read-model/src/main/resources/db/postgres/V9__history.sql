-- Issue 16: the read side partners need (history, entries, balance at a time, statements), and a
-- layout that holds years of it.
--
-- 1. transactions and ledger_entries become partitioned by month: transactions on received_time
--    (when Ledgerflow accepted the movement; every result of one transaction carries the same
--    one, so a row never changes partition), ledger_entries on posted_time (the ledger's clock,
--    non-decreasing per account). A month is the unit of retention: dropping a month is a metadata
--    operation, where deleting seven-year-old rows from one table would rewrite it. Each table has a
--    DEFAULT partition for rows outside the months that exist (an upstream producer's odd
--    received_time); ledgerflow_ensure_month_partitions moves such rows into their month when the
--    month is created, so nothing is stranded there.
-- 2. Both tables get the partner's metadata (JSONB) and external reference.
-- 3. transactions keeps what a hold reserved and when (held_amount_minor, held_time), set by the
--    HELD result and kept when the hold is released, so that the amount held on an account can be
--    computed as of any time: holds reserve funds without posting entries.
--
-- A unique constraint on a partitioned table must contain its partition key, hence
-- (partner_id, transaction_id, received_time) and (account_id, sequence, posted_time). Both keep the
-- sinks' upserts exact: the partition key is part of the record, so a replayed record conflicts
-- with the row it wrote before.
--
-- Existing rows are copied into the new layout in this migration's one transaction (Flyway runs the
-- file in one transaction): a one-off rewrite of both tables, before the sinks job writes again.

-- Month partitions: <parent>_yYYYYmMM, bounds [first of month, first of next month) in UTC.
CREATE FUNCTION ledgerflow_ensure_month_partitions(parent TEXT, first_month DATE, months INT)
    RETURNS INT
    LANGUAGE plpgsql
AS
$$
DECLARE
    key_column TEXT;
    month_start DATE;
    month_end DATE;
    part TEXT;
    lower_bound TEXT;
    upper_bound TEXT;
    created INT := 0;
BEGIN
    SELECT a.attname
    INTO key_column
    FROM pg_partitioned_table pt
             JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
    WHERE pt.partrelid = parent::regclass;
    IF key_column IS NULL THEN
        RAISE EXCEPTION '% is not a partitioned table', parent;
    END IF;
    FOR i IN 0 .. months - 1
        LOOP
            month_start := (date_trunc('month', first_month::TIMESTAMP) + make_interval(months => i))::DATE;
            month_end := (month_start + INTERVAL '1 month')::DATE;
            part := format('%s_y%sm%s', parent, to_char(month_start, 'YYYY'),
                           to_char(month_start, 'MM'));
            CONTINUE WHEN to_regclass(part) IS NOT NULL;
            lower_bound := month_start::TEXT || ' 00:00:00+00';
            upper_bound := month_end::TEXT || ' 00:00:00+00';
            -- Created detached, filled with the month's rows from the default partition, then
            -- attached: creating it attached would fail while the default still holds such rows.
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           part, parent);
            EXECUTE format(
                    'WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) '
                        || 'INSERT INTO %I SELECT * FROM moved',
                    parent || '_default', key_column, lower_bound, key_column, upper_bound, part);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           parent, part, lower_bound, upper_bound);
            created := created + 1;
        END LOOP;
    RETURN created;
END;
$$;

COMMENT ON FUNCTION ledgerflow_ensure_month_partitions(TEXT, DATE, INT) IS
    'Creates the month partitions of a partitioned table from first_month for months months, '
        'moving rows of those months out of its default partition. Idempotent.';

-- What the sinks job calls when it starts and once a day: the current month, the one before
-- (a late write near a month's turn) and months_ahead months after, for both tables.
CREATE FUNCTION ledgerflow_maintain_partitions(months_ahead INT)
    RETURNS INT
    LANGUAGE plpgsql
AS
$$
DECLARE
    first_month DATE := (date_trunc('month', now() AT TIME ZONE 'UTC') - INTERVAL '1 month')::DATE;
BEGIN
    -- Two writers starting at once would both try to create the same month.
    PERFORM pg_advisory_xact_lock(hashtext('ledgerflow_maintain_partitions'));
    RETURN ledgerflow_ensure_month_partitions('transactions', first_month, months_ahead + 2)
        + ledgerflow_ensure_month_partitions('ledger_entries', first_month, months_ahead + 2);
END;
$$;

-- Retention (see docs/runbook.md): never automatic. An operator drops the months older than the
-- retention period (seven years for transaction records) once they are archived; the function
-- detaches and drops whole months and returns their names.
CREATE FUNCTION ledgerflow_drop_months_before(parent TEXT, before_month DATE)
    RETURNS SETOF TEXT
    LANGUAGE plpgsql
AS
$$
DECLARE
    part RECORD;
BEGIN
    FOR part IN
        SELECT c.relname AS name
        FROM pg_inherits i
                 JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent::regclass
          AND c.relname ~ ('^' || parent || '_y[0-9]{4}m[0-9]{2}$')
          AND to_date(substring(c.relname FROM '_y([0-9]{4})m') || substring(c.relname FROM 'm([0-9]{2})$'),
                      'YYYYMM') < date_trunc('month', before_month)
        ORDER BY c.relname
        LOOP
            EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, part.name);
            EXECUTE format('DROP TABLE %I', part.name);
            RETURN NEXT part.name;
        END LOOP;
END;
$$;

-- transactions -------------------------------------------------------------------------------------

ALTER TABLE transactions RENAME TO transactions_v8;
ALTER TABLE transactions_v8 RENAME CONSTRAINT transactions_pkey TO transactions_v8_pkey;

CREATE TABLE transactions (
    partner_id             TEXT        NOT NULL,
    transaction_id         TEXT        NOT NULL,
    type                   TEXT        NOT NULL,
    status                 TEXT        NOT NULL,
    status_rank            SMALLINT    NOT NULL,
    reason                 TEXT,
    reason_detail          TEXT,
    source_account_id      TEXT,
    destination_account_id TEXT,
    related_transaction_id TEXT,
    amount_minor           BIGINT      NOT NULL,
    currency               CHAR(3)     NOT NULL,
    event_time             TIMESTAMPTZ NOT NULL,
    received_time          TIMESTAMPTZ NOT NULL,
    decided_time           TIMESTAMPTZ NOT NULL,
    durable_time           TIMESTAMPTZ NOT NULL DEFAULT now(),
    metadata               JSONB       NOT NULL DEFAULT '{}'::JSONB,
    external_reference     TEXT,
    -- A HOLD's reservation: set by its HELD result, kept when it is released (then decided_time is
    -- when it was released). Null for every other transaction.
    held_amount_minor      BIGINT,
    held_time              TIMESTAMPTZ,
    PRIMARY KEY (partner_id, transaction_id, received_time)
) PARTITION BY RANGE (received_time);

CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;

-- History, newest first, per partner and per account (source and destination separately: the
-- API queries them as two ordered index scans).
CREATE INDEX transactions_partner_received ON transactions (partner_id, received_time, transaction_id);
CREATE INDEX transactions_source_received
    ON transactions (source_account_id, received_time, transaction_id);
CREATE INDEX transactions_destination_received
    ON transactions (destination_account_id, received_time, transaction_id);
CREATE INDEX transactions_metadata ON transactions USING GIN (metadata jsonb_path_ops);
-- The amount held on an account at a time.
CREATE INDEX transactions_holds ON transactions (source_account_id, held_time)
    WHERE held_time IS NOT NULL;

INSERT INTO transactions (partner_id, transaction_id, type, status, status_rank, reason,
                          reason_detail, source_account_id, destination_account_id,
                          related_transaction_id, amount_minor, currency, event_time,
                          received_time, decided_time, durable_time)
SELECT partner_id, transaction_id, type, status, status_rank, reason, reason_detail,
       source_account_id, destination_account_id, related_transaction_id, amount_minor, currency,
       event_time, received_time, decided_time, durable_time
FROM transactions_v8;

DROP TABLE transactions_v8;

-- ledger_entries ----------------------------------------------------------------------------------

ALTER TABLE ledger_entries RENAME TO ledger_entries_v8;
ALTER TABLE ledger_entries_v8 RENAME CONSTRAINT ledger_entries_account_sequence
    TO ledger_entries_v8_account_sequence;
ALTER INDEX ledger_entries_transaction RENAME TO ledger_entries_v8_transaction;

CREATE TABLE ledger_entries (
    account_id              TEXT           NOT NULL,
    sequence                BIGINT         NOT NULL,
    transaction_id          TEXT           NOT NULL,
    partner_id              TEXT           NOT NULL,
    movement_type           TEXT           NOT NULL,
    direction               TEXT           NOT NULL,
    amount_minor            BIGINT         NOT NULL CHECK (amount_minor > 0),
    currency                CHAR(3)        NOT NULL,
    balance_after_minor     NUMERIC(38, 0) NOT NULL,
    counterparty_account_id TEXT           NOT NULL,
    reversal                BOOLEAN        NOT NULL,
    event_time              TIMESTAMPTZ    NOT NULL,
    posted_time             TIMESTAMPTZ    NOT NULL,
    previous_hash           CHAR(64)       NOT NULL,
    hash                    CHAR(64)       NOT NULL,
    durable_time            TIMESTAMPTZ    NOT NULL DEFAULT now(),
    hash_format             SMALLINT       NOT NULL DEFAULT 1,
    metadata                JSONB          NOT NULL DEFAULT '{}'::JSONB,
    external_reference      TEXT,
    CONSTRAINT ledger_entries_account_sequence UNIQUE (account_id, sequence, posted_time)
) PARTITION BY RANGE (posted_time);

CREATE TABLE ledger_entries_default PARTITION OF ledger_entries DEFAULT;

-- An account's entries in a time range, and its balance at a time.
CREATE INDEX ledger_entries_account_posted ON ledger_entries (account_id, posted_time, sequence);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

INSERT INTO ledger_entries (account_id, sequence, transaction_id, partner_id, movement_type,
                            direction, amount_minor, currency, balance_after_minor,
                            counterparty_account_id, reversal, event_time, posted_time,
                            previous_hash, hash, durable_time, hash_format)
SELECT account_id, sequence, transaction_id, partner_id, movement_type, direction, amount_minor,
       currency, balance_after_minor, counterparty_account_id, reversal, event_time, posted_time,
       previous_hash, hash, durable_time, hash_format
FROM ledger_entries_v8;

DROP TABLE ledger_entries_v8;

-- The months around now (a year back for data copied above, three ahead); rows older than that
-- stay in the default partitions until an operator creates their months (runbook).
SELECT ledgerflow_ensure_month_partitions('transactions',
                                          (date_trunc('month', now() AT TIME ZONE 'UTC') - INTERVAL '12 months')::DATE,
                                          16);
SELECT ledgerflow_ensure_month_partitions('ledger_entries',
                                          (date_trunc('month', now() AT TIME ZONE 'UTC') - INTERVAL '12 months')::DATE,
                                          16);
