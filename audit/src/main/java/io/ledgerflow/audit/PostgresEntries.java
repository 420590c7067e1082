package io.ledgerflow.audit;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.config.PostgresSettings;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.function.Consumer;

/**
 * The ledger entries of the read model ({@code ledger_entries}), one account after the other, each
 * in sequence order, streamed (a cursor of {@value #FETCH_SIZE} rows at a time): a partner with
 * millions of entries does not have to fit in memory.
 */
public final class PostgresEntries {

    static final int FETCH_SIZE = 1_000;

    private static final String COLUMNS =
            "account_id, sequence, transaction_id, partner_id, movement_type, direction,"
                    + " amount_minor, currency, balance_after_minor, counterparty_account_id,"
                    + " reversal, event_time, posted_time, previous_hash, hash, hash_format";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final PostgresSettings postgres;

    public PostgresEntries(PostgresSettings postgres) {
        this.postgres = postgres;
    }

    /** Feeds {@code sink} every entry of {@code scope}, ordered by account, then sequence. */
    public void forEach(Scope scope, Consumer<LedgerEntry> sink) throws SQLException {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM ledger_entries WHERE "
                        + (scope.isAccount() ? "account_id" : "partner_id")
                        + " = ? ORDER BY account_id, sequence";
        try (Connection c =
                DriverManager.getConnection(
                        postgres.url(), postgres.user(), postgres.password().reveal())) {
            // A cursor streams only inside a transaction.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, scope.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(entry(rs));
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** The entry as the ledger wrote it, rebuilt from its row, so that its hash can be checked. */
    static LedgerEntry entry(ResultSet rs) throws SQLException {
        BigDecimal balance = rs.getBigDecimal("balance_after_minor");
        // As the ledger writes it: the exact figure beside a saturated long only when it does not
        // fit 64 bits (LedgerEntry.wideBalanceAfter).
        boolean wide = balance.compareTo(LONG_MIN) < 0 || balance.compareTo(LONG_MAX) > 0;
        return LedgerEntry.newBuilder()
                .setAccountId(rs.getString("account_id"))
                .setSequence(rs.getLong("sequence"))
                .setTransactionId(rs.getString("transaction_id"))
                .setPartnerId(rs.getString("partner_id"))
                .setMovementType(MovementType.valueOf(rs.getString("movement_type")))
                .setDirection(EntryDirection.valueOf(rs.getString("direction")))
                .setAmountMinor(rs.getLong("amount_minor"))
                .setCurrency(rs.getString("currency"))
                .setBalanceAfterMinor(
                        wide
                                ? (balance.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
                                : balance.longValueExact())
                .setWideBalanceAfter(wide ? balance : null)
                .setCounterpartyAccountId(rs.getString("counterparty_account_id"))
                .setReversal(rs.getBoolean("reversal"))
                .setEventTime(rs.getObject("event_time", OffsetDateTime.class).toInstant())
                .setPostedTime(rs.getObject("posted_time", OffsetDateTime.class).toInstant())
                .setPreviousHash(rs.getString("previous_hash"))
                .setHash(rs.getString("hash"))
                .setHashFormat(rs.getInt("hash_format"))
                .build();
    }
}
