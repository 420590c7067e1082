package io.ledgerflow.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.EntryDirection;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each analyst query file against the real ClickHouse engine, over a small hand-made data set with
 * exact expected figures. The data is inserted twice in part (a replay, in its own insert and so
 * its own part), with a hold's HELD row next to its terminal one: the figures prove the queries
 * count every transaction, posting and balance version once.
 */
@ExtendWith(ClickHouseExtension.class)
class AnalystQueriesITCase {

    private static ClickHouseTarget target;

    @BeforeAll
    static void loadKnownData(ClickHouseServer clickHouse) throws SQLException {
        target =
                new ClickHouseTarget(
                        "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                        "analyst_queries_it",
                        "default",
                        "");
        try (Connection c = target.connectToServer()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS analyst_queries_it");
        }
        assertThat(ClickHouseMigrations.apply(target))
                .as("migrations on a new database")
                .isPositive();
        assertThat(ClickHouseMigrations.apply(target)).as("migrations applied again").isZero();

        List<TransactionResult> transactions =
                List.of(
                        tx(
                                "t1",
                                MovementType.TRANSFER,
                                TransactionStatus.COMPLETED,
                                null,
                                1000,
                                "EUR",
                                "10:00:05"),
                        tx(
                                "t2",
                                MovementType.DEPOSIT,
                                TransactionStatus.COMPLETED,
                                null,
                                2500,
                                "EUR",
                                "10:00:30"),
                        tx(
                                "t3",
                                MovementType.WITHDRAWAL,
                                TransactionStatus.COMPLETED,
                                null,
                                700,
                                "USD",
                                "10:00:40"),
                        tx(
                                "t4",
                                MovementType.TRANSFER,
                                TransactionStatus.REJECTED,
                                ReasonCode.INSUFFICIENT_FUNDS,
                                300,
                                "EUR",
                                "10:00:50"),
                        tx(
                                "t5",
                                MovementType.HOLD,
                                TransactionStatus.HELD,
                                null,
                                400,
                                "EUR",
                                "10:01:10"),
                        tx(
                                "t6",
                                MovementType.TRANSFER,
                                TransactionStatus.COMPLETED,
                                null,
                                200,
                                "EUR",
                                "10:01:20"),
                        tx(
                                "t7",
                                MovementType.TRANSFER,
                                TransactionStatus.REJECTED,
                                ReasonCode.ACCOUNT_NOT_FOUND,
                                50,
                                "USD",
                                "10:01:30"),
                        tx(
                                "t8",
                                MovementType.TRANSFER,
                                TransactionStatus.REJECTED,
                                ReasonCode.INSUFFICIENT_FUNDS,
                                80,
                                "EUR",
                                "10:01:40"));
        List<TransactionResult> replayedTransactions =
                List.of(
                        transactions.get(0),
                        transactions.get(1),
                        transactions.get(5),
                        tx(
                                "t5",
                                MovementType.HOLD,
                                TransactionStatus.EXPIRED,
                                ReasonCode.HOLD_EXPIRED,
                                400,
                                "EUR",
                                "10:01:10"),
                        transactions.get(4));
        List<LedgerEntry> entries =
                List.of(
                        entry("a1", 1, EntryDirection.CREDIT, false, 5000),
                        entry("a1", 2, EntryDirection.DEBIT, false, 1000),
                        entry("a1", 3, EntryDirection.DEBIT, false, 200),
                        entry("a1", 4, EntryDirection.DEBIT, false, 300),
                        entry("a1", 5, EntryDirection.CREDIT, true, 300),
                        entry("a2", 1, EntryDirection.CREDIT, false, 1000),
                        entry("a2", 2, EntryDirection.DEBIT, false, 700),
                        entry("a3", 1, EntryDirection.DEBIT, false, 50),
                        entry("SYSTEM-EUR-0", 1, EntryDirection.DEBIT, false, 5000));
        List<LedgerEntry> replayedEntries = List.of(entries.get(1), entries.get(6));
        List<AccountState> balances =
                List.of(
                        state("a1", 1, 5000, 0, "10:00:01"),
                        state("a1", 2, 4000, 0, "10:00:05"),
                        state("a1", 3, 3800, 400, "10:01:20"),
                        state("a1", 4, 3500, 0, "10:01:50"),
                        state("a2", 1, 1000, 0, "10:00:05"),
                        state("a2", 2, 300, 0, "10:02:00"));
        List<AccountState> replayedBalances = List.of(balances.get(1), balances.get(3));

        try (Connection c = target.connect()) {
            insert(c, AnalyticsTables.TRANSACTIONS, transactions);
            insert(c, AnalyticsTables.TRANSACTIONS, replayedTransactions);
            insert(c, AnalyticsTables.LEDGER_ENTRIES, entries);
            insert(c, AnalyticsTables.LEDGER_ENTRIES, replayedEntries);
            insert(c, AnalyticsTables.ACCOUNT_BALANCES, balances);
            insert(c, AnalyticsTables.ACCOUNT_BALANCES, replayedBalances);
            // More rows than transactions: replays are stored, and only the queries dedupe them.
            // (Not an exact figure: optimize_on_insert already collapses t5's two rows inside
            // the second insert.)
            assertThat(StoreRows.count(c, "SELECT count() FROM transactions"))
                    .as("rows stored, replays included")
                    .isGreaterThan(transactions.size());
        }
    }

    @Test
    void volumeAndValuePerMinutePerCurrency() throws SQLException {
        assertThat(run(AnalystQueries.VOLUME_AND_VALUE_PER_MINUTE))
                .containsExactly(
                        "2026-11-21 10:00:00|EUR|2|3500",
                        "2026-11-21 10:00:00|USD|1|700",
                        "2026-11-21 10:01:00|EUR|1|200");
    }

    @Test
    void rejectionRateByReason() throws SQLException {
        // 8 decided: t1, t2, t3, t6 completed, t5 expired, t4 and t8 short of funds, t7 unknown.
        assertThat(run(AnalystQueries.REJECTION_RATE_BY_REASON))
                .containsExactly("INSUFFICIENT_FUNDS|2|8|0.25", "ACCOUNT_NOT_FOUND|1|8|0.125");
    }

    @Test
    void topAccountsByOutflow() throws SQLException {
        // a1: debits 1000 + 200 + 300, less the 300 reversal; system accounts are not listed.
        assertThat(run(AnalystQueries.TOP_ACCOUNTS_BY_OUTFLOW))
                .containsExactly("a1|EUR|1200", "a2|EUR|700", "a3|EUR|50");
    }

    @Test
    void balancesOverTime() throws SQLException {
        assertThat(run(AnalystQueries.BALANCES_OVER_TIME))
                .containsExactly(
                        "a1|2026-11-21 10:00:00|4000|0",
                        "a1|2026-11-21 10:01:00|3500|0",
                        "a2|2026-11-21 10:00:00|1000|0",
                        "a2|2026-11-21 10:02:00|300|0");
    }

    private static List<String> run(AnalystQueries query) throws SQLException {
        try (Connection c = target.connect()) {
            // Times as text in a fixed format, whatever the driver's own rendering of DateTime.
            return StoreRows.query(
                    c,
                    "SELECT * REPLACE (formatDateTime(minute, '%Y-%m-%d %H:%i:%S') AS minute) FROM ("
                            + query.sql()
                            + ")");
        }
    }

    private static <T> void insert(Connection c, ClickHouseTable<T> table, List<T> rows)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(table.insertSql())) {
            for (T row : rows) {
                table.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-21T" + time + "Z");
    }

    private static TransactionResult tx(
            String id,
            MovementType type,
            TransactionStatus status,
            ReasonCode reason,
            long amount,
            String currency,
            String time) {
        return TransactionResult.newBuilder()
                .setTransactionId(id)
                .setPartnerId("p1")
                .setType(type)
                .setStatus(status)
                .setReason(reason)
                .setSourceAccountId("a1")
                .setDestinationAccountId("a2")
                .setAmountMinor(amount)
                .setCurrency(currency)
                .setEventTime(at(time))
                .setReceivedTime(at(time))
                .setDecisionTime(at(time))
                .build();
    }

    private static LedgerEntry entry(
            String account,
            long sequence,
            EntryDirection direction,
            boolean reversal,
            long amount) {
        return LedgerEntry.newBuilder()
                .setAccountId(account)
                .setSequence(sequence)
                .setTransactionId("t-" + account + "-" + sequence)
                .setPartnerId("p1")
                .setMovementType(MovementType.TRANSFER)
                .setDirection(direction)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setBalanceAfterMinor(0)
                .setCounterpartyAccountId("x")
                .setReversal(reversal)
                .setEventTime(at("10:00:00"))
                .setPostedTime(at("10:00:00"))
                .setPreviousHash("0".repeat(64))
                .setHash(Long.toHexString(sequence).repeat(64).substring(0, 64))
                .build();
    }

    private static AccountState state(
            String account, long version, long balance, long held, String time) {
        return AccountState.newBuilder()
                .setAccountId(account)
                .setPartnerId("p1")
                .setCurrency("EUR")
                .setAccountType(AccountType.CUSTOMER)
                .setStatus(AccountStatus.OPEN)
                .setBalanceMinor(balance)
                .setHeldMinor(held)
                .setAvailableMinor(balance - held)
                .setOverdraftLimitMinor(0)
                .setLastSequence(version)
                .setVersion(version)
                .setCauseId("c" + version)
                .setUpdatedTime(at(time))
                .build();
    }
}
