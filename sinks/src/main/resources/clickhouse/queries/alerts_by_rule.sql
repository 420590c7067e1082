-- Sums are Decimal(38,0): an Int64 sum of large amounts would wrap around silently.
-- Alerts per fraud rule: how many (one per account and alert window), how many movements matched
-- in them, how many blocked, how many accounts and partners they touched, the value of each alert's
-- latest movement, the average score, and the first and last time the rule fired. FINAL: a
-- replayed alert, or an earlier revision of a window (same alert_id), is one row.
SELECT
    rule_id,
    any(rule_type)                    AS rule_type,
    count()                           AS alerts,
    sum(matches)                      AS matches,
    countIf(blocked)                  AS blocked,
    uniqExact(account_id)             AS accounts,
    uniqExact(partner_id)             AS partners,
    sum(toDecimal128(amount_minor, 0)) AS amount_minor,
    round(avg(score), 3)              AS average_score,
    min(detected_time)                AS first_detected,
    max(greatest(detected_time, ifNull(last_detected_time, detected_time))) AS last_detected
FROM fraud_alerts FINAL
GROUP BY rule_id
ORDER BY alerts DESC, rule_id
