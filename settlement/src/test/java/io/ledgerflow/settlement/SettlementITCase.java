package io.ledgerflow.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.settlement.BatchLine;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.PostgresSettlements;
import io.ledgerflow.readmodel.settlement.SettlementBatch;
import io.ledgerflow.readmodel.settlement.SettlementMovement;
import io.ledgerflow.readmodel.settlement.SettlementRules;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's proof for fees and settlement, on the real servers: the ledger and sinks jobs on a
 * MiniCluster, real Kafka, schema registry, PostgreSQL (and ClickHouse, which the sinks job
 * writes). A merchant's settlement account receives four transfers and a refund over two days; two
 * fee schedule versions apply within the first day. Settling day one gives exact fees (rounded
 * half-to-even, clamped), net and payout; the fee and payout are real ledger movements (the fee
 * lands in the platform's revenue account, the payout in the outside world); running the day again
 * and submitting its movements again posts nothing twice; a transfer of day one decided after day
 * one's batch goes into day two's batch as an adjustment.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class SettlementITCase {

    private static final String PREFIX = "it-settle-";
    private static final String PG_DATABASE = "settlement_it";
    private static final String CH_DATABASE = "ledgerflow_settlement";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private static final String MERCHANT = "merchant-1";
    private static final String CUSTOMER = "m1-customer";
    private static final String SETTLEMENT = "m1-settlement";
    private static final String PLATFORM = "platform";
    private static final String REVENUE = "platform-revenue-USD";

    /** Day one closes at 00:10 on day two (10 minutes' lateness); day two at 00:10 on day three. */
    private static final Instant DAY_ONE_CLOSED = Instant.parse("2026-12-02T00:10:00Z");

    private static final Instant DAY_TWO_CLOSED = Instant.parse("2026-12-03T00:10:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void settlesAPeriodExactlyOnceAndCarriesALateMovementIntoTheNextBatch(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("ledger").toUri().toString());
        String pgUrl = createDatabase(postgres);
        SinksConfig sinksConfig =
                SinksConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url(), PREFIX)
                        .withDatabases(
                                pgUrl,
                                PostgresServer.USER,
                                PostgresServer.PASSWORD,
                                "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                                CH_DATABASE)
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("sinks").toUri().toString());
        SettlementConfig settlementConfig =
                SettlementConfig.defaults()
                        .with(
                                kafka.bootstrapServers(),
                                PREFIX,
                                registry.url(),
                                pgUrl,
                                PostgresServer.USER,
                                PostgresServer.PASSWORD)
                        .withClickHouse(
                                "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(), CH_DATABASE);
        LedgerKafka topics = new LedgerKafka(ledgerConfig);
        topics.createTopics(2);
        SinksJob sinksJob = new SinksJob(sinksConfig);
        sinksJob.migrateStores();
        StreamExecutionEnvironment sinksEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        sinksEnv.configure(SinksJob.clusterConfiguration(sinksConfig));
        JobClient sinks = sinksJob.start(sinksEnv);
        StreamExecutionEnvironment ledgerEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        ledgerEnv.configure(LedgerJob.clusterConfiguration(ledgerConfig));
        JobClient ledgerJob = new LedgerJob(ledgerConfig).start(ledgerEnv);
        SettlementRun settlement = new SettlementRun(settlementConfig);
        try (Connection pg =
                        DriverManager.getConnection(
                                pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                LedgerMovements ledger =
                        new LedgerMovements(settlementConfig.kafka(), registry.url());
                LedgerKafka.TopicReader<TransactionResult> results =
                        topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class)) {
            pg.setAutoCommit(false);
            // Fee schedule: v1 from January, v2 from day one 12:00.
            PostgresSettlements.addFeeSchedule(
                    pg,
                    MERCHANT,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    List.of(
                            new FeeRule("TRANSFER", "USD", 290, 30, null, null),
                            new FeeRule("REFUND", "USD", 0, 15, null, null)),
                    "it");
            PostgresSettlements.addFeeSchedule(
                    pg,
                    MERCHANT,
                    Instant.parse("2026-12-01T12:00:00Z"),
                    List.of(
                            new FeeRule("TRANSFER", "USD", 150, 0, 20L, 100L),
                            new FeeRule("REFUND", "USD", 0, 25, null, null)),
                    "it");
            pg.commit();

            topics.produce(
                    List.of(
                            open(MERCHANT, CUSTOMER, AccountType.CUSTOMER),
                            open(MERCHANT, SETTLEMENT, AccountType.SETTLEMENT),
                            open(PLATFORM, REVENUE, AccountType.BUSINESS)));
            topics.produce(List.of(deposit("d1", CUSTOMER, 1_000_000, "2026-11-30T08:00:00Z")));
            awaitResults(results, List.of("d1"));
            topics.produce(
                    List.of(
                            transfer("t1", 10_005, "2026-12-01T09:00:00Z"),
                            transfer("t2", 1_005, "2026-12-01T13:00:00Z"),
                            transfer("t3", 50_000, "2026-12-01T14:00:00Z"),
                            transfer("t4", 1_000, "2026-12-02T10:00:00Z")));
            awaitResults(results, List.of("t1", "t2", "t3", "t4"));
            topics.produce(List.of(refund("r1", "t3", 2_000, "2026-12-01T15:00:00Z")));
            awaitResults(results, List.of("r1"));
            awaitCount(
                    pg,
                    "SELECT count(*) FROM ledger_entries WHERE account_id = '" + SETTLEMENT + "'",
                    5);

            // Day one closes.
            SettlementRun.Outcome first = settlement.run(pg, ledger, DAY_ONE_CLOSED);
            assertThat(first.written()).hasSize(1);
            SettlementBatch dayOne = first.written().get(0);
            assertThat(dayOne.period().start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(dayOne.period().end()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
            assertThat(dayOne.entries())
                    .extracting(e -> e.posting().transactionId())
                    .containsExactly("t1", "t2", "t3", "r1");
            // t1 (v1): 10005 * 2.9 % = 290.145 -> 290, + 30 = 320
            // t2 (v2): 1005 * 1.5 % = 15.075 -> 15, below the minimum -> 20
            // t3 (v2): 50000 * 1.5 % = 750, above the maximum -> 100
            // r1 (v2): fixed 25
            assertThat(dayOne.entries())
                    .extracting(e -> e.feeMinor())
                    .containsExactly(320L, 20L, 100L, 25L);
            assertThat(dayOne.lines())
                    .containsExactly(
                            new BatchLine("CREDIT", "TRANSFER", false, 3, 61_010, 440),
                            new BatchLine("DEBIT", "REFUND", false, 1, 2_000, 25));
            assertThat(dayOne.creditsMinor()).isEqualTo(61_010);
            assertThat(dayOne.refundCount()).isEqualTo(1);
            assertThat(dayOne.refundsMinor()).isEqualTo(2_000);
            assertThat(dayOne.feesMinor()).isEqualTo(465);
            assertThat(dayOne.netPayableMinor()).isEqualTo(58_545); // 61010 - 2000 - 465
            assertThat(dayOne.payoutMinor()).isEqualTo(58_545);
            assertThat(first.submitted()).isEqualTo(3);
            assertThat(first.copied()).as("copied to ClickHouse").isEqualTo(1);

            // What is stored is what was computed, and its hash is the hash of what is stored.
            PostgresSettlements.StoredBatch stored =
                    PostgresSettlements.stored(pg, MERCHANT, dayOne.batchId()).orElseThrow();
            pg.commit();
            assertThat(stored.storedHash()).isEqualTo(dayOne.contentHash());
            assertThat(stored.batch().contentHash()).isEqualTo(dayOne.contentHash());
            // And the same hash follows from the ledger's own entries, recomputed independently.
            assertThat(recomputedFromLedgerEntries(pg, dayOne).contentHash())
                    .isEqualTo(dayOne.contentHash());

            // Immutable: the store refuses to change or remove a batch.
            for (String change :
                    List.of(
                            "UPDATE settlement_batches SET fees_minor = 0",
                            "DELETE FROM settlement_batch_entries",
                            "UPDATE settlement_batch_lines SET gross_minor = 1")) {
                try (Statement s = pg.createStatement()) {
                    assertThatThrownBy(() -> s.executeUpdate(change))
                            .as(change)
                            .hasMessageContaining("settlement batches are immutable");
                }
                pg.rollback();
            }

            // Running the period again writes nothing; submitting its movements again is dropped.
            SettlementRun.Outcome again = settlement.run(pg, ledger, DAY_ONE_CLOSED);
            assertThat(again.written()).isEmpty();
            assertThat(again.copied()).isZero();
            ledger.submit(
                    SettlementMovement.of(dayOne, PLATFORM, REVENUE),
                    DAY_ONE_CLOSED.plusSeconds(1));
            List<String> dayOneIds =
                    List.of(
                            dayOne.feeTransactionId(),
                            dayOne.revenueTransactionId(),
                            dayOne.payoutTransactionId());
            awaitResults(results, dayOneIds);
            awaitCount(
                    pg,
                    "SELECT count(*) FROM transactions WHERE transaction_id LIKE '"
                            + dayOne.batchId()
                            + "%'",
                    3);
            assertThat(settlement.run(pg, ledger, DAY_ONE_CLOSED).submitted()).isZero();

            // A late transfer of day one, decided after day one's batch.
            topics.produce(List.of(transfer("t5", 3_000, "2026-12-01T16:00:00Z")));
            awaitResults(results, List.of("t5"));
            awaitCount(pg, "SELECT count(*) FROM ledger_entries WHERE transaction_id = 't5'", 2);

            SettlementRun.Outcome second = settlement.run(pg, ledger, DAY_TWO_CLOSED);
            assertThat(second.written()).hasSize(1);
            SettlementBatch dayTwo = second.written().get(0);
            assertThat(dayTwo.period().start()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
            assertThat(dayTwo.entries())
                    .extracting(e -> e.posting().transactionId() + ":" + e.adjustment())
                    .containsExactly("t4:false", "t5:true");
            // t4 (v2): 15 -> minimum 20; t5 (v2): 3000 * 1.5 % = 45
            assertThat(dayTwo.lines())
                    .containsExactly(
                            new BatchLine("CREDIT", "TRANSFER", false, 1, 1_000, 20),
                            new BatchLine("CREDIT", "TRANSFER", true, 1, 3_000, 45));
            assertThat(dayTwo.adjustmentCount()).isEqualTo(1);
            assertThat(dayTwo.netPayableMinor()).isEqualTo(3_935); // 4000 - 65
            // The day-one movements are the settlement's own, never settled themselves.
            assertThat(dayTwo.entries())
                    .noneMatch(e -> e.posting().transactionId().startsWith("stl-"));
            awaitResults(
                    results,
                    List.of(
                            dayTwo.feeTransactionId(),
                            dayTwo.revenueTransactionId(),
                            dayTwo.payoutTransactionId()));

            // The ledger: one result per settlement movement, all completed, and the money where
            // it belongs.
            Map<String, List<String>> statuses =
                    results.records().stream()
                            .filter(r -> r.getTransactionId().startsWith("stl-"))
                            .collect(
                                    Collectors.groupingBy(
                                            TransactionResult::getTransactionId,
                                            Collectors.mapping(
                                                    r -> r.getStatus().name(),
                                                    Collectors.toList())));
            assertThat(statuses)
                    .hasSize(6)
                    .allSatisfy((id, s) -> assertThat(s).containsExactly("COMPLETED"));
            awaitCount(
                    pg, "SELECT count(*) FROM transactions WHERE transaction_id LIKE 'stl-%'", 6);
            awaitValue(
                    pg,
                    "SELECT balance_minor FROM accounts WHERE account_id = '" + SETTLEMENT + "'",
                    0);
            assertThat(
                            value(
                                    pg,
                                    "SELECT balance_minor FROM accounts WHERE account_id = '"
                                            + REVENUE
                                            + "'"))
                    .isEqualTo(465 + 65);
            assertThat(
                            value(
                                    pg,
                                    "SELECT count(*) FROM ledger_entries WHERE account_id = '"
                                            + SETTLEMENT
                                            + "' AND movement_type = 'WITHDRAWAL'"))
                    .isEqualTo(4); // a fee and a payout per batch, once each
            assertThat(
                            value(
                                    pg,
                                    "SELECT amount_minor FROM ledger_entries WHERE transaction_id = '"
                                            + dayOne.payoutTransactionId()
                                            + "'"))
                    .isEqualTo(58_545);
        } finally {
            FlinkJobs.cancelAndWait(ledgerJob);
            FlinkJobs.cancelAndWait(sinks);
        }
    }

    /** Day one's batch made again from the read model's ledger_entries rows of its postings. */
    private static SettlementBatch recomputedFromLedgerEntries(Connection pg, SettlementBatch b)
            throws SQLException {
        List<io.ledgerflow.readmodel.settlement.SettledPosting> postings = new ArrayList<>();
        try (PreparedStatement s =
                pg.prepareStatement(
                        "SELECT account_id, sequence, transaction_id, movement_type, direction,"
                                + " amount_minor, reversal, event_time, posted_time, hash FROM"
                                + " ledger_entries WHERE account_id = ? AND transaction_id IN"
                                + " ('t1', 't2', 't3', 'r1')")) {
            s.setString(1, SETTLEMENT);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    postings.add(
                            new io.ledgerflow.readmodel.settlement.SettledPosting(
                                    r.getString(1),
                                    r.getLong(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getLong(6),
                                    r.getBoolean(7),
                                    r.getTimestamp(8).toInstant(),
                                    r.getTimestamp(9).toInstant(),
                                    r.getString(10)));
                }
            }
        }
        SettlementBatch again =
                SettlementRules.batch(
                        MERCHANT,
                        "USD",
                        SETTLEMENT,
                        b.period(),
                        b.closedAt(),
                        postings,
                        PostgresSettlements.feeSchedules(pg, MERCHANT),
                        0);
        pg.commit();
        return again;
    }

    private static LedgerRequest open(String partner, String account, AccountType type) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("open-" + account)
                        .setPartnerId(partner)
                        .setAccountId(account)
                        .setType(AccountCommandType.OPEN)
                        .setCurrency("USD")
                        .setAccountType(type)
                        .setOverdraftLimitMinor(0L)
                        .setEventTime(Instant.parse("2026-11-30T00:00:00Z"))
                        .setReceivedTime(Instant.now())
                        .build());
    }

    private static MoneyMovement.Builder movement(
            String id, MovementType type, long amount, String eventTime) {
        return MoneyMovement.newBuilder()
                .setTransactionId(id)
                .setPartnerId(MERCHANT)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency("USD")
                .setEventTime(Instant.parse(eventTime))
                .setReceivedTime(Instant.now());
    }

    private static LedgerRequest deposit(String id, String account, long amount, String at) {
        return new LedgerRequest(
                movement(id, MovementType.DEPOSIT, amount, at)
                        .setDestinationAccountId(account)
                        .build());
    }

    private static LedgerRequest transfer(String id, long amount, String at) {
        return new LedgerRequest(
                movement(id, MovementType.TRANSFER, amount, at)
                        .setSourceAccountId(CUSTOMER)
                        .setDestinationAccountId(SETTLEMENT)
                        .build());
    }

    private static LedgerRequest refund(String id, String of, long amount, String at) {
        return new LedgerRequest(
                movement(id, MovementType.REFUND, amount, at)
                        .setSourceAccountId(SETTLEMENT)
                        .setDestinationAccountId(CUSTOMER)
                        .setRelatedTransactionId(of)
                        .build());
    }

    private static void awaitResults(
            LedgerKafka.TopicReader<TransactionResult> results, List<String> ids) {
        Predicate<List<TransactionResult>> done =
                rs ->
                        rs.stream()
                                .map(TransactionResult::getTransactionId)
                                .collect(Collectors.toSet())
                                .containsAll(ids);
        List<TransactionResult> read = results.readUntil(done, PATIENCE);
        assertThat(done.test(read)).as("results of %s", ids).isTrue();
        for (TransactionResult r : read) {
            if (ids.contains(r.getTransactionId())) {
                assertThat(r.getStatus().name())
                        .as("%s: %s", r.getTransactionId(), r.getReasonDetail())
                        .isEqualTo("COMPLETED");
            }
        }
    }

    private static long value(Connection pg, String sql) throws SQLException {
        try (Statement s = pg.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            long v = r.next() ? r.getLong(1) : Long.MIN_VALUE;
            pg.commit();
            return v;
        }
    }

    private static void awaitCount(Connection pg, String sql, long expected) throws Exception {
        awaitValue(pg, sql, expected);
    }

    private static void awaitValue(Connection pg, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long last = Long.MIN_VALUE;
        while (System.nanoTime() < deadline) {
            last = value(pg, sql);
            if (last == expected) {
                return;
            }
            Thread.sleep(300);
        }
        assertThat(last).as(sql).isEqualTo(expected);
    }

    private static String createDatabase(PostgresServer postgres) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE);
            s.execute("CREATE DATABASE " + PG_DATABASE);
        }
        return postgres.jdbcUrl(PG_DATABASE);
    }
}
