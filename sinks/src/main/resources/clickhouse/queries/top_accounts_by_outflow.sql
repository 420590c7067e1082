-- Customer accounts that sent the most money out: debits minus the reversals that gave refused
-- debits back. System accounts (the outside world) are left out. FINAL: each posting once.
SELECT
    account_id,
    currency,
    sumIf(amount_minor, direction = 'DEBIT') - sumIf(amount_minor, reversal) AS outflow_minor
FROM ledger_entries FINAL
WHERE NOT startsWith(account_id, 'SYSTEM-')
GROUP BY account_id, currency
HAVING outflow_minor > 0
ORDER BY outflow_minor DESC, account_id
LIMIT 10
