package io.ledgerflow.sinks.clickhouse;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.sinks.columns.LedgerColumns;

/**
 * The analytics tables of {@code V1__analytics_tables.sql} and the columns of the ledger's records
 * that fill them ({@link LedgerColumns}, shared with the read model).
 */
public final class AnalyticsTables {

    private AnalyticsTables() {}

    /**
     * Transaction results into the {@code transactions} fact table (without the reason's detail,
     * which is for a partner's support case, not analysis).
     */
    public static final ClickHouseTable<TransactionResult> TRANSACTIONS =
            ClickHouseTable.of(
                    "transactions",
                    LedgerColumns.TRANSACTION_RESULT
                            .without("reason_detail")
                            .renamed("decided_time", "decision_time"));

    /** Postings into {@code ledger_entries} (the hash chain is verified in the read model). */
    public static final ClickHouseTable<LedgerEntry> LEDGER_ENTRIES =
            ClickHouseTable.of(
                    "ledger_entries",
                    LedgerColumns.LEDGER_ENTRY.without("previous_hash", "hash_format"));

    /**
     * Every account state into the balance history {@code account_balances}, with the overdraft
     * limit of each version (limits change: {@code V6__account_overdraft_limits.sql}).
     */
    public static final ClickHouseTable<AccountState> ACCOUNT_BALANCES =
            ClickHouseTable.of(
                    "account_balances", LedgerColumns.ACCOUNT_STATE.without("last_sequence"));
}
