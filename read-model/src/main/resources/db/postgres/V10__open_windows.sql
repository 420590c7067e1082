-- Issue 18: early figures. An hour or a day of a partner shows its figures so far every few seconds
-- while it is open (open = true), each replaced by the next and finally by the closed window's row
-- (open = false), which late decisions revise as before. At an equal version (the number of
-- decisions) a closed row replaces an open one and never the other way round: see
-- AggregateStatements.UPSERT_WINDOW_AGGREGATE. Rows written before are closed rows.

ALTER TABLE window_aggregates
    ADD COLUMN open BOOLEAN NOT NULL DEFAULT false;
