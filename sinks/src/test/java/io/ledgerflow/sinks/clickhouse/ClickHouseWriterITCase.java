package io.ledgerflow.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.sinks.aggregates.AggregateTables;
import io.ledgerflow.sinks.aggregates.WindowAggregate;
import io.ledgerflow.sinks.testutils.StoreRows;
import io.ledgerflow.sinks.testutils.WideRows;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ClickHouse writer against the real engine: rows go out in inserts of the configured size, a
 * checkpoint flush sends the rest, an outage is waited out with backoff, and a failure that cannot
 * heal fails at once.
 */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseWriterITCase {

    private static ClickHouseTarget target;

    @BeforeAll
    static void migrate(ClickHouseServer clickHouse) throws SQLException {
        target =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        "writer_it",
                        "default",
                        "");
        ClickHouseMigrations.apply(target);
    }

    @Test
    void insertsCarryTheConfiguredNumberOfRows() throws Exception {
        ClickHouseWriter<LedgerEntry> writer = writer(AnalyticsTables.LEDGER_ENTRIES, 10_000, 2);
        for (int i = 1; i < 10_000; i++) {
            writer.write(entry("batch", i), null);
        }
        assertThat(rows("batch")).as("below the batch size nothing is inserted").isZero();
        writer.write(entry("batch", 10_000), null);
        assertThat(rows("batch")).as("one insert of 10,000 rows").isEqualTo(10_000);
        for (int i = 10_001; i <= 12_500; i++) {
            writer.write(entry("batch", i), null);
        }
        assertThat(rows("batch")).isEqualTo(10_000);
        writer.flush(false); // what a checkpoint does
        assertThat(rows("batch")).isEqualTo(12_500);
        writer.close();
    }

    /**
     * Ids come from partners and upstream producers unrestricted: text that looks like JDBC escape
     * syntax ({@code {d '...'}}, {@code {fn ...}}) is data, stored as it came, not rewritten by the
     * driver (which inlines a batch's values into the SQL it would otherwise rewrite).
     */
    @Test
    void textThatLooksLikeJdbcEscapeSyntaxIsStoredVerbatim() throws Exception {
        String account = "acc {d '2026-01-01'} {fn ucase('x')} {ts '2026-01-01 00:00:00'}";
        ClickHouseWriter<LedgerEntry> writer = writer(AnalyticsTables.LEDGER_ENTRIES, 10, 2);
        writer.write(entry(account, 1), null);
        writer.flush(false);
        writer.close();
        try (Connection c = target.connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT account_id FROM ledger_entries FINAL"
                                            + " WHERE transaction_id = 't1' AND account_id LIKE 'acc {%'"))
                    .containsExactly(account);
        }
    }

    /**
     * Issue 12: a system account beyond the 64-bit range (its entry's balance after, its balance
     * history) and an aggregate hour whose sums pass Long.MAX_VALUE land exactly in the Decimal(38,
     * 0) columns, and the analyst query over balances reads them.
     */
    @Test
    void balancesAndSumsBeyond64BitsRoundTripExactly() throws Exception {
        ClickHouseWriter<LedgerEntry> entries = writer(AnalyticsTables.LEDGER_ENTRIES, 10, 2);
        entries.write(WideRows.systemEntry(1), null);
        entries.flush(false);
        entries.close();
        ClickHouseWriter<AccountState> balances = writer(AnalyticsTables.ACCOUNT_BALANCES, 10, 2);
        balances.write(WideRows.systemAccount(1), null);
        balances.flush(false);
        balances.close();
        ClickHouseWriter<WindowAggregate> aggregates =
                writer(AggregateTables.WINDOW_AGGREGATES, 10, 2);
        aggregates.write(WideRows.hour(), null);
        aggregates.flush(false);
        aggregates.close();

        String wide = WideRows.SYSTEM_BALANCE.toPlainString();
        String account = "'" + WideRows.SYSTEM_ACCOUNT + "'";
        try (Connection c = target.connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT toString(balance_after_minor) FROM ledger_entries FINAL"
                                            + " WHERE account_id = "
                                            + account))
                    .containsExactly(wide);
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT toString(balance_minor), held_minor,"
                                            + " toString(available_minor) FROM account_balances"
                                            + " FINAL WHERE account_id = "
                                            + account))
                    .containsExactly(wide + "|0|" + wide);
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT overdraft_limit_minor FROM account_balances FINAL"
                                            + " WHERE account_id = "
                                            + account))
                    .as("each version's overdraft limit, which may change")
                    .containsExactly("0");
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT movements, toString(total_minor),"
                                            + " toString(approved_minor), min_minor, max_minor"
                                            + " FROM window_aggregates FINAL"
                                            + " WHERE partner_id = 'p-wide'"))
                    .containsExactly(
                            "3|"
                                    + WideRows.HOUR_TOTAL
                                    + "|"
                                    + WideRows.HOUR_TOTAL
                                    + "|"
                                    + Long.MAX_VALUE
                                    + "|"
                                    + Long.MAX_VALUE);
            // The analyst query over balances reads the wide column as it is.
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT toString(balance_minor) FROM ("
                                            + AnalystQueries.BALANCES_OVER_TIME
                                                    .sql()
                                                    .replace(";", "")
                                            + ") WHERE account_id = "
                                            + account))
                    .containsExactly(wide);
        }
    }

    @Test
    void anOutageIsRetriedWithBackoffUntilTheServerIsBack(ClickHouseServer clickHouse)
            throws Exception {
        ClickHouseWriter<LedgerEntry> writer = writer(AnalyticsTables.LEDGER_ENTRIES, 1_000, 10);
        for (int i = 1; i < 1_000; i++) {
            writer.write(entry("outage", i), null);
        }
        clickHouse.stop();
        CompletableFuture<Void> back =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                Thread.sleep(3_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            clickHouse.start();
                        });
        long started = System.nanoTime();
        writer.write(entry("outage", 1_000), null); // the insert meets the outage and waits
        back.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThan(Duration.ofSeconds(2));
        assertThat(rows("outage")).isEqualTo(1_000);
        writer.close();
    }

    @Test
    void aFailureThatCannotHealIsNotRetried() throws Exception {
        ClickHouseTable<LedgerEntry> missingTable =
                new ClickHouseTable<>() {
                    @Override
                    public String insertSql() {
                        return AnalyticsTables.LEDGER_ENTRIES
                                .insertSql()
                                .replace("INTO ledger_entries", "INTO no_such_table");
                    }

                    @Override
                    public void bind(PreparedStatement ps, LedgerEntry record) throws SQLException {
                        AnalyticsTables.LEDGER_ENTRIES.bind(ps, record);
                    }
                };
        ClickHouseWriter<LedgerEntry> writer = writer(missingTable, 10, 10);
        for (int i = 1; i < 10; i++) {
            writer.write(entry("bad", i), null);
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> writer.write(entry("bad", 10), null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 0 retries");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        writer.close();
    }

    private static <T> ClickHouseWriter<T> writer(
            ClickHouseTable<T> table, int batchRows, int maxRetries) {
        return new ClickHouseWriter<>(
                target,
                table,
                batchRows,
                Duration.ofHours(1),
                new ClickHouseSink.Backoff(
                        maxRetries, Duration.ofMillis(100), Duration.ofSeconds(2)),
                new NoTimers(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private static long rows(String account) throws SQLException {
        try (Connection c = target.connect()) {
            return StoreRows.count(
                    c,
                    "SELECT count() FROM ledger_entries FINAL WHERE account_id = '"
                            + account
                            + "'");
        }
    }

    private static LedgerEntry entry(String account, long sequence) {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        return LedgerEntry.newBuilder()
                .setAccountId(account)
                .setSequence(sequence)
                .setTransactionId("t" + sequence)
                .setPartnerId("p1")
                .setMovementType(MovementType.DEPOSIT)
                .setDirection(EntryDirection.CREDIT)
                .setAmountMinor(1)
                .setCurrency("EUR")
                .setBalanceAfterMinor(sequence)
                .setCounterpartyAccountId("SYSTEM-EUR-0")
                .setEventTime(t)
                .setPostedTime(t)
                .setPreviousHash("0".repeat(64))
                .setHash("b".repeat(64))
                .build();
    }

    /** The flush interval is an hour here: the tests drive inserts by size and by flush. */
    private static final class NoTimers implements ProcessingTimeService {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    }
}
