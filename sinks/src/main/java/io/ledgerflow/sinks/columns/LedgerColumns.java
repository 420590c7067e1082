package io.ledgerflow.sinks.columns;

import static io.ledgerflow.sinks.columns.ColumnKind.BIGINT;
import static io.ledgerflow.sinks.columns.ColumnKind.BOOLEAN;
import static io.ledgerflow.sinks.columns.ColumnKind.BYTES;
import static io.ledgerflow.sinks.columns.ColumnKind.EXACT;
import static io.ledgerflow.sinks.columns.ColumnKind.INT;
import static io.ledgerflow.sinks.columns.ColumnKind.NAMED_VALUES;
import static io.ledgerflow.sinks.columns.ColumnKind.NULLABLE_TEXT;
import static io.ledgerflow.sinks.columns.ColumnKind.SMALL_INT;
import static io.ledgerflow.sinks.columns.ColumnKind.TEXT;
import static io.ledgerflow.sinks.columns.ColumnKind.TIME;
import static io.ledgerflow.sinks.columns.Columns.column;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The columns of the ledger's records, for the read model and the analytics tables alike. A table
 * takes all of a record's columns or some of them ({@link Columns#only}); the mapping from a record
 * field to a column is written here only.
 *
 * <p>Transaction results and ledger entries carry the partner's annotations of their movement:
 * {@code metadata} ({@code jsonb} in PostgreSQL, keys sorted; {@code Map(String, String)} in
 * ClickHouse) and {@code external_reference} (text, {@code NULL} when none, in both).
 */
public final class LedgerColumns {

    private LedgerColumns() {}

    /** 0 for HELD, the only status a transaction leaves again; 1 for every terminal status. */
    static int statusRank(TransactionStatus status) {
        return status == TransactionStatus.HELD ? 0 : 1;
    }

    /**
     * A balance for a {@code numeric(38,0)} / {@code Decimal(38,0)} column: the exact wide value
     * when the ledger gave one (a system account beyond the 64-bit range, when the long only holds
     * Long.MIN_VALUE or Long.MAX_VALUE), else the long.
     */
    public static Object balance(BigDecimal wide, long minor) {
        return wide != null ? wide : (Object) minor;
    }

    /**
     * The exact available amount (balance - held) when the balance is wide, else null. System
     * accounts, the only ones with a wide balance, hold nothing, but computing it keeps the column
     * right whatever the ledger does.
     */
    public static BigDecimal wideAvailable(AccountState s) {
        BigDecimal wide = s.getWideBalance();
        return wide == null ? null : wide.subtract(BigDecimal.valueOf(s.getHeldMinor()));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    public static final Columns<TransactionResult> TRANSACTION_RESULT =
            Columns.of(
                    column("partner_id", TEXT, TransactionResult::getPartnerId),
                    column("transaction_id", TEXT, TransactionResult::getTransactionId),
                    column("type", TEXT, r -> r.getType().name()),
                    column("status", TEXT, r -> r.getStatus().name()),
                    column("status_rank", SMALL_INT, r -> statusRank(r.getStatus())),
                    column("reason", TEXT, r -> name(r.getReason())),
                    column("reason_detail", TEXT, TransactionResult::getReasonDetail),
                    column("source_account_id", TEXT, TransactionResult::getSourceAccountId),
                    column(
                            "destination_account_id",
                            TEXT,
                            TransactionResult::getDestinationAccountId),
                    column(
                            "related_transaction_id",
                            TEXT,
                            TransactionResult::getRelatedTransactionId),
                    column("amount_minor", BIGINT, TransactionResult::getAmountMinor),
                    column("currency", TEXT, TransactionResult::getCurrency),
                    column("event_time", TIME, TransactionResult::getEventTime),
                    column("received_time", TIME, TransactionResult::getReceivedTime),
                    column("decided_time", TIME, TransactionResult::getDecisionTime),
                    column("metadata", NAMED_VALUES, TransactionResult::getMetadata),
                    column(
                            "external_reference",
                            NULLABLE_TEXT,
                            TransactionResult::getExternalReference));

    public static final Columns<LedgerEntry> LEDGER_ENTRY =
            Columns.of(
                    column("account_id", TEXT, LedgerEntry::getAccountId),
                    column("sequence", BIGINT, LedgerEntry::getSequence),
                    column("transaction_id", TEXT, LedgerEntry::getTransactionId),
                    column("partner_id", TEXT, LedgerEntry::getPartnerId),
                    column("movement_type", TEXT, e -> e.getMovementType().name()),
                    column("direction", TEXT, e -> e.getDirection().name()),
                    column("amount_minor", BIGINT, LedgerEntry::getAmountMinor),
                    column("currency", TEXT, LedgerEntry::getCurrency),
                    column(
                            "balance_after_minor",
                            EXACT,
                            e -> balance(e.getWideBalanceAfter(), e.getBalanceAfterMinor())),
                    column("counterparty_account_id", TEXT, LedgerEntry::getCounterpartyAccountId),
                    column("reversal", BOOLEAN, LedgerEntry::getReversal),
                    column("event_time", TIME, LedgerEntry::getEventTime),
                    column("posted_time", TIME, LedgerEntry::getPostedTime),
                    column("previous_hash", TEXT, LedgerEntry::getPreviousHash),
                    column("hash", TEXT, LedgerEntry::getHash),
                    column("hash_format", SMALL_INT, LedgerEntry::getHashFormat),
                    column("metadata", NAMED_VALUES, LedgerEntry::getMetadata),
                    column("external_reference", NULLABLE_TEXT, LedgerEntry::getExternalReference));

    public static final Columns<AccountState> ACCOUNT_STATE =
            Columns.of(
                    column("account_id", TEXT, AccountState::getAccountId),
                    column("partner_id", TEXT, AccountState::getPartnerId),
                    column("currency", TEXT, AccountState::getCurrency),
                    column("account_type", TEXT, s -> s.getAccountType().name()),
                    column("status", TEXT, s -> s.getStatus().name()),
                    column(
                            "balance_minor",
                            EXACT,
                            s -> balance(s.getWideBalance(), s.getBalanceMinor())),
                    column("held_minor", BIGINT, AccountState::getHeldMinor),
                    column(
                            "available_minor",
                            EXACT,
                            s -> balance(wideAvailable(s), s.getAvailableMinor())),
                    column("overdraft_limit_minor", BIGINT, AccountState::getOverdraftLimitMinor),
                    column("last_sequence", BIGINT, AccountState::getLastSequence),
                    column("version", BIGINT, AccountState::getVersion),
                    column("cause_id", TEXT, AccountState::getCauseId),
                    column("updated_time", TIME, AccountState::getUpdatedTime));

    public static final Columns<AccountCommandResult> COMMAND_RESULT =
            Columns.of(
                    column("partner_id", TEXT, AccountCommandResult::getPartnerId),
                    column("command_id", TEXT, AccountCommandResult::getCommandId),
                    column("account_id", TEXT, AccountCommandResult::getAccountId),
                    column("type", TEXT, c -> c.getType().name()),
                    column("accepted", BOOLEAN, AccountCommandResult::getAccepted),
                    column("reason", TEXT, c -> name(c.getReason())),
                    column("reason_detail", TEXT, AccountCommandResult::getReasonDetail),
                    column("decided_time", TIME, AccountCommandResult::getDecisionTime));

    public static final Columns<DeadLetterRow> DEAD_LETTER =
            Columns.of(
                    column("origin_topic", TEXT, d -> d.originTopic),
                    column("origin_partition", INT, d -> d.originPartition),
                    column("origin_offset", BIGINT, d -> d.originOffset),
                    column("source_topic", TEXT, d -> d.sourceTopic),
                    column("source_partition", INT, d -> d.sourcePartition),
                    column("source_offset", BIGINT, d -> d.sourceOffset),
                    column("reason", TEXT, d -> d.reason),
                    column("detail", TEXT, d -> d.detail),
                    column("job", TEXT, d -> d.job),
                    column("failed_time", TIME, d -> Instant.ofEpochMilli(d.failedTimeMillis)),
                    column("record_key", BYTES, d -> d.key),
                    column("record_value", BYTES, d -> d.value));
}
