-- Sums are Decimal(38,0): an Int64 sum of large amounts would wrap around silently.
-- Alerts per fraud rule: how many, how many blocked their movement, how many accounts and partners
-- they touched, the value of the movements, the average score, and the first and last time the
-- rule fired. FINAL: a replayed alert (same alert_id) is one row.
SELECT
    rule_id,
    any(rule_type)                    AS rule_type,
    count()                           AS alerts,
    countIf(blocked)                  AS blocked,
    uniqExact(account_id)             AS accounts,
    uniqExact(partner_id)             AS partners,
    sum(toDecimal128(amount_minor, 0)) AS amount_minor,
    round(avg(score), 3)              AS average_score,
    min(detected_time)                AS first_detected,
    max(detected_time)                AS last_detected
FROM fraud_alerts FINAL
GROUP BY rule_id
ORDER BY alerts DESC, rule_id
