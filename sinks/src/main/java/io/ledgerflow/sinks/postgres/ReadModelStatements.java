package io.ledgerflow.sinks.postgres;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.TIME;
import static io.ledgerflow.sinks.columns.Columns.column;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.sinks.columns.Columns;
import io.ledgerflow.sinks.columns.LedgerColumns;
import io.ledgerflow.sinks.columns.Store;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The read model's write statements and how each record binds to them. Every statement is
 * idempotent and monotonic, which is what makes an at-least-once sink exact: a replay after a
 * restart (or a retried batch) writes rows that are already there, and a stale row never replaces a
 * newer one. Columns come from {@link LedgerColumns}, which the analytics tables share.
 */
public final class ReadModelStatements {

    private ReadModelStatements() {}

    private static final Columns<AccountState> ACCOUNTS = LedgerColumns.ACCOUNT_STATE;

    /**
     * The shared transaction columns, and what a HOLD reserved and when: set by its HELD result,
     * never by a later one, so the amount held on an account can be computed as of any time (holds
     * post no entries).
     */
    private static final Columns<TransactionResult> TRANSACTIONS =
            LedgerColumns.TRANSACTION_RESULT.plus(
                    column(
                            "held_amount_minor",
                            BIGINT,
                            r ->
                                    r.getStatus() == TransactionStatus.HELD
                                            ? r.getAmountMinor()
                                            : null),
                    column(
                            "held_time",
                            TIME,
                            r ->
                                    r.getStatus() == TransactionStatus.HELD
                                            ? r.getDecisionTime()
                                            : null));

    private static final Columns<LedgerEntry> ENTRIES = LedgerColumns.LEDGER_ENTRY;
    private static final Columns<AccountCommandResult> COMMAND_RESULTS =
            LedgerColumns.COMMAND_RESULT;
    private static final Columns<DeadLetterRow> DEAD_LETTERS = LedgerColumns.DEAD_LETTER;

    /**
     * Latest account state wins by version. The {@code WHERE} turns an older or equal version into
     * a no-op, so neither a replay nor two batches racing can move an account backwards.
     */
    public static final String UPSERT_ACCOUNT =
            """
            INSERT INTO accounts (%s, durable_time)
            VALUES (%s, now())
            ON CONFLICT (account_id) DO UPDATE SET %s, durable_time = now()
            WHERE accounts.version < EXCLUDED.version
            """
                    .formatted(
                            ACCOUNTS.names(),
                            ACCOUNTS.placeholders(Store.POSTGRES),
                            ACCOUNTS.without("account_id").fromExcluded());

    /**
     * A terminal status replaces HELD, never the other way round; a replayed result of the same
     * rank is a no-op, so {@code durable_time} stays the time of the first write. Every result of a
     * transaction carries its {@code received_time} (the partition key, part of the conflict
     * target), so a later status finds the row the first one wrote. The hold columns keep the HELD
     * result's values.
     */
    public static final String UPSERT_TRANSACTION =
            """
            INSERT INTO transactions (%s, durable_time)
            VALUES (%s, now())
            ON CONFLICT (partner_id, transaction_id, received_time) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
                reason = EXCLUDED.reason, reason_detail = EXCLUDED.reason_detail,
                amount_minor = EXCLUDED.amount_minor, decided_time = EXCLUDED.decided_time,
                durable_time = now()
            WHERE transactions.status_rank < EXCLUDED.status_rank
            """
                    .formatted(TRANSACTIONS.names(), TRANSACTIONS.placeholders(Store.POSTGRES));

    /**
     * Postings are immutable: the first write of (account, sequence) is the only one. The posted
     * time is in the conflict target because it is the table's partition key; a replayed entry
     * carries the same one.
     */
    public static final String INSERT_LEDGER_ENTRY =
            ENTRIES.insertInto("ledger_entries", Store.POSTGRES)
                    + " ON CONFLICT (account_id, sequence, posted_time) DO NOTHING";

    public static final String INSERT_COMMAND_RESULT =
            COMMAND_RESULTS.insertInto("account_command_results", Store.POSTGRES)
                    + " ON CONFLICT (partner_id, command_id) DO NOTHING";

    public static final String INSERT_DEAD_LETTER =
            DEAD_LETTERS.insertInto("dead_letters", Store.POSTGRES)
                    + " ON CONFLICT ON CONSTRAINT dead_letters_origin DO NOTHING";

    public static void bindAccount(PreparedStatement ps, AccountState s) throws SQLException {
        ACCOUNTS.bind(ps, s, Store.POSTGRES);
    }

    public static void bindTransaction(PreparedStatement ps, TransactionResult r)
            throws SQLException {
        TRANSACTIONS.bind(ps, r, Store.POSTGRES);
    }

    public static void bindLedgerEntry(PreparedStatement ps, LedgerEntry e) throws SQLException {
        ENTRIES.bind(ps, e, Store.POSTGRES);
    }

    public static void bindCommandResult(PreparedStatement ps, AccountCommandResult c)
            throws SQLException {
        COMMAND_RESULTS.bind(ps, c, Store.POSTGRES);
    }

    public static void bindDeadLetter(PreparedStatement ps, DeadLetterRow d) throws SQLException {
        DEAD_LETTERS.bind(ps, d, Store.POSTGRES);
    }
}
