package io.ledgerflow.sinks.postgres;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The read model's write statements and how each record binds to them. Every statement is
 * idempotent and monotonic, which is what makes an at-least-once sink exact: a replay after a
 * restart (or a retried batch) writes rows that are already there, and a stale row never replaces a
 * newer one.
 */
public final class ReadModelStatements {

    private ReadModelStatements() {}

    /**
     * Latest account state wins by version. The {@code WHERE} turns an older or equal version into
     * a no-op, so neither a replay nor two batches racing can move an account backwards.
     */
    public static final String UPSERT_ACCOUNT =
            """
            INSERT INTO accounts (account_id, partner_id, currency, account_type, status,
                balance_minor, held_minor, available_minor, overdraft_limit_minor, last_sequence,
                version, cause_id, updated_time, durable_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (account_id) DO UPDATE SET
                partner_id = EXCLUDED.partner_id, currency = EXCLUDED.currency,
                account_type = EXCLUDED.account_type, status = EXCLUDED.status,
                balance_minor = EXCLUDED.balance_minor, held_minor = EXCLUDED.held_minor,
                available_minor = EXCLUDED.available_minor,
                overdraft_limit_minor = EXCLUDED.overdraft_limit_minor,
                last_sequence = EXCLUDED.last_sequence, version = EXCLUDED.version,
                cause_id = EXCLUDED.cause_id, updated_time = EXCLUDED.updated_time,
                durable_time = now()
            WHERE accounts.version < EXCLUDED.version
            """;

    /**
     * A terminal status replaces HELD, never the other way round; a replayed result of the same
     * rank is a no-op, so {@code durable_time} stays the time of the first write.
     */
    public static final String UPSERT_TRANSACTION =
            """
            INSERT INTO transactions (partner_id, transaction_id, type, status, status_rank,
                reason, reason_detail, source_account_id, destination_account_id,
                related_transaction_id, amount_minor, currency, event_time, received_time,
                decided_time, durable_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (partner_id, transaction_id) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
                reason = EXCLUDED.reason, reason_detail = EXCLUDED.reason_detail,
                amount_minor = EXCLUDED.amount_minor, decided_time = EXCLUDED.decided_time,
                durable_time = now()
            WHERE transactions.status_rank < EXCLUDED.status_rank
            """;

    /** Postings are immutable: the first write of (account, sequence) is the only one. */
    public static final String INSERT_LEDGER_ENTRY =
            """
            INSERT INTO ledger_entries (account_id, sequence, transaction_id, partner_id,
                movement_type, direction, amount_minor, currency, balance_after_minor,
                counterparty_account_id, reversal, event_time, posted_time, previous_hash, hash,
                hash_format)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, sequence) DO NOTHING
            """;

    public static final String INSERT_COMMAND_RESULT =
            """
            INSERT INTO account_command_results (partner_id, command_id, account_id, type,
                accepted, reason, reason_detail, decided_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (partner_id, command_id) DO NOTHING
            """;

    public static final String INSERT_DEAD_LETTER =
            """
            INSERT INTO dead_letters (origin_topic, origin_partition, origin_offset, source_topic,
                source_partition, source_offset, reason, detail, job, failed_time, record_key,
                record_value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT dead_letters_origin DO NOTHING
            """;

    /** 0 for HELD, the only status a transaction leaves again; 1 for every terminal status. */
    public static int statusRank(TransactionStatus status) {
        return status == TransactionStatus.HELD ? 0 : 1;
    }

    public static void bindAccount(PreparedStatement ps, AccountState s) throws SQLException {
        ps.setString(1, s.getAccountId());
        ps.setString(2, s.getPartnerId());
        ps.setString(3, s.getCurrency());
        ps.setString(4, s.getAccountType().name());
        ps.setString(5, s.getStatus().name());
        bindBalance(ps, 6, s.getWideBalance(), s.getBalanceMinor());
        ps.setLong(7, s.getHeldMinor());
        bindBalance(ps, 8, wideAvailable(s), s.getAvailableMinor());
        ps.setLong(9, s.getOverdraftLimitMinor());
        ps.setLong(10, s.getLastSequence());
        ps.setLong(11, s.getVersion());
        ps.setString(12, s.getCauseId());
        ps.setObject(13, time(s.getUpdatedTime()));
    }

    public static void bindTransaction(PreparedStatement ps, TransactionResult r)
            throws SQLException {
        ps.setString(1, r.getPartnerId());
        ps.setString(2, r.getTransactionId());
        ps.setString(3, r.getType().name());
        ps.setString(4, r.getStatus().name());
        ps.setShort(5, (short) statusRank(r.getStatus()));
        setNullable(ps, 6, r.getReason() == null ? null : r.getReason().name());
        setNullable(ps, 7, r.getReasonDetail());
        setNullable(ps, 8, r.getSourceAccountId());
        setNullable(ps, 9, r.getDestinationAccountId());
        setNullable(ps, 10, r.getRelatedTransactionId());
        ps.setLong(11, r.getAmountMinor());
        ps.setString(12, r.getCurrency());
        ps.setObject(13, time(r.getEventTime()));
        ps.setObject(14, time(r.getReceivedTime()));
        ps.setObject(15, time(r.getDecisionTime()));
    }

    public static void bindLedgerEntry(PreparedStatement ps, LedgerEntry e) throws SQLException {
        ps.setString(1, e.getAccountId());
        ps.setLong(2, e.getSequence());
        ps.setString(3, e.getTransactionId());
        ps.setString(4, e.getPartnerId());
        ps.setString(5, e.getMovementType().name());
        ps.setString(6, e.getDirection().name());
        ps.setLong(7, e.getAmountMinor());
        ps.setString(8, e.getCurrency());
        bindBalance(ps, 9, e.getWideBalanceAfter(), e.getBalanceAfterMinor());
        ps.setString(10, e.getCounterpartyAccountId());
        ps.setBoolean(11, e.getReversal());
        ps.setObject(12, time(e.getEventTime()));
        ps.setObject(13, time(e.getPostedTime()));
        ps.setString(14, e.getPreviousHash());
        ps.setString(15, e.getHash());
        ps.setShort(16, (short) e.getHashFormat());
    }

    public static void bindCommandResult(PreparedStatement ps, AccountCommandResult c)
            throws SQLException {
        ps.setString(1, c.getPartnerId());
        ps.setString(2, c.getCommandId());
        ps.setString(3, c.getAccountId());
        ps.setString(4, c.getType().name());
        ps.setBoolean(5, c.getAccepted());
        setNullable(ps, 6, c.getReason() == null ? null : c.getReason().name());
        setNullable(ps, 7, c.getReasonDetail());
        ps.setObject(8, time(c.getDecisionTime()));
    }

    public static void bindDeadLetter(PreparedStatement ps, DeadLetterRow d) throws SQLException {
        ps.setString(1, d.originTopic);
        ps.setInt(2, d.originPartition);
        ps.setLong(3, d.originOffset);
        ps.setString(4, d.sourceTopic);
        ps.setInt(5, d.sourcePartition);
        ps.setLong(6, d.sourceOffset);
        ps.setString(7, d.reason);
        ps.setString(8, d.detail);
        ps.setString(9, d.job);
        ps.setObject(10, time(Instant.ofEpochMilli(d.failedTimeMillis)));
        ps.setBytes(11, d.key);
        ps.setBytes(12, d.value);
    }

    /**
     * Binds a balance to a {@code numeric(38,0)} (PostgreSQL) or {@code Decimal(38,0)} (ClickHouse)
     * column: the exact wide value when the ledger gave one (a system account beyond the 64-bit
     * range; the long then only holds Long.MIN_VALUE or Long.MAX_VALUE), else the long.
     */
    public static void bindBalance(PreparedStatement ps, int index, BigDecimal wide, long minor)
            throws SQLException {
        if (wide != null) {
            ps.setBigDecimal(index, wide);
        } else {
            ps.setLong(index, minor);
        }
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

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void setNullable(PreparedStatement ps, int index, String value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
