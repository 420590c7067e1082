-- Alerts per partner and severity: how many, how many blocked, how many accounts, and the rules
-- that fired, most frequent first. FINAL: a replayed alert (same alert_id) is one row.
SELECT
    partner_id,
    severity,
    count()                           AS alerts,
    countIf(blocked)                  AS blocked,
    uniqExact(account_id)             AS accounts,
    arraySort(groupUniqArray(rule_id)) AS rules
FROM fraud_alerts FINAL
GROUP BY partner_id, severity
ORDER BY partner_id, severity
