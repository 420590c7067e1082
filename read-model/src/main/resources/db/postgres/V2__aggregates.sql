-- Windowed aggregates (issue 6): the hourly and daily views. A window's row is upserted again
-- whenever a late decision updates it; the version (its number of decisions) only grows, and the
-- upsert only replaces a row with a higher one, so replays and racing batches never move a row
-- backwards.
CREATE TABLE window_aggregates (
    scope                   TEXT        NOT NULL CHECK (scope IN ('partner', 'account')),
    level                   TEXT        NOT NULL CHECK (level IN ('1h', '1d')),
    window_start            TIMESTAMPTZ NOT NULL,
    window_end              TIMESTAMPTZ NOT NULL,
    partner_id              TEXT        NOT NULL,
    currency                CHAR(3)     NOT NULL,
    -- Empty for scope partner (part of the key, so not NULL).
    account_id              TEXT        NOT NULL,
    movements               BIGINT      NOT NULL,
    total_minor             BIGINT      NOT NULL,
    min_minor               BIGINT      NOT NULL,
    max_minor               BIGINT      NOT NULL,
    approved                BIGINT      NOT NULL,
    approved_minor          BIGINT      NOT NULL,
    rejected                BIGINT      NOT NULL,
    rejections_by_reason    JSONB       NOT NULL,
    distinct_counterparties BIGINT      NOT NULL,
    version                 BIGINT      NOT NULL,
    durable_time            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, level, partner_id, currency, account_id, window_start)
);

-- Decisions that came after their window's allowed lateness (see the ClickHouse table).
CREATE TABLE late_transactions (
    scope          TEXT        NOT NULL,
    partner_id     TEXT        NOT NULL,
    account_id     TEXT        NOT NULL,
    transaction_id TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    reason         TEXT,
    amount_minor   BIGINT      NOT NULL,
    currency       CHAR(3)     NOT NULL,
    event_time     TIMESTAMPTZ NOT NULL,
    durable_time   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, partner_id, transaction_id, account_id)
);
