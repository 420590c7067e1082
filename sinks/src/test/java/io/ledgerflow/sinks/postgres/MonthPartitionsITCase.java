package io.ledgerflow.sinks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Migration V9's monthly partitions of {@code transactions} and {@code ledger_entries}, against
 * real PostgreSQL: rows written before V9 survive it, in their months; a month created later takes
 * its rows out of the default partition; the sinks' upserts stay exact with the partition key in
 * their conflict targets; months are kept ahead of the clock, and retention drops whole months.
 */
@ExtendWith(PostgresExtension.class)
class MonthPartitionsITCase {

    /**
     * Three years back: older than the months V9 creates, so it starts in the default partition.
     */
    private static final Instant OLD = Instant.parse("2023-06-15T08:00:00Z");

    private static final Instant RECENT = Instant.now().minusSeconds(3600);

    private static String url;

    @BeforeAll
    static void migrateWithRowsWrittenBeforeV9(PostgresServer postgres) throws SQLException {
        url = StoreRows.createDatabase(postgres, "partitions_it");
        Flyway.configure()
                .dataSource(url, PostgresServer.USER, PostgresServer.PASSWORD)
                .locations(PostgresMigrations.LOCATION)
                .target("8")
                .load()
                .migrate();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            // The V8 layout: written as the sinks did before V9.
            for (Instant t : List.of(OLD, RECENT)) {
                String at = "'" + t + "'";
                s.execute(
                        "INSERT INTO transactions (partner_id, transaction_id, type, status,"
                                + " status_rank, amount_minor, currency, event_time, received_time,"
                                + " decided_time) VALUES ('p1', 'tx-"
                                + t.getEpochSecond()
                                + "', 'DEPOSIT', 'COMPLETED', 1, 100, 'EUR', "
                                + at
                                + ", "
                                + at
                                + ", "
                                + at
                                + ")");
                s.execute(
                        "INSERT INTO ledger_entries (account_id, sequence, transaction_id,"
                                + " partner_id, movement_type, direction, amount_minor, currency,"
                                + " balance_after_minor, counterparty_account_id, reversal,"
                                + " event_time, posted_time, previous_hash, hash, hash_format)"
                                + " VALUES ('acc-old', "
                                + (t == OLD ? 1 : 2)
                                + ", 'tx-"
                                + t.getEpochSecond()
                                + "', 'p1', 'DEPOSIT', 'CREDIT', 100, 'EUR', "
                                + (t == OLD ? 100 : 200)
                                + ", 'SYSTEM-EUR-0', false, "
                                + at
                                + ", "
                                + at
                                + ", '"
                                + "0".repeat(64)
                                + "', '"
                                + "a".repeat(64)
                                + "', 2)");
            }
        }
        assertThat(PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD))
                .as("V9 and later on a database with rows")
                .isPositive();
    }

    @Test
    void rowsWrittenBeforeV9SurviveItAndAMonthCreatedLaterTakesItsRowsFromTheDefault()
            throws SQLException {
        try (Connection c = connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT sequence, balance_after_minor, hash_format,"
                                            + " tableoid::regclass FROM ledger_entries"
                                            + " WHERE account_id = 'acc-old' ORDER BY sequence"))
                    .containsExactly(
                            "1|100|2|ledger_entries_default",
                            "2|200|2|" + month("ledger_entries", RECENT));
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT transaction_id, tableoid::regclass FROM transactions"
                                            + " WHERE transaction_id = 'tx-"
                                            + RECENT.getEpochSecond()
                                            + "'"))
                    .containsExactly(
                            "tx-" + RECENT.getEpochSecond() + "|" + month("transactions", RECENT));

            // A month created later takes its rows out of the default partition.
            StoreRows.query(
                    c,
                    "SELECT ledgerflow_ensure_month_partitions('ledger_entries', DATE '"
                            + OLD.atZone(ZoneOffset.UTC).toLocalDate()
                            + "', 1)");
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT sequence, tableoid::regclass FROM ledger_entries"
                                            + " WHERE account_id = 'acc-old' AND sequence = 1"))
                    .containsExactly("1|" + month("ledger_entries", OLD));
            assertThat(StoreRows.query(c, "SELECT count(*) FROM ledger_entries_default"))
                    .containsExactly("0");
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT ledgerflow_ensure_month_partitions('ledger_entries',"
                                            + " DATE '"
                                            + OLD.atZone(ZoneOffset.UTC).toLocalDate()
                                            + "', 1)"))
                    .as("run again: nothing to create")
                    .containsExactly("0");
        }
    }

    @Test
    void aHoldsLaterStatusUpdatesItsRowAndKeepsWhatWasHeld() throws SQLException {
        TransactionResult held = hold(TransactionStatus.HELD, 500, RECENT);
        // A partial capture: the result carries the captured amount and when the hold was released.
        TransactionResult captured = hold(TransactionStatus.CAPTURED, 300, RECENT.plusSeconds(90));
        write(
                ReadModelStatements.UPSERT_TRANSACTION,
                ReadModelStatements::bindTransaction,
                List.of(held, captured, held));
        try (Connection c = connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT status, amount_minor, held_amount_minor,"
                                            + " held_time = received_time, decided_time > held_time"
                                            + " FROM transactions WHERE transaction_id = 'hold-1'"))
                    .as("one row: the terminal status, what was held and when")
                    .containsExactly("CAPTURED|300|500|t|t");
        }
    }

    @Test
    void aReplayedEntryIsANoOp() throws SQLException {
        LedgerEntry entry = entry(RECENT);
        write(
                ReadModelStatements.INSERT_LEDGER_ENTRY,
                ReadModelStatements::bindLedgerEntry,
                List.of(entry, entry));
        write(
                ReadModelStatements.INSERT_LEDGER_ENTRY,
                ReadModelStatements::bindLedgerEntry,
                List.of(entry));
        try (Connection c = connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT count(*) FROM ledger_entries WHERE account_id ="
                                            + " 'acc-replay'"))
                    .containsExactly("1");
        }
    }

    @Test
    void theSinksKeepMonthsAheadOfTheClockAndRetentionDropsWholeMonths() throws SQLException {
        MonthPartitions partitions =
                new MonthPartitions(
                        new PostgresSettings(
                                url, PostgresServer.USER, Secret.of(PostgresServer.PASSWORD)));
        assertThat(partitions.maintain()).as("V9 already created them").isZero();
        YearMonth last = YearMonth.now(ZoneOffset.UTC).plusMonths(MonthPartitions.MONTHS_AHEAD);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT to_regclass('"
                                            + month("ledger_entries", last)
                                            + "') IS NOT NULL, to_regclass('"
                                            + month("transactions", last)
                                            + "') IS NOT NULL"))
                    .containsExactly("t|t");
            s.execute(
                    "SELECT ledgerflow_ensure_month_partitions('transactions', DATE '2020-01-01',"
                            + " 2)");
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT ledgerflow_drop_months_before('transactions', DATE"
                                            + " '2020-02-10')"))
                    .as("only the months entirely before the date")
                    .containsExactly("transactions_y2020m01");
            assertThat(
                            StoreRows.query(
                                    c, "SELECT to_regclass('transactions_y2020m02') IS NOT NULL"))
                    .containsExactly("t");
        }
    }

    private static String month(String table, Instant t) {
        return month(table, YearMonth.from(t.atZone(ZoneOffset.UTC)));
    }

    private static String month(String table, YearMonth m) {
        return "%s_y%04dm%02d".formatted(table, m.getYear(), m.getMonthValue());
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private static <T> void write(String sql, Binder<T> binder, List<T> rows) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static TransactionResult hold(TransactionStatus status, long amount, Instant decided) {
        return TransactionResult.newBuilder()
                .setTransactionId("hold-1")
                .setPartnerId("p1")
                .setType(MovementType.HOLD)
                .setStatus(status)
                .setSourceAccountId("acc-held")
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setEventTime(RECENT)
                .setReceivedTime(RECENT)
                .setDecisionTime(decided)
                .build();
    }

    private static LedgerEntry entry(Instant t) {
        return LedgerEntry.newBuilder()
                .setAccountId("acc-replay")
                .setSequence(1)
                .setTransactionId("t1")
                .setPartnerId("p1")
                .setMovementType(MovementType.DEPOSIT)
                .setDirection(EntryDirection.CREDIT)
                .setAmountMinor(5)
                .setCurrency("EUR")
                .setBalanceAfterMinor(5)
                .setCounterpartyAccountId("SYSTEM-EUR-0")
                .setEventTime(t)
                .setPostedTime(t)
                .setPreviousHash("0".repeat(64))
                .setHash("a".repeat(64))
                .build();
    }
}
