package io.ledgerflow.ingest.testutils;

import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh read model database (the read model's own migrations applied) and rows written into it
 * the way the sinks job writes them: accounts, transaction results (with metadata, reference and
 * what a hold reserved) and ledger entries. One connection, auto-commit: each row is visible as
 * soon as its method returns, as after a sink's commit.
 */
public final class ReadModelRows implements AutoCloseable {

    public final String jdbcUrl;
    private final Connection connection;

    private ReadModelRows(String jdbcUrl) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.connection = connect(jdbcUrl);
    }

    /** Drops and creates database {@code name} and applies every migration. */
    public static ReadModelRows create(PostgresServer postgres, String name) {
        String url = PartnerDatabases.create(postgres, name);
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try {
            return new ReadModelRows(url);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writer on a connection of its own, for a second thread. */
    public ReadModelRows another() {
        try {
            return new ReadModelRows(jdbcUrl);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** API settings that read this database as the read model. */
    public Map<String, String> apiEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGERFLOW_READ_MODEL_JDBC_URL", jdbcUrl);
        env.put("LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
        env.put("LEDGERFLOW_READ_MODEL_POOL_SIZE", "2");
        return env;
    }

    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    public Connection connection() {
        return connection;
    }

    public void account(String accountId, String partnerId, String currency) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        """
                        INSERT INTO accounts (account_id, partner_id, currency, account_type,
                            status, balance_minor, held_minor, available_minor,
                            overdraft_limit_minor, last_sequence, version, cause_id, updated_time)
                        VALUES (?, ?, ?, 'CUSTOMER', 'OPEN', 0, 0, 0, 0, 0, 1, 'open', now())
                        """)) {
            ps.setString(1, accountId);
            ps.setString(2, partnerId);
            ps.setString(3, currency);
            ps.executeUpdate();
        }
    }

    /** A transaction result row; {@code metadataJson} may be null ({@code {}}). */
    public record Transaction(
            String partnerId,
            String transactionId,
            String type,
            String status,
            String sourceAccountId,
            String destinationAccountId,
            long amountMinor,
            String currency,
            Instant receivedTime,
            Instant decidedTime,
            String metadataJson,
            String externalReference,
            Long heldAmountMinor,
            Instant heldTime) {

        public static Transaction transfer(
                String partnerId,
                String transactionId,
                String source,
                String destination,
                long amountMinor,
                Instant received) {
            return new Transaction(
                    partnerId,
                    transactionId,
                    "TRANSFER",
                    "COMPLETED",
                    source,
                    destination,
                    amountMinor,
                    "USD",
                    received,
                    received.plusMillis(5),
                    null,
                    null,
                    null,
                    null);
        }

        public Transaction withMetadata(String json, String reference) {
            return new Transaction(
                    partnerId,
                    transactionId,
                    type,
                    status,
                    sourceAccountId,
                    destinationAccountId,
                    amountMinor,
                    currency,
                    receivedTime,
                    decidedTime,
                    json,
                    reference,
                    heldAmountMinor,
                    heldTime);
        }
    }

    public void transaction(Transaction t) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        """
                        INSERT INTO transactions (partner_id, transaction_id, type, status,
                            status_rank, source_account_id, destination_account_id, amount_minor,
                            currency, event_time, received_time, decided_time, metadata,
                            external_reference, held_amount_minor, held_time)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                        """)) {
            ps.setString(1, t.partnerId());
            ps.setString(2, t.transactionId());
            ps.setString(3, t.type());
            ps.setString(4, t.status());
            ps.setInt(5, "HELD".equals(t.status()) ? 0 : 1);
            ps.setString(6, t.sourceAccountId());
            ps.setString(7, t.destinationAccountId());
            ps.setLong(8, t.amountMinor());
            ps.setString(9, t.currency());
            ps.setObject(10, at(t.receivedTime()));
            ps.setObject(11, at(t.receivedTime()));
            ps.setObject(12, at(t.decidedTime()));
            ps.setString(13, t.metadataJson() == null ? "{}" : t.metadataJson());
            ps.setString(14, t.externalReference());
            ps.setObject(15, t.heldAmountMinor());
            ps.setObject(16, t.heldTime() == null ? null : at(t.heldTime()));
            ps.executeUpdate();
        }
    }

    /** A hold's later result, as the sink's upsert applies it: the reservation stays. */
    public void releaseHold(String partnerId, String transactionId, String status, Instant decided)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "UPDATE transactions SET status = ?, status_rank = 1, decided_time = ?"
                                + " WHERE partner_id = ? AND transaction_id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, at(decided));
            ps.setString(3, partnerId);
            ps.setString(4, transactionId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no hold " + transactionId);
            }
        }
    }

    /** One posting; {@code direction} DEBIT or CREDIT. */
    public record Entry(
            String accountId,
            long sequence,
            String transactionId,
            String partnerId,
            String movementType,
            String direction,
            long amountMinor,
            long balanceAfterMinor,
            String counterpartyAccountId,
            Instant postedTime) {}

    public void entry(Entry e) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        """
                        INSERT INTO ledger_entries (account_id, sequence, transaction_id,
                            partner_id, movement_type, direction, amount_minor, currency,
                            balance_after_minor, counterparty_account_id, reversal, event_time,
                            posted_time, previous_hash, hash, hash_format)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, false, ?, ?, ?, ?, 2)
                        """)) {
            ps.setString(1, e.accountId());
            ps.setLong(2, e.sequence());
            ps.setString(3, e.transactionId());
            ps.setString(4, e.partnerId());
            ps.setString(5, e.movementType());
            ps.setString(6, e.direction());
            ps.setLong(7, e.amountMinor());
            ps.setBigDecimal(8, BigDecimal.valueOf(e.balanceAfterMinor()));
            ps.setString(9, e.counterpartyAccountId());
            ps.setObject(10, at(e.postedTime()));
            ps.setObject(11, at(e.postedTime()));
            ps.setString(12, "0".repeat(64));
            ps.setString(13, "1".repeat(64));
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime at(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
