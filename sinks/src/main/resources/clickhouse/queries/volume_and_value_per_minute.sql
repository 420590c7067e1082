-- Sums are Decimal(38,0): an Int64 sum of large amounts would wrap around silently.
-- Completed money movements per minute (event time) and currency: how many, and how much money
-- moved. A hold's money moves in its CAPTURE, which completes on its own; holds themselves are not
-- counted. FINAL: a replayed transaction is one row.
SELECT
    toStartOfMinute(event_time) AS minute,
    currency,
    count()                     AS completed,
    sum(toDecimal128(amount_minor, 0)) AS value_minor
FROM transactions FINAL
WHERE status = 'COMPLETED'
GROUP BY minute, currency
ORDER BY minute, currency
