-- External reconciliation: the exceptions of each imported statement, i.e. the bank's lines the
-- ledger has no deposit or withdrawal for (UNMATCHED_STATEMENT_LINE) and the ledger's movements
-- the bank does not show (UNMATCHED_LEDGER_MOVEMENT): how many, their amount per currency, the
-- oldest one's date and its age in days when the statement was matched. FINAL: the latest import.
SELECT statement_id,
       result,
       currency,
       count()                                            AS exceptions,
       sum(amount_minor)                                  AS amount_minor,
       min(item_date)                                     AS oldest_item_date,
       max(dateDiff('day', item_date, toDate(matched_time))) AS oldest_age_days
FROM statement_matches FINAL
WHERE result != 'MATCHED'
GROUP BY statement_id, result, currency
ORDER BY statement_id, result, currency
