-- Issue 17: what each partner was settled per day and currency (by the day its period started, in
-- UTC): batches, postings, adjustments (late postings of earlier periods), gross credits, refunds,
-- fees, net payable and the payout. FINAL: a batch copied twice is one batch.
SELECT
    partner_id,
    currency,
    toDate(period_start)                      AS day,
    count()                                   AS batches,
    sum(entry_count)                          AS postings,
    sum(adjustment_count)                     AS adjustments,
    sum(toDecimal128(credits_minor, 0))       AS total_credits_minor,
    sum(toDecimal128(refunds_minor, 0))       AS total_refunds_minor,
    sum(toDecimal128(fees_minor, 0))          AS total_fees_minor,
    sum(toDecimal128(net_payable_minor, 0))   AS total_net_payable_minor,
    sum(toDecimal128(payout_minor, 0))        AS total_payout_minor
FROM settlement_batches FINAL
GROUP BY partner_id, currency, day
ORDER BY partner_id, currency, day
