-- Internal reconciliation: how mismatches ended, per kind and day they were first seen: how many
-- cleared by themselves (the store caught up or was repaired), and how long they were open
-- (average and longest, seconds). A rising time to clear is a sink falling behind.
SELECT kind,
       toDate(first_seen)                                         AS day,
       count()                                                    AS cleared,
       toUInt64(round(avg(dateDiff('second', first_seen, assumeNotNull(cleared_time))))) AS avg_open_seconds,
       max(dateDiff('second', first_seen, assumeNotNull(cleared_time))) AS max_open_seconds
FROM reconciliation FINAL
WHERE status = 'CLEARED'
GROUP BY kind, day
ORDER BY day, kind
