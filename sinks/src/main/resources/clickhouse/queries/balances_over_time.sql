-- Each account's balance at the end of every minute in which it changed: the state with the
-- highest version in that minute (argMax), from the balance history. FINAL: each version once.
SELECT
    account_id,
    toStartOfMinute(updated_time)  AS minute,
    argMax(balance_minor, version) AS balance_minor,
    argMax(held_minor, version)    AS held_minor
FROM account_balances FINAL
GROUP BY account_id, minute
ORDER BY account_id, minute
