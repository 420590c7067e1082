-- Alerts per partner and severity: how many (one per account, rule and alert window), how many
-- movements matched, how many blocked, how many accounts, and the rules that fired. FINAL: a
-- replayed alert, or an earlier revision of a window (same alert_id), is one row.
SELECT
    partner_id,
    severity,
    count()                           AS alerts,
    sum(matches)                      AS matches,
    countIf(blocked)                  AS blocked,
    uniqExact(account_id)             AS accounts,
    arraySort(groupUniqArray(rule_id)) AS rules
FROM fraud_alerts FINAL
GROUP BY partner_id, severity
ORDER BY partner_id, severity
