-- Sums are Decimal(38,0): an Int64 sum of large amounts would wrap around silently.
-- Decisions that came too late for the aggregates, per partner and the view that missed them
-- (partner: every partner window level; account: the account's hourly and daily windows), with the
-- value they carried. FINAL: a replayed late decision is one row.
SELECT
    partner_id,
    scope                           AS missed_view,
    count()                         AS late_rows,
    uniqExact(transaction_id)       AS late_transactions,
    sum(toDecimal128(amount_minor, 0)) AS late_value_minor,
    max(event_time)                 AS latest_event_time
FROM late_transactions FINAL
GROUP BY partner_id, scope
ORDER BY partner_id, scope
