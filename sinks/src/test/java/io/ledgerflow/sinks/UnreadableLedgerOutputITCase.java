package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.flink.testutils.Restarts;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.UnreadableInternalRecordException;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import io.ledgerflow.sinks.testutils.Decisions;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record on one of the ledger's output topics that cannot be read (here: a schema id the registry
 * does not know, as after the registry lost its data) stops the sinks job instead of becoming a
 * dead letter, since a result the read model silently missed would later show as a mismatch. Once
 * the operator has looked at it (no transactional producer of the ledger wrote it) and told the job
 * to skip that exact position, the job resumes from its last checkpoint and every other result,
 * those queued behind the record on its partition included, lands in PostgreSQL and ClickHouse.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class UnreadableLedgerOutputITCase {

    private static final String PREFIX = "it-unreadable-output-";
    private static final String PG_DATABASE = "unreadable_output_it";
    private static final String CH_DATABASE = "unreadable_output_it";

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    @TempDir Path checkpoints;

    @Test
    void anUnreadableLedgerOutputStopsTheJobAndEveryOtherResultLandsOnceSkipped(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX);
        SinksConfig config =
                StoreRows.sinksConfig(
                        kafka,
                        registry,
                        postgres,
                        clickHouse,
                        PREFIX,
                        PG_DATABASE,
                        CH_DATABASE,
                        Duration.ofMillis(300),
                        checkpoints.toUri().toString());
        String pgUrl = config.postgres().url();
        SinksJob sinksJob = job(config);
        StoreRows.freshStores(sinksJob, CH_DATABASE);
        LedgerTopics topics = new LedgerTopics(ledgerConfig);
        topics.createTopics(2);

        List<TransactionResult> before = results(0, 20);
        List<TransactionResult> after = results(20, 40);
        List<TransactionResult> all = new ArrayList<>(before);
        all.addAll(after);
        String resultsTopic = config.topic(Topics.TRANSACTION_RESULTS);

        JobClient job = start(config, null);
        String position;
        try (Connection pg =
                DriverManager.getConnection(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD)) {
            topics.produceResults(before);
            StoreRows.awaitRows(
                    "PostgreSQL transactions before the record",
                    StoreRows.latestTransactions(before),
                    () -> StoreRows.query(pg, TRANSACTIONS));
            awaitCheckpoint(checkpoints.resolve(job.getJobID().toHexString()));

            // Magic byte 0, then a schema id the registry never issued, then a body.
            position =
                    topics.produceGarbage(
                                    Topics.TRANSACTION_RESULTS,
                                    0,
                                    List.of(new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4, 6, 8}))
                            .get(0);
            topics.produceResults(after);

            assertThat(awaitTerminal(job, Duration.ofMinutes(2))).isEqualTo(JobStatus.FAILED);
            assertThat(
                            ExceptionUtils.findThrowable(
                                    failureOf(job), UnreadableInternalRecordException.class))
                    .as("the job failed on the unreadable result, not something else")
                    .hasValueSatisfying(
                            e ->
                                    assertThat(e.getMessage())
                                            .contains(position)
                                            .contains("UNKNOWN_SCHEMA_ID"));
            assertThat(deadLettersFrom(pg, resultsTopic))
                    .as("an unreadable ledger output is never a dead letter")
                    .isZero();
        }

        // The operator inspected the record (not the ledger's: no transactional producer wrote
        // it), and resumes from the last checkpoint, skipping exactly that position.
        Path latest = latestCheckpoint(checkpoints.resolve(job.getJobID().toHexString()));
        JobClient second = start(config.withSkippedInternalRecords(Set.of(position)), latest);
        try (Connection pg =
                        DriverManager.getConnection(
                                pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Connection ch = sinksJob.clickHouseTarget().connect()) {
            StoreRows.awaitRows(
                    "PostgreSQL transactions",
                    StoreRows.latestTransactions(all),
                    () -> StoreRows.query(pg, TRANSACTIONS));
            StoreRows.awaitRows(
                    "ClickHouse transactions",
                    StoreRows.latestTransactions(all),
                    () -> StoreRows.query(ch, TRANSACTIONS + " FINAL"));
            assertThat(deadLettersFrom(pg, resultsTopic))
                    .as("the skipped record is not a dead letter either")
                    .isZero();
        } finally {
            FlinkJobs.cancelAndWait(second);
        }
    }

    private static final String TRANSACTIONS =
            "SELECT partner_id, transaction_id, type, status, reason, amount_minor, currency"
                    + " FROM transactions";

    /** The sinks job without the windowed aggregates, which this test is not about. */
    private static SinksJob job(SinksConfig config) {
        return new SinksJob(config, AggregatesConfig.defaults().withEnabled(false));
    }

    /**
     * The job's own configuration, except: two restarts prove it keeps failing on the record, then
     * it fails for good (the job's own strategy would retry forever); checkpoints are kept for the
     * resumption.
     */
    private static JobClient start(SinksConfig config, Path restoreFrom) throws Exception {
        Configuration conf =
                Restarts.fixedDelay(
                        SinksJob.clusterConfiguration(config), 2, Duration.ofMillis(200));
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        return job(config).start(env);
    }

    /** Completed transfers {@code from} (inclusive) to {@code to}, keyed over both partitions. */
    private static List<TransactionResult> results(int from, int to) {
        List<TransactionResult> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add(
                    Decisions.transfer(
                            String.format("t%03d", i),
                            String.format("2026-03-02T10:00:%02dZ", i),
                            "P1",
                            "A1",
                            "A2",
                            100 + i));
        }
        return results;
    }

    private static long deadLettersFrom(Connection pg, String topic) throws SQLException {
        return StoreRows.count(
                pg, "SELECT count(*) FROM dead_letters WHERE origin_topic = '" + topic + "'");
    }

    private static void awaitCheckpoint(Path jobDir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(jobDir) && completedCheckpoints(jobDir).findAny().isPresent()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no completed checkpoint in " + jobDir);
    }

    private static JobStatus awaitTerminal(JobClient job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus status = job.getJobStatus().get();
        while (!status.isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = job.getJobStatus().get();
        }
        return status;
    }

    private static Throwable failureOf(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get();
            throw new AssertionError("the job finished without failing");
        } catch (ExecutionException e) {
            return e;
        }
    }

    /** The newest completed checkpoint of a job: its highest {@code chk-N} with metadata. */
    private static Path latestCheckpoint(Path jobDir) throws Exception {
        return completedCheckpoints(jobDir)
                .max(
                        Comparator.comparingLong(
                                d -> Long.parseLong(d.getFileName().toString().substring(4))))
                .orElseThrow(() -> new AssertionError("no completed checkpoint in " + jobDir));
    }

    private static Stream<Path> completedCheckpoints(Path jobDir) throws Exception {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs
                    .filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .toList()
                    .stream();
        }
    }
}
