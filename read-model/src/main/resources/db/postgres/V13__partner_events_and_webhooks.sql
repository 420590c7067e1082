-- Issue 15: outcomes to partners. The notifier (ingest-api's NotifierMain) reads the ledger's
-- committed results (read_committed) and records one row per partner event here, idempotently by
-- its id (derived from the committed result, so a re-read records nothing new); it commits its
-- Kafka offsets only after these rows are committed. Webhook deliveries are fanned out in the
-- same transaction; the event stream (GET /api/v1/events) reads partner_events by seq.

CREATE TABLE partner_events (
    -- Order of recording; the event stream's position. Never reused.
    seq         BIGSERIAL   PRIMARY KEY,
    event_id    TEXT        NOT NULL UNIQUE,
    partner_id  TEXT        NOT NULL,
    -- Deliveries of one endpoint with the same order key go one at a time, in seq order.
    order_key   TEXT,
    event_type  TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    -- The exact body sent and signed (JSON text, kept byte for byte).
    body        TEXT        NOT NULL
);
CREATE INDEX partner_events_partner ON partner_events (partner_id, seq);
CREATE INDEX partner_events_recorded ON partner_events (recorded_at);

CREATE TABLE webhook_endpoints (
    endpoint_id       TEXT        PRIMARY KEY,
    partner_id        TEXT        NOT NULL,
    url               TEXT        NOT NULL CHECK (length(url) <= 2048),
    -- Empty: every event type.
    event_types       TEXT[]      NOT NULL,
    description       TEXT        CHECK (length(description) <= 500),
    -- AES-256-GCM: version byte, 12-byte nonce, ciphertext and tag; the endpoint id is the AAD.
    secret_ciphertext BYTEA       NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('ENABLED', 'DISABLED')),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id, endpoint_id);

CREATE TABLE webhook_deliveries (
    delivery_id      BIGSERIAL   PRIMARY KEY,
    endpoint_id      TEXT        NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    event_seq        BIGINT      NOT NULL REFERENCES partner_events (seq) ON DELETE CASCADE,
    partner_id       TEXT        NOT NULL,
    order_key        TEXT,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    -- When the next attempt is due; while an attempt runs, the end of its lease.
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    give_up_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ,
    last_status_code INTEGER,
    last_error       TEXT,
    -- Why the delivery exists: the event itself, a replay, or a test event.
    cause            TEXT        NOT NULL CHECK (cause IN ('EVENT', 'REPLAY', 'TEST'))
);
CREATE INDEX webhook_deliveries_due
    ON webhook_deliveries (next_attempt_at, endpoint_id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_ordered
    ON webhook_deliveries (endpoint_id, order_key, delivery_id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, delivery_id);

-- Every attempt, for the delivery log.
CREATE TABLE webhook_attempts (
    attempt_id   BIGSERIAL   PRIMARY KEY,
    delivery_id  BIGINT      NOT NULL REFERENCES webhook_deliveries (delivery_id) ON DELETE CASCADE,
    attempted_at TIMESTAMPTZ NOT NULL,
    status_code  INTEGER,
    latency_ms   INTEGER     NOT NULL,
    error        TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt_id);
