-- Share of decided transactions rejected, per reason. The denominator is every transaction with a
-- terminal status (open holds are not decided yet). FINAL: a hold's HELD row is replaced by its
-- terminal one, and a replayed result is one row.
WITH decided AS
(
    SELECT status, reason
    FROM transactions FINAL
    WHERE status_rank = 1
)
SELECT
    reason,
    count()                                                      AS rejected,
    (SELECT count() FROM decided)                                AS decided_total,
    round(count() / (SELECT count() FROM decided), 4)            AS rejection_rate
FROM decided
WHERE status = 'REJECTED'
GROUP BY reason
ORDER BY rejected DESC, reason
