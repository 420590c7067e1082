package io.ledgerflow.readmodel;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The read model over plain JDBC with a small fixed pool of connections ({@link
 * ReadModelConnections}, its own: history queries never hold up a lookup). Lookups are single-row
 * primary-key reads; keeping connections open (and their server-side prepared statements, which the
 * PostgreSQL driver caches per connection) is what keeps them at a fraction of a millisecond. A
 * connection that fails is closed and replaced on the next lookup, so a database restart costs the
 * callers that were in flight, nothing more. Thread-safe.
 */
public final class PostgresReadModel implements ReadModel, AutoCloseable {

    private static final String TRANSACTION =
            """
            SELECT partner_id, transaction_id, type, status, reason, reason_detail,
                   source_account_id, destination_account_id, related_transaction_id,
                   amount_minor, currency, event_time, received_time, decided_time, durable_time,
                   (SELECT array_agg(m.key ORDER BY m.key) FROM jsonb_each_text(metadata) m),
                   (SELECT array_agg(m.value ORDER BY m.key) FROM jsonb_each_text(metadata) m),
                   external_reference
            FROM transactions WHERE partner_id = ? AND transaction_id = ?
            """;

    private static final String ACCOUNT =
            """
            SELECT partner_id, account_id, currency, account_type, status, balance_minor,
                   held_minor, available_minor, overdraft_limit_minor, last_sequence, version,
                   updated_time
            FROM accounts WHERE account_id = ? AND partner_id = ?
            """;

    private static final String ACCOUNT_ANY_PARTNER =
            """
            SELECT partner_id, account_id, currency, account_type, status, balance_minor,
                   held_minor, available_minor, overdraft_limit_minor, last_sequence, version,
                   updated_time
            FROM accounts WHERE account_id = ?
            """;

    private final ReadModelConnections connections;

    /**
     * @param poolSize connections kept open; a lookup waits up to {@code acquireTimeout} for one
     */
    public PostgresReadModel(
            String jdbcUrl, String user, String password, int poolSize, Duration acquireTimeout) {
        this.connections =
                new ReadModelConnections(
                        jdbcUrl, user, password, poolSize, acquireTimeout, "ledgerflow-read-model");
    }

    public PostgresReadModel(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, 4, Duration.ofSeconds(2));
    }

    @Override
    public Optional<TransactionView> transaction(String partnerId, String transactionId) {
        return query(
                TRANSACTION,
                rs ->
                        new TransactionView(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getLong(10),
                                rs.getString(11),
                                instant(rs.getTimestamp(12)),
                                instant(rs.getTimestamp(13)),
                                instant(rs.getTimestamp(14)),
                                instant(rs.getTimestamp(15)),
                                metadata(rs, 16, 17),
                                rs.getString(18)),
                partnerId,
                transactionId);
    }

    @Override
    public Optional<AccountView> account(String partnerId, String accountId) {
        return query(ACCOUNT, PostgresReadModel::account, accountId, partnerId);
    }

    @Override
    public Optional<AccountView> account(String accountId) {
        return query(ACCOUNT_ANY_PARTNER, PostgresReadModel::account, accountId);
    }

    private static AccountView account(ResultSet rs) throws SQLException {
        return new AccountView(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                balance(rs, 6),
                rs.getLong(7),
                balance(rs, 8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11),
                instant(rs.getTimestamp(12)));
    }

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * A balance column, {@code numeric(38,0)} since V4. A customer account's balance always fits a
     * long (the ledger refuses what would not); only a system account's can lie beyond, and it then
     * reads saturated at Long.MIN_VALUE or Long.MAX_VALUE, as the ledger's own AccountState carries
     * it next to the exact value, rather than failing the lookup.
     */
    private static long balance(ResultSet rs, int column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        if (value.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        if (value.compareTo(LONG_MIN) < 0) {
            return Long.MIN_VALUE;
        }
        return value.longValueExact();
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * @throws ReadModelConnections.ReadModelUnavailableException when the database could not answer
     */
    private <T> Optional<T> query(String sql, RowReader<T> reader, String... parameters) {
        return connections.run(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < parameters.length; i++) {
                            ps.setString(i + 1, parameters[i]);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
                        }
                    }
                });
    }

    /**
     * The {@code jsonb} metadata, which the query unpacks into parallel arrays of keys and values
     * in key order (both null when empty): PostgreSQL does the JSON, so the read model needs no
     * JSON library, and the map iterates in a stable order.
     */
    private static Map<String, String> metadata(ResultSet rs, int keysColumn, int valuesColumn)
            throws SQLException {
        Array keys = rs.getArray(keysColumn);
        if (keys == null) {
            return Map.of();
        }
        String[] names = (String[]) keys.getArray();
        String[] values = (String[]) rs.getArray(valuesColumn).getArray();
        Map<String, String> metadata = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            metadata.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() {
        connections.close();
    }
}
