package io.ledgerflow.readmodel.history;

import io.ledgerflow.readmodel.ReadModelConnections;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history queries over the read model (layout of migration V9: transactions partitioned by
 * received time, ledger entries by posted time, monthly). Every query is shaped so that an index
 * serves both its filter and its order and a page stops after {@code limit + 1} rows: keyset
 * conditions ({@code (received_time, transaction_id) < (?, ?)}) rather than offsets, time ranges on
 * the partition key so that months outside the range are pruned, and the account filter of the
 * transaction history as a UNION ALL of a source-account and a destination-account branch, each
 * walking its own index in order (an OR of the two could only use a bitmap scan, which reads every
 * matching row before sorting).
 *
 * <p>Who may see what is the caller's business: these methods take the partner or account they are
 * asked for. Thread-safe; blocking (call it off the event loops).
 */
public final class PostgresHistory {

    private static final String TRANSACTION_COLUMNS =
            """
            partner_id, transaction_id, type, status, reason, reason_detail, source_account_id,
            destination_account_id, related_transaction_id, amount_minor, currency, event_time,
            received_time, decided_time, metadata::text, external_reference, held_amount_minor,
            held_time""";

    private static final String ENTRY_COLUMNS =
            """
            account_id, sequence, transaction_id, movement_type, direction, amount_minor, currency,
            balance_after_minor, counterparty_account_id, reversal, event_time, posted_time,
            metadata::text, external_reference""";

    private static final String ACCOUNT =
            "SELECT account_id, partner_id, currency FROM accounts WHERE account_id = ?";

    /** The last entry at or before a time: one backward index descent per month before it. */
    static final String BALANCE_AT =
            """
            SELECT balance_after_minor, sequence FROM ledger_entries
            WHERE account_id = ? AND posted_time <= ?
            ORDER BY posted_time DESC, sequence DESC LIMIT 1""";

    /** The last entry strictly before a time: a statement's opening balance. */
    static final String BALANCE_BEFORE =
            """
            SELECT balance_after_minor, sequence FROM ledger_entries
            WHERE account_id = ? AND posted_time < ?
            ORDER BY posted_time DESC, sequence DESC LIMIT 1""";

    /**
     * What HOLDs on the account had reserved at a time: held by then, and not yet released (still
     * HELD, or captured, voided or expired later). The partial index (source_account_id, held_time)
     * serves it; {@code received_time <= at} (a hold is received before it is held) prunes the
     * months after.
     */
    static final String HELD_AT =
            """
            SELECT coalesce(sum(held_amount_minor), 0) FROM transactions
            WHERE source_account_id = ? AND partner_id = ? AND type = 'HOLD'
              AND held_time IS NOT NULL AND held_time <= ? AND received_time <= ?
              AND (status = 'HELD' OR decided_time > ?)""";

    /** A statement's entries: one more than it may hold, to know when there are too many. */
    static final String STATEMENT_ENTRIES =
            "SELECT "
                    + ENTRY_COLUMNS
                    + " FROM ledger_entries WHERE account_id = ? AND posted_time >= ?"
                    + " AND posted_time < ? ORDER BY posted_time, sequence LIMIT ?";

    private final ReadModelConnections connections;

    public PostgresHistory(ReadModelConnections connections) {
        this.connections = connections;
    }

    /** The reconciliation's results (issue 17), over the same connections. */
    public PostgresReconciliation reconciliation() {
        return new PostgresReconciliation(connections);
    }

    /** The partner's settlement batches, newest period first (issue 17). */
    public java.util.List<io.ledgerflow.readmodel.settlement.PostgresSettlements.StoredBatch>
            settlementBatches(String partnerId, int limit) {
        return connections.run(
                c ->
                        io.ledgerflow.readmodel.settlement.PostgresSettlements.batches(
                                c, partnerId, limit));
    }

    /** One of the partner's settlement batches; empty when unknown or another partner's. */
    public java.util.Optional<io.ledgerflow.readmodel.settlement.PostgresSettlements.StoredBatch>
            settlementBatch(String partnerId, String batchId) {
        return connections.run(
                c ->
                        io.ledgerflow.readmodel.settlement.PostgresSettlements.stored(
                                c, partnerId, batchId));
    }

    /** An account whoever owns it; the caller decides whether the asker may see it. */
    public Optional<HistoryAccount> account(String accountId) {
        return connections.run(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(ACCOUNT)) {
                        ps.setString(1, accountId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next()
                                    ? Optional.of(
                                            new HistoryAccount(
                                                    rs.getString(1),
                                                    rs.getString(2),
                                                    rs.getString(3).trim()))
                                    : Optional.empty();
                        }
                    }
                });
    }

    /** A query and its parameters, in order. */
    record Query(String sql, List<Object> parameters) {}

    /** One page of a partner's transactions, newest first. */
    public Page<HistoryTransaction> transactions(TransactionFilter filter) {
        Query query = transactionsQuery(filter);
        return connections.run(
                c ->
                        page(
                                c,
                                query.sql(),
                                query.parameters(),
                                filter.limit(),
                                PostgresHistory::transaction));
    }

    static Query transactionsQuery(TransactionFilter filter) {
        List<Object> parameters = new ArrayList<>();
        if (filter.accountId() == null) {
            return new Query(transactionBranch(filter, null, parameters), parameters);
        }
        // Each branch is ordered and limited on its own index; the outer sort merges at most
        // 2 * (limit + 1) rows. A transaction names an account at most once (the API refuses
        // SAME_ACCOUNT), so the branches never hold the same row.
        String sql =
                "SELECT * FROM (("
                        + transactionBranch(filter, "source_account_id", parameters)
                        + ") UNION ALL ("
                        + transactionBranch(filter, "destination_account_id", parameters)
                        + ")) AS t ORDER BY received_time DESC, transaction_id DESC LIMIT ?";
        parameters.add(filter.limit() + 1);
        return new Query(sql, parameters);
    }

    private static String transactionBranch(
            TransactionFilter f, String accountColumn, List<Object> parameters) {
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(TRANSACTION_COLUMNS)
                        .append(" FROM transactions WHERE partner_id = ?");
        parameters.add(f.partnerId());
        if (accountColumn != null) {
            sql.append(" AND ").append(accountColumn).append(" = ?");
            parameters.add(f.accountId());
        }
        if (f.type() != null) {
            sql.append(" AND type = ?");
            parameters.add(f.type());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(f.status());
        }
        if (f.from() != null) {
            sql.append(" AND received_time >= ?");
            parameters.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND received_time < ?");
            parameters.add(f.to());
        }
        if (!f.metadata().isEmpty()) {
            // Containment of an object built from the parameters: served by the GIN index
            // (jsonb_path_ops), and no JSON is ever assembled from client text by hand.
            sql.append(" AND metadata @> jsonb_build_object(");
            boolean first = true;
            for (Map.Entry<String, String> pair : f.metadata().entrySet()) {
                sql.append(first ? "" : ", ").append("?::text, ?::text");
                parameters.add(pair.getKey());
                parameters.add(pair.getValue());
                first = false;
            }
            sql.append(")");
        }
        if (f.after() != null) {
            sql.append(" AND (received_time, transaction_id) < (?, ?)");
            parameters.add(f.after().receivedTime());
            parameters.add(f.after().transactionId());
        }
        sql.append(" ORDER BY received_time DESC, transaction_id DESC LIMIT ?");
        parameters.add(f.limit() + 1);
        return sql.toString();
    }

    /** One page of an account's entries in sequence order. */
    public Page<HistoryEntry> entries(EntryFilter filter) {
        Query query = entriesQuery(filter);
        return connections.run(
                c ->
                        page(
                                c,
                                query.sql(),
                                query.parameters(),
                                filter.limit(),
                                PostgresHistory::entry));
    }

    static Query entriesQuery(EntryFilter filter) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(ENTRY_COLUMNS)
                        .append(" FROM ledger_entries WHERE account_id = ?");
        parameters.add(filter.accountId());
        if (filter.from() != null) {
            sql.append(" AND posted_time >= ?");
            parameters.add(filter.from());
        }
        if (filter.to() != null) {
            sql.append(" AND posted_time < ?");
            parameters.add(filter.to());
        }
        if (filter.after() != null) {
            sql.append(" AND (posted_time, sequence) > (?, ?)");
            parameters.add(filter.after().postedTime());
            parameters.add(filter.after().sequence());
        }
        // Sequence order, written as the index's order (see EntryPosition).
        sql.append(" ORDER BY posted_time, sequence LIMIT ?");
        parameters.add(filter.limit() + 1);
        return new Query(sql.toString(), parameters);
    }

    /** The account's balance, held and available amounts as of {@code at}. */
    public BalanceAt balanceAt(HistoryAccount account, Instant at) {
        return connections.run(
                c ->
                        snapshot(
                                c,
                                () -> {
                                    Balance balance =
                                            balance(c, BALANCE_AT, account.accountId(), at);
                                    long held = heldAt(c, account, at);
                                    return new BalanceAt(
                                            at,
                                            balance.minor(),
                                            held,
                                            balance.minor().subtract(BigInteger.valueOf(held)),
                                            balance.sequence());
                                }));
    }

    /**
     * The account's statement over [from, to), read in one snapshot so that the opening balance,
     * the entries and the closing balance agree with each other.
     *
     * @throws StatementTooLargeException when more than {@code maxEntries} entries fall in range
     */
    public AccountStatement statement(
            HistoryAccount account, Instant from, Instant to, int maxEntries) {
        return connections.run(
                c ->
                        snapshot(
                                c,
                                () -> {
                                    BigInteger opening =
                                            balance(c, BALANCE_BEFORE, account.accountId(), from)
                                                    .minor();
                                    Page<HistoryEntry> entries =
                                            page(
                                                    c,
                                                    STATEMENT_ENTRIES,
                                                    List.of(
                                                            account.accountId(),
                                                            from,
                                                            to,
                                                            maxEntries + 1),
                                                    maxEntries,
                                                    PostgresHistory::entry);
                                    if (entries.more()) {
                                        throw new StatementTooLargeException(maxEntries);
                                    }
                                    BigInteger credits = BigInteger.ZERO;
                                    BigInteger debits = BigInteger.ZERO;
                                    for (HistoryEntry e : entries.items()) {
                                        BigInteger amount = BigInteger.valueOf(e.amountMinor());
                                        if (HistoryEntry.DEBIT.equals(e.direction())) {
                                            debits = debits.add(amount);
                                        } else {
                                            credits = credits.add(amount);
                                        }
                                    }
                                    BigInteger closing =
                                            entries.items().isEmpty()
                                                    ? opening
                                                    : entries.last().balanceAfterMinor();
                                    return new AccountStatement(
                                            account,
                                            from,
                                            to,
                                            opening,
                                            closing,
                                            credits,
                                            debits,
                                            entries.items());
                                }));
    }

    /** More entries in a statement's range than one answer holds. */
    public static final class StatementTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int maxEntries;

        StatementTooLargeException(int maxEntries) {
            super("more than " + maxEntries + " entries", null, false, false);
            this.maxEntries = maxEntries;
        }

        public int maxEntries() {
            return maxEntries;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private record Balance(BigInteger minor, long sequence) {}

    private static Balance balance(Connection c, String sql, String accountId, Instant time)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, accountId);
            ps.setObject(2, timestamp(time));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Balance(rs.getBigDecimal(1).toBigIntegerExact(), rs.getLong(2))
                        : new Balance(BigInteger.ZERO, 0);
            }
        }
    }

    private static long heldAt(Connection c, HistoryAccount account, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HELD_AT)) {
            ps.setString(1, account.accountId());
            ps.setString(2, account.partnerId());
            ps.setObject(3, timestamp(at));
            ps.setObject(4, timestamp(at));
            ps.setObject(5, timestamp(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private interface SnapshotWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs several queries in one REPEATABLE READ, read-only transaction: they see the same
     * committed rows, whatever the sinks job writes meanwhile.
     */
    private static <T> T snapshot(Connection c, SnapshotWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        boolean done = false;
        try {
            T result = work.run();
            c.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                c.rollback();
            }
            c.setAutoCommit(true);
            c.setReadOnly(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> Page<T> page(
            Connection c, String sql, List<Object> parameters, int limit, RowReader<T> reader)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object p = parameters.get(i);
                ps.setObject(i + 1, p instanceof Instant t ? timestamp(t) : p);
            }
            List<T> items = new ArrayList<>(Math.min(limit, 256));
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        more = true;
                        break;
                    }
                    items.add(reader.read(rs));
                }
            }
            return new Page<>(items, more);
        }
    }

    private static HistoryTransaction transaction(ResultSet rs) throws SQLException {
        return new HistoryTransaction(
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
                rs.getString(11).trim(),
                instant(rs, 12),
                instant(rs, 13),
                instant(rs, 14),
                rs.getString(15),
                rs.getString(16),
                rs.getObject(17, Long.class),
                instant(rs, 18));
    }

    private static HistoryEntry entry(ResultSet rs) throws SQLException {
        BigDecimal balance = rs.getBigDecimal(8);
        return new HistoryEntry(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getString(7).trim(),
                balance.toBigIntegerExact(),
                rs.getString(9),
                rs.getBoolean(10),
                instant(rs, 11),
                instant(rs, 12),
                rs.getString(13),
                rs.getString(14));
    }

    private static OffsetDateTime timestamp(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
