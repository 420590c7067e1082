-- Each partner's hourly volume per currency: decisions, value, value approved, rejection rate and
-- distinct accounts (HLL sketch: small sets exact, within 6.5% otherwise). From the windowed
-- aggregates, not the fact table: one row per partner, currency and hour. FINAL: a window revised
-- by late decisions is read as its newest row only.
SELECT
    partner_id,
    currency,
    window_start                           AS hour,
    movements,
    total_minor,
    approved_minor,
    rejected,
    round(rejected / movements, 4)         AS rejection_rate,
    distinct_counterparties                AS distinct_accounts
FROM window_aggregates FINAL
WHERE scope = 'partner' AND level = '1h'
ORDER BY partner_id, currency, hour
