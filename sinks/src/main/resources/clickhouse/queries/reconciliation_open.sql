-- Internal reconciliation: the mismatches open now, per kind (MISSING_IN_POSTGRES,
-- AMOUNT_MISMATCH_CLICKHOUSE, SUM_NOT_ZERO, CHAIN_BREAK, ...): how many, since when the oldest
-- was first seen, and its age in seconds as of the reconciliation's last check of it. FINAL: the
-- latest version of each row (the reconcile command writes a new one at every change).
SELECT kind,
       count()                                            AS open_mismatches,
       min(first_seen)                                    AS oldest_first_seen,
       max(dateDiff('second', first_seen, last_seen))     AS oldest_age_seconds
FROM reconciliation FINAL
WHERE status = 'OPEN'
GROUP BY kind
ORDER BY kind
