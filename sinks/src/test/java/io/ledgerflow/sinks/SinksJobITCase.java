package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.flink.testutils.Restarts;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.sinks.clickhouse.ClickHouseMigrations;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ledger job and the sinks job on one MiniCluster, against real Kafka, registry,
 * PostgreSQL and ClickHouse. While movements stream in, a TaskManager is killed, PostgreSQL is
 * stopped and started again, ClickHouse likewise, and a TaskManager is killed once more. When
 * everything has caught up, both stores must equal what the ledger committed to Kafka, row by row:
 * nothing lost, nothing doubled, nothing moved backwards.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class SinksJobITCase {

    private static final String PREFIX = "it-sinks-";
    private static final String PG_DATABASE = "sinks_it";
    private static final String CH_DATABASE = "ledgerflow";
    private static final int GARBAGE = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            // Two TaskManagers; one alone fits both jobs (2 slots each): a kill, or a TaskManager
            // lost to a fatal task error, never starves a job.
            MiniClusters.of(2, 4, Restarts.fixedDelay(Restarts.FOREVER, Duration.ofMillis(500)));

    @TempDir Path checkpoints;

    @Test
    void storesEqualCommittedLedgerOutputsAfterTaskManagerKillsAndDatabaseOutages(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse,
            @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("ledger").toUri().toString());
        SinksConfig sinksConfig =
                StoreRows.sinksConfig(
                        kafka,
                        registry,
                        postgres,
                        clickHouse,
                        PREFIX,
                        PG_DATABASE,
                        CH_DATABASE,
                        Duration.ofMillis(1000),
                        checkpoints.resolve("sinks").toUri().toString());
        String pgUrl = sinksConfig.postgres().url();
        SinksJob sinksJob = new SinksJob(sinksConfig);

        // Migrations on start; a second application is a no-op.
        sinksJob.migrateStores();
        assertThat(PostgresMigrations.apply(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD))
                .as("PostgreSQL migrations applied again")
                .isZero();
        assertThat(ClickHouseMigrations.apply(sinksJob.clickHouseTarget()))
                .as("ClickHouse migrations applied again")
                .isZero();

        LedgerTopics topics = new LedgerTopics(ledgerConfig);
        topics.createTopics(2);
        LedgerWorkload workload = LedgerWorkload.generate(11, 60, 2_400);
        List<List<LedgerRequest>> slices = slices(workload.movements, 4);
        // Undecodable records on the fraud-rules topic, the sinks' one input topic (operators
        // publish rules there): dead letters, and the job keeps running. The ledger reads the
        // topic too and dead-letters them on its own, so they reach the read model twice: once
        // through the ledger's dead-letter topic, once as the sinks' own dead letter. (Garbage on
        // the ledger's outputs stops the job instead: UnreadableLedgerOutputITCase.)
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < GARBAGE; i++) {
            garbage.add(("not avro " + i).getBytes(StandardCharsets.UTF_8));
        }
        topics.produceGarbage(Topics.FRAUD_RULES, 0, garbage);

        StreamExecutionEnvironment ledgerEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        ledgerEnv.configure(LedgerJob.clusterConfiguration(ledgerConfig));
        JobClient ledger = new LedgerJob(ledgerConfig).start(ledgerEnv);
        StreamExecutionEnvironment sinksEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        sinksEnv.configure(SinksJob.clusterConfiguration(sinksConfig));
        JobClient sinks = sinksJob.start(sinksEnv);
        try {
            topics.produce(workload.setup);

            topics.produce(slices.get(0));
            Thread.sleep(3_000);
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            topics.produce(slices.get(1));
            Thread.sleep(2_000);
            postgres.stop();
            Thread.sleep(5_000);
            postgres.start();

            topics.produce(slices.get(2));
            Thread.sleep(2_000);
            clickHouse.stop();
            Thread.sleep(5_000);
            clickHouse.start();

            topics.produce(slices.get(3));
            Thread.sleep(2_000);
            // Index 1: an original TaskManager, alive whether or not the cluster lists dead ones.
            cluster.terminateTaskManager(1).get();
            cluster.startTaskManager();

            awaitLedgerCaughtUp(topics, workload.transactionIds, Duration.ofMinutes(4));
            List<TransactionResult> results =
                    topics.readCommitted(Topics.TRANSACTION_RESULTS, TransactionResult.class);
            List<LedgerEntry> entries =
                    topics.readCommitted(Topics.LEDGER_ENTRIES, LedgerEntry.class);
            List<AccountState> states =
                    topics.readCommitted(Topics.ACCOUNT_STATES, AccountState.class);
            List<AccountCommandResult> commandResults =
                    topics.readCommitted(
                            Topics.ACCOUNT_COMMAND_RESULTS, AccountCommandResult.class);
            List<DeadLetter> deadLetters =
                    topics.readCommitted(Topics.DEAD_LETTERS, DeadLetter.class);
            assertThat(results)
                    .extracting(TransactionResult::getStatus)
                    .as("the run covers holds that end after HELD")
                    .contains(TransactionStatus.HELD, TransactionStatus.EXPIRED);

            try (Connection pg =
                    DriverManager.getConnection(
                            pgUrl, PostgresServer.USER, PostgresServer.PASSWORD)) {
                assertEventually(
                        "PostgreSQL accounts",
                        StoreRows.latestAccounts(states),
                        () ->
                                StoreRows.query(
                                        pg,
                                        "SELECT account_id, partner_id, status, balance_minor,"
                                                + " held_minor, available_minor, version,"
                                                + " last_sequence FROM accounts"));
                assertEventually(
                        "PostgreSQL transactions",
                        StoreRows.latestTransactions(results),
                        () ->
                                StoreRows.query(
                                        pg,
                                        "SELECT partner_id, transaction_id, type, status,"
                                                + " reason, amount_minor, currency"
                                                + " FROM transactions"));
                assertEventually(
                        "PostgreSQL ledger entries",
                        StoreRows.entries(entries),
                        () ->
                                StoreRows.query(
                                        pg,
                                        "SELECT account_id, sequence, transaction_id, direction,"
                                                + " amount_minor, balance_after_minor, hash"
                                                + " FROM ledger_entries"));
                // The hash format travels with the hash, so a chain can be re-verified from here.
                assertEventually(
                        "PostgreSQL ledger entry hash formats",
                        StoreRows.entryHashFormats(entries),
                        () ->
                                StoreRows.query(
                                        pg,
                                        "SELECT account_id, sequence, hash_format"
                                                + " FROM ledger_entries"));
                assertEventually(
                        "PostgreSQL account command results",
                        commandResults.stream()
                                .map(c -> c.getPartnerId() + "|" + c.getCommandId())
                                .distinct()
                                .toList(),
                        () ->
                                StoreRows.query(
                                        pg,
                                        "SELECT partner_id, command_id"
                                                + " FROM account_command_results"));
                assertEventually(
                        "PostgreSQL dead letters (the ledger's and the sinks' own for the garbage)",
                        deadLetterReasons(deadLetters),
                        () -> StoreRows.query(pg, "SELECT reason FROM dead_letters"));
                assertThat(
                                StoreRows.count(
                                        pg,
                                        "SELECT count(*) FROM transactions"
                                                + " WHERE durable_time < decided_time"
                                                + " - interval '1 second'"))
                        .as("durable (written) no earlier than decided")
                        .isZero();
            }

            try (Connection ch = sinksJob.clickHouseTarget().connect()) {
                assertEventually(
                        "ClickHouse transactions",
                        StoreRows.latestTransactions(results),
                        () ->
                                StoreRows.query(
                                        ch,
                                        "SELECT partner_id, transaction_id, type, status,"
                                                + " reason, amount_minor, currency"
                                                + " FROM transactions FINAL"));
                assertEventually(
                        "ClickHouse ledger entries",
                        StoreRows.entries(entries),
                        () ->
                                StoreRows.query(
                                        ch,
                                        "SELECT account_id, sequence, transaction_id, direction,"
                                                + " amount_minor, balance_after_minor, hash"
                                                + " FROM ledger_entries FINAL"));
                assertEventually(
                        "ClickHouse balance history",
                        StoreRows.balanceHistory(states),
                        () ->
                                StoreRows.query(
                                        ch,
                                        "SELECT account_id, version, status, balance_minor,"
                                                + " held_minor FROM account_balances FINAL"));
            }
        } finally {
            FlinkJobs.cancelAndWait(sinks);
            FlinkJobs.cancelAndWait(ledger);
        }
    }

    private static List<String> deadLetterReasons(List<DeadLetter> ledgerDeadLetters) {
        List<String> reasons = new ArrayList<>();
        ledgerDeadLetters.forEach(d -> reasons.add(d.getReason()));
        for (int i = 0; i < GARBAGE; i++) {
            reasons.add("NOT_CONFLUENT_AVRO");
        }
        return reasons;
    }

    /**
     * Polls the store until it holds exactly {@code expected} (same rows, same multiplicity), then
     * asserts it; the assertion message on timeout is the row diff.
     */
    private static void assertEventually(
            String what, List<String> expected, Callable<List<String>> actual) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<String> rows = List.of();
        List<String> want = new ArrayList<>(expected);
        want.sort(null);
        while (System.nanoTime() < deadline) {
            try {
                rows = new ArrayList<>(actual.call());
                rows.sort(null);
                if (rows.equals(want)) {
                    break;
                }
            } catch (SQLException e) {
                // The store is coming back; try again.
            }
            Thread.sleep(1_000);
        }
        assertThat(rows).as(what).containsExactlyInAnyOrderElementsOf(want);
    }

    /** Every transaction has its terminal result, and then no new entries for a few seconds. */
    private static void awaitLedgerCaughtUp(
            LedgerTopics topics, Set<String> transactionIds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> terminal = new HashSet<>();
            for (TransactionResult r :
                    topics.readCommitted(Topics.TRANSACTION_RESULTS, TransactionResult.class)) {
                if (r.getStatus() != TransactionStatus.HELD) {
                    terminal.add(r.getTransactionId());
                }
            }
            if (terminal.containsAll(transactionIds)) {
                break;
            }
            Thread.sleep(2_000);
        }
        int seen = -1;
        while (System.nanoTime() < deadline) {
            int now = topics.readCommitted(Topics.LEDGER_ENTRIES, LedgerEntry.class).size();
            if (now == seen) {
                return;
            }
            seen = now;
            Thread.sleep(4_000);
        }
    }

    private static <T> List<List<T>> slices(List<T> all, int n) {
        int size = (all.size() + n - 1) / n;
        List<List<T>> slices = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            slices.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return slices;
    }
}
