-- Each partner's daily rejections per reason, with the reason's share of the day's decisions. One
-- row per partner, currency, day and reason that rejected anything. FINAL: newest revision only.
SELECT
    partner_id,
    currency,
    window_start                               AS day,
    reason,
    rejected,
    round(rejected / movements, 4)             AS share_of_decisions
FROM window_aggregates FINAL
ARRAY JOIN
    mapKeys(rejections_by_reason)   AS reason,
    mapValues(rejections_by_reason) AS rejected
WHERE scope = 'partner' AND level = '1d'
ORDER BY partner_id, currency, day, rejected DESC, reason
