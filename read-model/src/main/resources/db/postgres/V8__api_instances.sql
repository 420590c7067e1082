-- Issue 14: the ingest API instances alive now, so that each divides every partner's rate limit by
-- their number (io.ledgerflow.ingest.limits.ApiInstances). Each instance writes its row every second
-- and counts the rows written in the last few seconds; rows of instances gone for a minute are
-- deleted by whichever instance notices. Times are the database's (clock_timestamp()), so the
-- instances' clocks need not agree. A handful of rows: no index beyond the key.
--
-- The API's role needs: GRANT SELECT, INSERT, UPDATE, DELETE ON api_instances TO ledgerflow_api;

CREATE TABLE api_instances (
    instance_id  TEXT        PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL
);
