package io.ledgerflow.sinks.clickhouse;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.sinks.postgres.ReadModelStatements;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The analytics tables of {@code V1__analytics_tables.sql} and how the ledger's records fill them.
 * Times are bound as UTC text with milliseconds: the columns are {@code DateTime64(3, 'UTC')}, and
 * text leaves no room for a client-side time zone conversion.
 */
public final class AnalyticsTables {

    private AnalyticsTables() {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** Transaction results into the {@code transactions} fact table. */
    public static final ClickHouseTable<TransactionResult> TRANSACTIONS =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO transactions (transaction_id, partner_id, type, status,"
                            + " status_rank, reason, source_account_id, destination_account_id,"
                            + " related_transaction_id, amount_minor, currency, event_time,"
                            + " received_time, decision_time)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, TransactionResult r) throws SQLException {
                    ps.setString(1, r.getTransactionId());
                    ps.setString(2, r.getPartnerId());
                    ps.setString(3, r.getType().name());
                    ps.setString(4, r.getStatus().name());
                    ps.setInt(5, ReadModelStatements.statusRank(r.getStatus()));
                    ps.setString(6, r.getReason() == null ? "" : r.getReason().name());
                    ps.setString(7, orEmpty(r.getSourceAccountId()));
                    ps.setString(8, orEmpty(r.getDestinationAccountId()));
                    ps.setString(9, orEmpty(r.getRelatedTransactionId()));
                    ps.setLong(10, r.getAmountMinor());
                    ps.setString(11, r.getCurrency());
                    ps.setString(12, time(r.getEventTime()));
                    ps.setString(13, time(r.getReceivedTime()));
                    ps.setString(14, time(r.getDecisionTime()));
                }
            };

    /** Postings into {@code ledger_entries}. */
    public static final ClickHouseTable<LedgerEntry> LEDGER_ENTRIES =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO ledger_entries (account_id, sequence, transaction_id,"
                            + " partner_id, movement_type, direction, amount_minor, currency,"
                            + " balance_after_minor, counterparty_account_id, reversal, event_time,"
                            + " posted_time, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, LedgerEntry e) throws SQLException {
                    ps.setString(1, e.getAccountId());
                    ps.setLong(2, e.getSequence());
                    ps.setString(3, e.getTransactionId());
                    ps.setString(4, e.getPartnerId());
                    ps.setString(5, e.getMovementType().name());
                    ps.setString(6, e.getDirection().name());
                    ps.setLong(7, e.getAmountMinor());
                    ps.setString(8, e.getCurrency());
                    ReadModelStatements.bindBalance(
                            ps, 9, e.getWideBalanceAfter(), e.getBalanceAfterMinor());
                    ps.setString(10, e.getCounterpartyAccountId());
                    ps.setBoolean(11, e.getReversal());
                    ps.setString(12, time(e.getEventTime()));
                    ps.setString(13, time(e.getPostedTime()));
                    ps.setString(14, e.getHash());
                }
            };

    /** Every account state into the balance history {@code account_balances}. */
    public static final ClickHouseTable<AccountState> ACCOUNT_BALANCES =
            new ClickHouseTable<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public String insertSql() {
                    return "INSERT INTO account_balances (account_id, version, partner_id,"
                            + " currency, account_type, status, balance_minor, held_minor,"
                            + " available_minor, cause_id, updated_time)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                }

                @Override
                public void bind(PreparedStatement ps, AccountState s) throws SQLException {
                    ps.setString(1, s.getAccountId());
                    ps.setLong(2, s.getVersion());
                    ps.setString(3, s.getPartnerId());
                    ps.setString(4, s.getCurrency());
                    ps.setString(5, s.getAccountType().name());
                    ps.setString(6, s.getStatus().name());
                    ReadModelStatements.bindBalance(ps, 7, s.getWideBalance(), s.getBalanceMinor());
                    ps.setLong(8, s.getHeldMinor());
                    ReadModelStatements.bindBalance(
                            ps, 9, ReadModelStatements.wideAvailable(s), s.getAvailableMinor());
                    ps.setString(10, s.getCauseId());
                    ps.setString(11, time(s.getUpdatedTime()));
                }
            };

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
