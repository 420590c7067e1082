-- Issue 14: partners as data. The ingest API authenticates from these tables (held in memory,
-- keyed by the SHA-256 of the key) and manages them through its admin routes.
--
-- Propagation: every admin transaction first bumps partner_directory_version (one row, so admin
-- writes are serialised by its row lock) and stamps the rows it writes with the new value as
-- change_seq. Because the lock is held until commit, change_seq values become visible in order,
-- and an API instance that has seen version V reloads exactly the rows with change_seq > V
-- (PostgresPartnerDirectory polls the version every second).

CREATE TABLE partner_directory_version (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    version   BIGINT  NOT NULL CHECK (version >= 0)
);
INSERT INTO partner_directory_version (singleton, version) VALUES (TRUE, 0);

CREATE TABLE partners (
    partner_id           TEXT        PRIMARY KEY CHECK (partner_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    display_name         TEXT        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    status               TEXT        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    -- Per-partner rate limit overrides; NULL: the configured default applies.
    requests_per_second  INTEGER     CHECK (requests_per_second BETWEEN 1 AND 100000),
    request_burst        INTEGER     CHECK (request_burst BETWEEN 1 AND 1000000),
    movements_per_second INTEGER     CHECK (movements_per_second BETWEEN 1 AND 100000),
    movement_burst       INTEGER     CHECK (movement_burst BETWEEN 1 AND 1000000),
    contact_name         TEXT        CHECK (length(contact_name) <= 200),
    contact_email        TEXT        CHECK (length(contact_email) <= 254),
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    -- Optimistic concurrency: an update names the version it read.
    version              BIGINT      NOT NULL CHECK (version >= 1),
    change_seq           BIGINT      NOT NULL
);
CREATE INDEX partners_change_seq ON partners (change_seq);

CREATE TABLE api_keys (
    key_id          TEXT        PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    partner_id      TEXT        NOT NULL REFERENCES partners (partner_id),
    scope           TEXT        NOT NULL CHECK (scope IN ('READ', 'WRITE', 'ADMIN')),
    -- SHA-256 of the whole key; the key itself is never stored.
    key_hash        BYTEA       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    -- Non-secret start of the key, to recognise it in lists and logs.
    prefix          TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    -- On a rotation's new key: the key it replaces.
    rotated_from    TEXT        REFERENCES api_keys (key_id),
    -- On a rotated (old) key: until when it still works beside its successor.
    overlap_ends_at TIMESTAMPTZ,
    change_seq      BIGINT      NOT NULL
);
CREATE INDEX api_keys_partner ON api_keys (partner_id, key_id);
CREATE INDEX api_keys_change_seq ON api_keys (change_seq);

-- Who did what to which partner or key, and the resource before and after. Append-only.
CREATE TABLE admin_audit (
    audit_id          BIGSERIAL   PRIMARY KEY,
    at                TIMESTAMPTZ NOT NULL,
    actor_key_id      TEXT        NOT NULL,
    actor_partner_id  TEXT        NOT NULL,
    action            TEXT        NOT NULL,
    target_partner_id TEXT,
    target_key_id     TEXT,
    before            JSONB,
    after             JSONB,
    request_id        TEXT
);
CREATE INDEX admin_audit_partner ON admin_audit (target_partner_id, audit_id);

CREATE FUNCTION admin_audit_is_append_only() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_audit is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER admin_audit_no_update_or_delete
    BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION admin_audit_is_append_only();
CREATE TRIGGER admin_audit_no_truncate
    BEFORE TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_is_append_only();
