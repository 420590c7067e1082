package io.ledgerflow.readmodel.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every history query's plan on a read model of a few hundred thousand rows over eleven months (the
 * migrations' layout, monthly partitions, statistics up to date): no query reads a whole populated
 * partition (no sequential scan of a table holding rows), with the values bound (the first
 * executions' custom plans) and as the generic plan a prepared statement may switch to. Plans, not
 * timings: what the query does is what scales, and plans are stable on a shared machine.
 */
@ExtendWith(PostgresExtension.class)
class PostgresHistoryPlansITCase {

    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\S+)");

    /** A sequential scan of a table this small (an empty default partition) reads nothing. */
    private static final long SMALL_TABLE_ROWS = 1_000;

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static Connection connection;

    @BeforeAll
    static void seed(PostgresServer postgres) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS history_plans_it WITH (FORCE)");
            s.execute("CREATE DATABASE history_plans_it");
        }
        String url = postgres.jdbcUrl("history_plans_it");
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
        connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try (Statement s = connection.createStatement()) {
            // 1,000 accounts of 50 partners.
            s.execute(
                    """
                    INSERT INTO accounts (account_id, partner_id, currency, account_type, status,
                        balance_minor, held_minor, available_minor, overdraft_limit_minor,
                        last_sequence, version, cause_id, updated_time)
                    SELECT 'acc-' || g, 'p-' || (g % 50), 'USD', 'CUSTOMER', 'OPEN', 0, 0, 0, 0,
                        0, 1, 'open', now()
                    FROM generate_series(0, 999) AS g
                    """);
            // 300,000 transactions over ~330 days, one every 95 s; every 7th a hold.
            s.execute(
                    """
                    INSERT INTO transactions (partner_id, transaction_id, type, status, status_rank,
                        source_account_id, destination_account_id, amount_minor, currency,
                        event_time, received_time, decided_time, metadata, held_amount_minor,
                        held_time)
                    SELECT 'p-' || (g % 1000 % 50), 't-' || g,
                        CASE WHEN g % 7 = 0 THEN 'HOLD' ELSE 'TRANSFER' END,
                        CASE WHEN g % 7 = 0 AND g % 2 = 0 THEN 'HELD' ELSE 'COMPLETED' END,
                        CASE WHEN g % 7 = 0 AND g % 2 = 0 THEN 0 ELSE 1 END,
                        'acc-' || (g % 1000), 'acc-' || ((g * 7 + 3) % 1000), 100 + g % 900,
                        'USD', ts, ts, ts + interval '5 ms',
                        jsonb_build_object('order', 'o-' || (g % 5000), 'channel', 'web'),
                        CASE WHEN g % 7 = 0 THEN 100 + g % 900 END,
                        CASE WHEN g % 7 = 0 THEN ts + interval '5 ms' END
                    FROM generate_series(0, 299999) AS g,
                        LATERAL (SELECT now() - g * interval '95 seconds' AS ts) AS t
                    """);
            // 400,000 entries of 500 accounts, gap-free sequences, posted in sequence order.
            s.execute(
                    """
                    INSERT INTO ledger_entries (account_id, sequence, transaction_id, partner_id,
                        movement_type, direction, amount_minor, currency, balance_after_minor,
                        counterparty_account_id, reversal, event_time, posted_time,
                        previous_hash, hash, hash_format)
                    SELECT 'acc-' || (g % 500), g / 500 + 1, 'e-' || g, 'p-' || (g % 500 % 50),
                        'DEPOSIT', 'CREDIT', 100, 'USD', (g / 500 + 1) * 100, 'world', false,
                        ts, ts, repeat('0', 64), repeat('1', 64), 2
                    FROM generate_series(0, 399999) AS g,
                        LATERAL (SELECT now() - interval '330 days' + g * interval '71 seconds'
                            AS ts) AS t
                    """);
            s.execute("ANALYZE");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    /** A query shape the history routes run, with realistic values. */
    record Shape(String name, String sql, List<Object> parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Shape shape(String name, PostgresHistory.Query query) {
        return new Shape(name, query.sql(), query.parameters());
    }

    private static TransactionFilter history(
            String account,
            String type,
            String status,
            Instant from,
            Instant to,
            Map<String, String> metadata,
            TransactionPosition after) {
        return new TransactionFilter("p-17", account, type, status, from, to, metadata, 100, after);
    }

    static List<Shape> shapes() {
        Instant monthAgo = NOW.minus(Duration.ofDays(30));
        Instant twoMonthsAgo = NOW.minus(Duration.ofDays(60));
        TransactionPosition deep =
                new TransactionPosition(NOW.minus(Duration.ofDays(200)), "t-12345");
        EntryPosition entryDeep = new EntryPosition(NOW.minus(Duration.ofDays(100)), 250);
        Map<String, String> none = Map.of();
        List<Shape> shapes = new ArrayList<>();
        shapes.add(
                shape(
                        "partner history, first page",
                        PostgresHistory.transactionsQuery(
                                history(null, null, null, null, null, none, null))));
        shapes.add(
                shape(
                        "partner history, a deep page",
                        PostgresHistory.transactionsQuery(
                                history(null, null, null, null, null, none, deep))));
        shapes.add(
                shape(
                        "partner history in a month",
                        PostgresHistory.transactionsQuery(
                                history(null, null, null, twoMonthsAgo, monthAgo, none, null))));
        shapes.add(
                shape(
                        "partner history by type and status",
                        PostgresHistory.transactionsQuery(
                                history(null, "HOLD", "HELD", null, null, none, null))));
        shapes.add(
                shape(
                        "partner history by metadata",
                        PostgresHistory.transactionsQuery(
                                history(
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        Map.of("order", "o-17"),
                                        null))));
        shapes.add(
                shape(
                        "account history, first page",
                        PostgresHistory.transactionsQuery(
                                history("acc-17", null, null, null, null, none, null))));
        shapes.add(
                shape(
                        "account history, a deep page in a range",
                        PostgresHistory.transactionsQuery(
                                history(
                                        "acc-17",
                                        null,
                                        null,
                                        NOW.minus(Duration.ofDays(300)),
                                        monthAgo,
                                        none,
                                        deep))));
        shapes.add(
                shape(
                        "entries, first page",
                        PostgresHistory.entriesQuery(
                                new EntryFilter("acc-42", null, null, 100, null))));
        shapes.add(
                shape(
                        "entries in a month, a later page",
                        PostgresHistory.entriesQuery(
                                new EntryFilter(
                                        "acc-42", twoMonthsAgo, monthAgo, 100, entryDeep))));
        shapes.add(
                new Shape(
                        "balance at a time",
                        PostgresHistory.BALANCE_AT,
                        List.of("acc-42", NOW.minus(Duration.ofDays(90)))));
        shapes.add(
                new Shape(
                        "opening balance of a statement",
                        PostgresHistory.BALANCE_BEFORE,
                        List.of("acc-42", monthAgo)));
        shapes.add(
                new Shape(
                        "held at a time",
                        PostgresHistory.HELD_AT,
                        List.of("acc-17", "p-17", monthAgo, monthAgo, monthAgo)));
        shapes.add(
                new Shape(
                        "a month's statement",
                        PostgresHistory.STATEMENT_ENTRIES,
                        List.of("acc-42", twoMonthsAgo, monthAgo, 10_001)));
        return shapes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void readsNoWholePartition(Shape shape) throws SQLException {
        assertNoWholePartition(shape, "the values bound", explainBound(shape));
        assertNoWholePartition(shape, "generic plan", explainGeneric(shape));
    }

    private static void assertNoWholePartition(Shape shape, String mode, String plan)
            throws SQLException {
        // Kept in the test's output file (surefire-reports/*-output.txt) for reading.
        System.out.printf("---- %s (%s)%n%s", shape, mode, plan);
        assertThat(plan).contains("Index");
        Matcher seqScans = SEQ_SCAN.matcher(plan);
        while (seqScans.find()) {
            assertThat(rows(seqScans.group(1)))
                    .as("%s (%s) scans %s whole:%n%s", shape, mode, seqScans.group(1), plan)
                    .isLessThan(SMALL_TABLE_ROWS);
        }
    }

    /** The plan with the values known, as for the first executions of a statement. */
    private static String explainBound(Shape shape) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + shape.sql())) {
            for (int i = 0; i < shape.parameters().size(); i++) {
                ps.setObject(i + 1, jdbc(shape.parameters().get(i)));
            }
            return plan(ps);
        }
    }

    /**
     * The generic plan, which a server-side prepared statement may switch to after five executions:
     * partitions then can only be pruned at run time, and no value steers the choice of index.
     */
    private static String explainGeneric(Shape shape) throws SQLException {
        StringBuilder sql = new StringBuilder();
        int n = 0;
        for (char c : shape.sql().toCharArray()) {
            if (c == '?') {
                sql.append('$').append(++n);
            } else {
                sql.append(c);
            }
        }
        List<String> values = new ArrayList<>();
        for (Object p : shape.parameters()) {
            values.add(
                    p instanceof Instant t
                            ? "'" + t + "'::timestamptz"
                            : p instanceof String text ? "'" + text + "'" : String.valueOf(p));
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DEALLOCATE ALL");
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE shape AS " + sql);
            try (PreparedStatement ps =
                    connection.prepareStatement(
                            "EXPLAIN EXECUTE shape(" + String.join(", ", values) + ")")) {
                return plan(ps);
            } finally {
                s.execute("DEALLOCATE shape");
                s.execute("RESET plan_cache_mode");
            }
        }
    }

    private static Object jdbc(Object p) {
        return p instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : p;
    }

    private static String plan(PreparedStatement ps) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static long rows(String table) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT reltuples::bigint FROM pg_class WHERE relname = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("table " + table).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
