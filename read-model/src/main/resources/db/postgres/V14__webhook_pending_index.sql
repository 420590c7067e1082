-- Issue 15, delivery rate: the notifier claims due deliveries of every endpoint in one statement
-- per dispatch round, walking each endpoint's pending deliveries in id order and stopping at its
-- free slots. This index gives that walk directly, so a round's cost does not grow with the
-- backlog (the (next_attempt_at, endpoint_id) index made the old per-round "which endpoints are
-- due" query read every due row).
CREATE INDEX webhook_deliveries_pending
    ON webhook_deliveries (endpoint_id, delivery_id) WHERE status = 'PENDING';
-- Nothing reads by due time alone any more; one index fewer to maintain per delivery.
DROP INDEX webhook_deliveries_due;
