-- Completed money movements per minute (event time) and currency: how many, and how much money
-- moved. A hold's money moves in its CAPTURE, which completes on its own; holds themselves are not
-- counted. FINAL: a replayed transaction is one row.
SELECT
    toStartOfMinute(event_time) AS minute,
    currency,
    count()                     AS completed,
    sum(amount_minor)           AS value_minor
FROM transactions FINAL
WHERE status = 'COMPLETED'
GROUP BY minute, currency
ORDER BY minute, currency
