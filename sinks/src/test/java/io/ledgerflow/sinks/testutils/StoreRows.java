package io.ledgerflow.sinks.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.columns.LedgerColumns;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Rows as comparable text, from the ledger's committed Kafka outputs (what the stores must hold)
 * and from the stores (what they hold). Every row is one line of {@code |}-separated fields, so a
 * mismatch shows as a readable diff and a doubled row as a repeated line.
 */
public final class StoreRows {

    private StoreRows() {}

    /** A new, empty PostgreSQL database (dropped first if a previous run left it); its URL. */
    public static String createDatabase(PostgresServer postgres, String name) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.jdbcUrl(name);
    }

    /**
     * The sinks job's settings for a test against the real servers: the ledger's topics under
     * {@code prefix}, a new PostgreSQL database {@code pgDatabase} ({@link #createDatabase}), the
     * ClickHouse database {@code chDatabase}, checkpoints every {@code checkpointInterval} under
     * {@code checkpointDirectory}.
     */
    public static SinksConfig sinksConfig(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse,
            String prefix,
            String pgDatabase,
            String chDatabase,
            Duration checkpointInterval,
            String checkpointDirectory)
            throws SQLException {
        String pgUrl = createDatabase(postgres, pgDatabase);
        return SinksConfig.defaults()
                .withKafka(kafka.bootstrapServers(), registry.url(), prefix)
                .withDatabases(
                        pgUrl,
                        PostgresServer.USER,
                        PostgresServer.PASSWORD,
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        chDatabase)
                .withCheckpoints(checkpointInterval, checkpointDirectory);
    }

    /**
     * Empties the job's stores and migrates them from scratch: the ClickHouse database left by a
     * previous run dropped (the PostgreSQL one is new: {@link #createDatabase}), then both migrated
     * as the job's {@code main} does.
     */
    public static void freshStores(SinksJob job, String clickHouseDatabase) throws SQLException {
        try (Connection ch = job.clickHouseTarget().connectToServer();
                Statement s = ch.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + clickHouseDatabase);
        }
        job.migrateStores();
    }

    /**
     * Polls {@code actual} until it holds exactly {@code expected} (any order, repeats counted),
     * then asserts it, so a failure shows the last rows read. A store that is not ready yet (tables
     * missing, a transient error) is read again.
     */
    public static void awaitRows(
            String what, List<String> expected, Callable<List<String>> actual, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> want = new ArrayList<>(expected);
        want.sort(null);
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            try {
                rows = new ArrayList<>(actual.call());
                rows.sort(null);
                if (rows.equals(want)) {
                    break;
                }
            } catch (SQLException e) {
                // Not there yet: try again.
            }
            Thread.sleep(300);
        }
        assertThat(rows).as(what).containsExactlyElementsOf(want);
    }

    /** The latest state of every account (highest version). */
    public static List<String> latestAccounts(Collection<AccountState> states) {
        Map<String, AccountState> latest = new HashMap<>();
        for (AccountState s : states) {
            latest.merge(s.getAccountId(), s, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }
        List<String> rows = new ArrayList<>();
        for (AccountState s : latest.values()) {
            rows.add(
                    String.join(
                            "|",
                            s.getAccountId(),
                            s.getPartnerId(),
                            s.getStatus().name(),
                            exact(s.getWideBalance(), s.getBalanceMinor()),
                            "" + s.getHeldMinor(),
                            exact(LedgerColumns.wideAvailable(s), s.getAvailableMinor()),
                            "" + s.getVersion(),
                            "" + s.getLastSequence()));
        }
        return rows;
    }

    /** Every version of every account: the balance history. */
    public static List<String> balanceHistory(Collection<AccountState> states) {
        List<String> rows = new ArrayList<>();
        for (AccountState s : states) {
            rows.add(
                    String.join(
                            "|",
                            s.getAccountId(),
                            "" + s.getVersion(),
                            s.getStatus().name(),
                            exact(s.getWideBalance(), s.getBalanceMinor()),
                            "" + s.getHeldMinor()));
        }
        return rows;
    }

    /** The latest status of every transaction: its terminal one, or HELD for an open hold. */
    public static List<String> latestTransactions(Collection<TransactionResult> results) {
        Map<String, TransactionResult> latest = new HashMap<>();
        for (TransactionResult r : results) {
            latest.merge(
                    r.getPartnerId() + "/" + r.getTransactionId(),
                    r,
                    (a, b) -> a.getStatus() != TransactionStatus.HELD ? a : b);
        }
        List<String> rows = new ArrayList<>();
        for (TransactionResult r : latest.values()) {
            rows.add(
                    String.join(
                            "|",
                            r.getPartnerId(),
                            r.getTransactionId(),
                            r.getType().name(),
                            r.getStatus().name(),
                            r.getReason() == null ? "" : r.getReason().name(),
                            "" + r.getAmountMinor(),
                            r.getCurrency()));
        }
        return rows;
    }

    /** Each entry's hash input format, as PostgreSQL keeps it beside the hash. */
    public static List<String> entryHashFormats(Collection<LedgerEntry> entries) {
        List<String> rows = new ArrayList<>();
        for (LedgerEntry e : entries) {
            rows.add(e.getAccountId() + "|" + e.getSequence() + "|" + e.getHashFormat());
        }
        return rows;
    }

    public static List<String> entries(Collection<LedgerEntry> entries) {
        List<String> rows = new ArrayList<>();
        for (LedgerEntry e : entries) {
            rows.add(
                    String.join(
                            "|",
                            e.getAccountId(),
                            "" + e.getSequence(),
                            e.getTransactionId(),
                            e.getDirection().name(),
                            "" + e.getAmountMinor(),
                            exact(e.getWideBalanceAfter(), e.getBalanceAfterMinor()),
                            e.getHash()));
        }
        return rows;
    }

    /** A balance as the stores hold it: the exact wide value when the ledger gave one. */
    public static String exact(BigDecimal wide, long minor) {
        return wide == null ? Long.toString(minor) : wide.toPlainString();
    }

    /** Runs a query and joins each row's columns with {@code |}; NULL becomes empty. */
    public static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (i > 1) {
                        row.append('|');
                    }
                    String value = rs.getString(i);
                    row.append(value == null ? "" : value.strip());
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    public static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@link #awaitRows(String, List, Callable, Duration)} for up to two minutes. */
    public static void awaitRows(String what, List<String> expected, Callable<List<String>> actual)
            throws Exception {
        awaitRows(what, expected, actual, Duration.ofMinutes(2));
    }
}
