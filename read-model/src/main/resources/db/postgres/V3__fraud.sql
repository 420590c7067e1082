-- Fraud detection in the read model: the alerts the ledger's fraud screen raised, and every
-- version of every fraud rule (the audit trail of rule changes). Both are written by the sinks job
-- with idempotent inserts (see FraudReadModel): a replay writes the same rows again.

-- One row per alert. alert_id is derived from (rule, partner, transaction) by the ledger job, so a
-- replayed alert has the same id and the insert is a no-op.
CREATE TABLE fraud_alerts (
    alert_id                   TEXT             NOT NULL PRIMARY KEY,
    rule_id                    TEXT             NOT NULL,
    rule_version               BIGINT           NOT NULL,
    rule_type                  TEXT             NOT NULL,
    mode                       TEXT             NOT NULL,
    severity                   TEXT             NOT NULL,
    score                      DOUBLE PRECISION NOT NULL CHECK (score BETWEEN 0 AND 1),
    partner_id                 TEXT             NOT NULL,
    account_id                 TEXT             NOT NULL,
    transaction_id             TEXT             NOT NULL,
    movement_type              TEXT             NOT NULL,
    amount_minor               BIGINT           NOT NULL,
    currency                   CHAR(3)          NOT NULL,
    triggering_transaction_ids TEXT[]           NOT NULL,
    explanation                TEXT             NOT NULL,
    blocked                    BOOLEAN          NOT NULL,
    event_time                 TIMESTAMPTZ      NOT NULL,
    detected_time              TIMESTAMPTZ      NOT NULL,
    durable_time               TIMESTAMPTZ      NOT NULL DEFAULT now()
);

-- The analyst's two ways in: a partner's alerts, newest first, and a rule's alerts.
CREATE INDEX fraud_alerts_by_partner ON fraud_alerts (partner_id, detected_time DESC);
CREATE INDEX fraud_alerts_by_rule ON fraud_alerts (rule_id, detected_time DESC);
-- What did this transaction trigger?
CREATE INDEX fraud_alerts_by_transaction ON fraud_alerts (partner_id, transaction_id);

-- Every version of every rule as published to the rules topic (which is compacted: only the
-- latest version of a rule stays there). (rule_id, version) identifies a change.
CREATE TABLE fraud_rule_changes (
    rule_id      TEXT        NOT NULL,
    version      BIGINT      NOT NULL,
    rule_type    TEXT        NOT NULL,
    mode         TEXT        NOT NULL,
    enabled      BOOLEAN     NOT NULL,
    severity     TEXT        NOT NULL,
    thresholds   JSONB       NOT NULL,
    changed_by   TEXT        NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL,
    description  TEXT        NOT NULL,
    durable_time TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, version)
);

-- The latest published version of each rule. (Whether the ledger accepted it is in the dead
-- letters: a refused version is recorded here too, and the previous one stayed in force.)
CREATE VIEW fraud_rules_latest AS
SELECT DISTINCT ON (rule_id) *
FROM fraud_rule_changes
ORDER BY rule_id, version DESC;
