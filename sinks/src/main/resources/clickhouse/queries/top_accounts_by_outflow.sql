-- Sums are Decimal(38,0): an Int64 sum of large amounts would wrap around silently.
-- Customer accounts that sent the most money out: debits minus the reversals that gave refused
-- debits back. System accounts (the outside world) are left out. FINAL: each posting once.
SELECT
    account_id,
    currency,
    sumIf(toDecimal128(amount_minor, 0), direction = 'DEBIT')
        - sumIf(toDecimal128(amount_minor, 0), reversal) AS outflow_minor
FROM ledger_entries FINAL
WHERE NOT startsWith(account_id, 'SYSTEM-')
GROUP BY account_id, currency
HAVING outflow_minor > 0
ORDER BY outflow_minor DESC, account_id
LIMIT 10
