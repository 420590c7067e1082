package io.ledgerflow.sinks.postgres;

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
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.AccountView;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.readmodel.PostgresReadModel;
import io.ledgerflow.readmodel.ReadModelConnections;
import io.ledgerflow.readmodel.TransactionView;
import io.ledgerflow.sinks.aggregates.AggregateStatements;
import io.ledgerflow.sinks.aggregates.WindowAggregate;
import io.ledgerflow.sinks.testutils.StoreRows;
import io.ledgerflow.sinks.testutils.WideRows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read model's migrations, its idempotent write statements (replays and out-of-order rows never
 * move a row backwards) and the lookups the ingest API makes, against real PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class PostgresReadModelITCase {

    private static String url;

    @BeforeAll
    static void migrate(PostgresServer postgres) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS read_model_it");
            s.execute("CREATE DATABASE read_model_it");
        }
        url = postgres.jdbcUrl("read_model_it");
        assertThat(PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD))
                .as("migrations on a new database")
                .isPositive();
        assertThat(PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD))
                .as("migrations applied again")
                .isZero();
    }

    @Test
    void anAccountNeverMovesBackToAnOlderVersion() throws SQLException {
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(account("acc-1", 1, 100), account("acc-1", 3, 300)));
        // A replay of older versions, in a later batch, and one out of order within a batch.
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(account("acc-1", 2, 200), account("acc-1", 1, 100)));
        try (PostgresReadModel model = model()) {
            AccountView view = model.account("p1", "acc-1").orElseThrow();
            assertThat(view.version()).isEqualTo(3);
            assertThat(view.balanceMinor()).isEqualTo(300);
            assertThat(view.availableMinor()).isEqualTo(290);
            assertThat(model.account("p2", "acc-1")).as("another partner's account").isEmpty();
            assertThat(model.account("p1", "nope")).isEmpty();
        }
    }

    /**
     * Issue 14: a changed overdraft limit arrives as a new version of the account (cause: the
     * SET_OVERDRAFT_LIMIT command) and replaces the limit; a replay of the version before does not
     * bring the old limit back.
     */
    @Test
    void aChangedOverdraftLimitReplacesTheOldOneAndNeverGoesBack() throws SQLException {
        AccountState opened = account("acc-limit", 1, 100);
        AccountState raised =
                AccountState.newBuilder(account("acc-limit", 2, 100))
                        .setOverdraftLimitMinor(50_000)
                        .setCauseId("cmd-set-limit")
                        .build();
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(opened, raised));
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(opened));
        try (PostgresReadModel model = model()) {
            AccountView view = model.account("p1", "acc-limit").orElseThrow();
            assertThat(view.overdraftLimitMinor()).isEqualTo(50_000);
            assertThat(view.version()).isEqualTo(2);
        }
    }

    /**
     * Issue 18: early figures of an open hour are replaced by the closed row at the same version,
     * and an open row never replaces a closed one (a restore can emit one again).
     */
    @Test
    void aClosedWindowsRowReplacesItsEarlyFiguresAndNeverTheOtherWayRound() throws SQLException {
        WindowAggregate closed = WideRows.hour();
        closed.figures.partnerId = "p-early";
        WindowAggregate early = WideRows.hour();
        early.figures.partnerId = "p-early";
        early.open = true;
        String row = "SELECT open, version FROM window_aggregates WHERE partner_id = 'p-early'";
        write(
                AggregateStatements.UPSERT_WINDOW_AGGREGATE,
                AggregateStatements::bindWindowAggregate,
                List.of(early));
        try (Connection c = connect()) {
            assertThat(StoreRows.query(c, row)).containsExactly("t|3");
        }
        write(
                AggregateStatements.UPSERT_WINDOW_AGGREGATE,
                AggregateStatements::bindWindowAggregate,
                List.of(closed, early));
        try (Connection c = connect()) {
            assertThat(StoreRows.query(c, row)).containsExactly("f|3");
        }
    }

    /**
     * Issue 12: a system account beyond the 64-bit range (balance, available and the balance after
     * its entry) and an aggregate hour whose sums pass Long.MAX_VALUE land exactly in the
     * numeric(38,0) columns; the API's lookup reads the account saturated instead of failing.
     */
    @Test
    void balancesAndSumsBeyond64BitsRoundTripExactly() throws SQLException {
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(WideRows.systemAccount(1)));
        write(
                ReadModelStatements.INSERT_LEDGER_ENTRY,
                ReadModelStatements::bindLedgerEntry,
                List.of(WideRows.systemEntry(1)));
        write(
                AggregateStatements.UPSERT_WINDOW_AGGREGATE,
                AggregateStatements::bindWindowAggregate,
                List.of(WideRows.hour()));
        String wide = WideRows.SYSTEM_BALANCE.toPlainString();
        try (Connection c = connect()) {
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT balance_minor, held_minor, available_minor FROM accounts"
                                            + " WHERE account_id = '"
                                            + WideRows.SYSTEM_ACCOUNT
                                            + "'"))
                    .containsExactly(wide + "|0|" + wide);
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT balance_after_minor FROM ledger_entries"
                                            + " WHERE account_id = '"
                                            + WideRows.SYSTEM_ACCOUNT
                                            + "'"))
                    .containsExactly(wide);
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT movements, total_minor, approved_minor, min_minor,"
                                            + " max_minor FROM window_aggregates"
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
            // Sums over the wide columns stay exact in SQL too (what the checker relies on).
            assertThat(
                            StoreRows.query(
                                    c,
                                    "SELECT sum(balance_minor) + sum(balance_minor) FROM accounts"
                                            + " WHERE account_id = '"
                                            + WideRows.SYSTEM_ACCOUNT
                                            + "'"))
                    .containsExactly(
                            WideRows.SYSTEM_BALANCE
                                    .multiply(BigDecimal.valueOf(2))
                                    .toPlainString());
        }
        try (PostgresReadModel model = model()) {
            AccountView view = model.account(WideRows.SYSTEM_ACCOUNT).orElseThrow();
            assertThat(view.balanceMinor()).isEqualTo(Long.MIN_VALUE);
            assertThat(view.availableMinor()).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void aTerminalStatusNeverGoesBackToHeld() throws SQLException {
        write(
                ReadModelStatements.UPSERT_TRANSACTION,
                ReadModelStatements::bindTransaction,
                List.of(hold("h-1", TransactionStatus.HELD, null)));
        write(
                ReadModelStatements.UPSERT_TRANSACTION,
                ReadModelStatements::bindTransaction,
                List.of(hold("h-1", TransactionStatus.EXPIRED, ReasonCode.HOLD_EXPIRED)));
        try (PostgresReadModel model = model()) {
            Instant firstDurable = model.transaction("p1", "h-1").orElseThrow().durableTime();
            // The replay after a restart: HELD and the terminal status again.
            write(
                    ReadModelStatements.UPSERT_TRANSACTION,
                    ReadModelStatements::bindTransaction,
                    List.of(
                            hold("h-1", TransactionStatus.HELD, null),
                            hold("h-1", TransactionStatus.EXPIRED, ReasonCode.HOLD_EXPIRED)));
            TransactionView view = model.transaction("p1", "h-1").orElseThrow();
            assertThat(view.status()).isEqualTo("EXPIRED");
            assertThat(view.reason()).isEqualTo("HOLD_EXPIRED");
            assertThat(view.terminal()).isTrue();
            assertThat(view.durableTime())
                    .as("a replay is not a new write")
                    .isEqualTo(firstDurable);
            assertThat(model.transaction("p2", "h-1")).isEmpty();
        }
    }

    @Test
    void aLedgerEntryIsWrittenOnce() throws SQLException {
        LedgerEntry entry = entry("acc-9", 1);
        write(
                ReadModelStatements.INSERT_LEDGER_ENTRY,
                ReadModelStatements::bindLedgerEntry,
                List.of(entry, entry));
        write(
                ReadModelStatements.INSERT_LEDGER_ENTRY,
                ReadModelStatements::bindLedgerEntry,
                List.of(entry, entry("acc-9", 2)));
        try (Connection c = connect();
                Statement s = c.createStatement();
                var rs =
                        s.executeQuery(
                                "SELECT count(*) FROM ledger_entries WHERE account_id = 'acc-9'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void lookupsRecoverAfterTheDatabaseRestarts(PostgresServer postgres) throws SQLException {
        write(
                ReadModelStatements.UPSERT_ACCOUNT,
                ReadModelStatements::bindAccount,
                List.of(account("acc-r", 1, 10)));
        try (PostgresReadModel model = model()) {
            assertThat(model.account("p1", "acc-r")).isPresent();
            postgres.restart();
            // The first lookup on a pooled connection may meet the old socket; later ones
            // reconnect.
            for (int i = 0; i < 8; i++) {
                try {
                    model.account("p1", "acc-r");
                } catch (ReadModelConnections.ReadModelUnavailableException expected) {
                    // Dropped connection, replaced on the next call.
                }
            }
            assertThat(model.account("p1", "acc-r")).isPresent();
        }
    }

    private static PostgresReadModel model() {
        return new PostgresReadModel(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T record) throws SQLException;
    }

    /** One JDBC batch, as the Flink JDBC sink sends it. */
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

    private static AccountState account(String id, long version, long balance) {
        return AccountState.newBuilder()
                .setAccountId(id)
                .setPartnerId("p1")
                .setCurrency("EUR")
                .setAccountType(AccountType.CUSTOMER)
                .setStatus(AccountStatus.OPEN)
                .setBalanceMinor(balance)
                .setHeldMinor(10)
                .setAvailableMinor(balance - 10)
                .setOverdraftLimitMinor(0)
                .setLastSequence(version)
                .setVersion(version)
                .setCauseId("c" + version)
                .setUpdatedTime(Instant.parse("2026-11-21T10:00:00Z").plusSeconds(version))
                .build();
    }

    private static TransactionResult hold(String id, TransactionStatus status, ReasonCode reason) {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        return TransactionResult.newBuilder()
                .setTransactionId(id)
                .setPartnerId("p1")
                .setType(MovementType.HOLD)
                .setStatus(status)
                .setReason(reason)
                .setSourceAccountId("acc-1")
                .setAmountMinor(50)
                .setCurrency("EUR")
                .setEventTime(t)
                .setReceivedTime(t)
                .setDecisionTime(status == TransactionStatus.HELD ? t : t.plusSeconds(60))
                .build();
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
                .setAmountMinor(5)
                .setCurrency("EUR")
                .setBalanceAfterMinor(5 * sequence)
                .setCounterpartyAccountId("SYSTEM-EUR-0")
                .setEventTime(t)
                .setPostedTime(t)
                .setPreviousHash("0".repeat(64))
                .setHash("a".repeat(64))
                .build();
    }
}
