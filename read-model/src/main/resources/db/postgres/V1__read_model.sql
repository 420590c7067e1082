-- The operational read model: what the ingest API answers from. Every table is written by the
-- sinks job with idempotent statements (see ReadModelStatements), so a replay after a restart
-- writes the same rows again and never moves a row backwards.

-- One row per account: its latest state. "version" grows by one with every change in the ledger;
-- the upsert only ever replaces a row with a higher version. Lookups filter on (account_id,
-- partner_id), so a partner never sees another partner's account; the primary key serves them.
CREATE TABLE accounts (
    account_id            TEXT        NOT NULL PRIMARY KEY,
    partner_id            TEXT        NOT NULL,
    currency              CHAR(3)     NOT NULL,
    account_type          TEXT        NOT NULL,
    status                TEXT        NOT NULL,
    balance_minor         BIGINT      NOT NULL,
    held_minor            BIGINT      NOT NULL,
    available_minor       BIGINT      NOT NULL,
    overdraft_limit_minor BIGINT      NOT NULL,
    last_sequence         BIGINT      NOT NULL,
    version               BIGINT      NOT NULL,
    cause_id              TEXT        NOT NULL,
    updated_time          TIMESTAMPTZ NOT NULL,
    durable_time          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per transaction: its latest status. status_rank is 0 for HELD (the only non-terminal
-- status) and 1 for every terminal one, so a replayed HELD never overwrites CAPTURED/VOIDED/EXPIRED.
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
    -- When this status became durable in the read model (the sink's write), not the ledger's clock.
    durable_time           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, transaction_id)
);

-- Append-only postings. (account_id, sequence) is the ledger's own identity of an entry.
CREATE TABLE ledger_entries (
    account_id              TEXT        NOT NULL,
    sequence                BIGINT      NOT NULL,
    transaction_id          TEXT        NOT NULL,
    partner_id              TEXT        NOT NULL,
    movement_type           TEXT        NOT NULL,
    direction               TEXT        NOT NULL,
    amount_minor            BIGINT      NOT NULL CHECK (amount_minor > 0),
    currency                CHAR(3)     NOT NULL,
    balance_after_minor     BIGINT      NOT NULL,
    counterparty_account_id TEXT        NOT NULL,
    reversal                BOOLEAN     NOT NULL,
    event_time              TIMESTAMPTZ NOT NULL,
    posted_time             TIMESTAMPTZ NOT NULL,
    previous_hash           CHAR(64)    NOT NULL,
    hash                    CHAR(64)    NOT NULL,
    durable_time            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT ledger_entries_account_sequence UNIQUE (account_id, sequence)
);

CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

-- Decisions on account commands (open, close, freeze, unfreeze).
CREATE TABLE account_command_results (
    partner_id    TEXT        NOT NULL,
    command_id    TEXT        NOT NULL,
    account_id    TEXT        NOT NULL,
    type          TEXT        NOT NULL,
    accepted      BOOLEAN     NOT NULL,
    reason        TEXT,
    reason_detail TEXT,
    decided_time  TIMESTAMPTZ NOT NULL,
    durable_time  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, command_id)
);

-- Records nobody could use, with why. origin_* is where the sinks job read the dead letter, which
-- is unique per dead letter (source_* may repeat, e.g. -1 for the ledger's id conflicts).
CREATE TABLE dead_letters (
    id               BIGSERIAL   PRIMARY KEY,
    origin_topic     TEXT        NOT NULL,
    origin_partition INT         NOT NULL,
    origin_offset    BIGINT      NOT NULL,
    source_topic     TEXT        NOT NULL,
    source_partition INT         NOT NULL,
    source_offset    BIGINT      NOT NULL,
    reason           TEXT        NOT NULL,
    detail           TEXT        NOT NULL,
    job              TEXT        NOT NULL,
    failed_time      TIMESTAMPTZ NOT NULL,
    record_key       BYTEA,
    record_value     BYTEA,
    durable_time     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dead_letters_origin UNIQUE (origin_topic, origin_partition, origin_offset)
);
