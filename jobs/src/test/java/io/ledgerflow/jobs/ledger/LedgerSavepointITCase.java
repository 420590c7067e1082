package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SREs' upgrade and rescale path (runbook, "Upgrade a job through a savepoint", "Rescale"): the
 * ledger is stopped with a savepoint while movements stream in, and a new job is started from it at
 * another parallelism, as the operator does for a changed FlinkDeployment. Nothing may be lost or
 * repeated across the two jobs: every invariant holds over everything both committed.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class LedgerSavepointITCase {

    /** The TaskManagers' state changelog (a cluster setting, as in production). */
    private static final Path CLUSTER_STATE = temporaryDirectory();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.of(
                    1, 3, LedgerJob.changelogConfiguration(CLUSTER_STATE.toUri().toString()));

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ledger-savepoint-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeClusterState() throws Exception {
        FileUtils.deleteDirectory(CLUSTER_STATE.toFile());
    }

    @TempDir Path checkpoints;
    @TempDir Path savepoints;

    @Test
    void stopWithSavepointMidStreamThenRestoreAtAnotherParallelism(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        LedgerJobConfig before =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-savepoint-")
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString())
                        .withParallelism(2);
        LedgerKafka topics = new LedgerKafka(before);
        topics.createTopics(4);
        LedgerWorkload workload = LedgerWorkload.generate(11, 200, 20_000);
        int half = workload.movements.size() / 2;

        JobClient first = start(before, null);
        String savepoint;
        try {
            topics.produce(workload.setup);
            topics.produce(workload.movements.subList(0, half));
            // Part of the first half decided and committed, part still in flight.
            Thread.sleep(2_000);
            savepoint =
                    first.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            FlinkJobs.cancelAndWait(first);
            throw e;
        }
        assertThat(savepoint).as("savepoint path").isNotBlank();

        JobClient second = start(before.withParallelism(3), savepoint);
        try {
            topics.produce(workload.movements.subList(half, workload.movements.size()));
            LedgerOutcome outcome = LedgerOutcome.await(topics, workload, Duration.ofMinutes(5));
            outcome.assertInvariants(workload);
            // The second job had the first one's accounts: a job started without that state would
            // refuse every later transfer (ACCOUNT_NOT_FOUND), which breaks no invariant.
            Set<String> secondHalf = new HashSet<>();
            workload.movements
                    .subList(half, workload.movements.size())
                    .forEach(
                            r -> {
                                if (r.getRequest() instanceof MoneyMovement m) {
                                    secondHalf.add(m.getTransactionId());
                                }
                            });
            assertThat(outcome.results)
                    .filteredOn(r -> secondHalf.contains(r.getTransactionId()))
                    .filteredOn(r -> r.getStatus() == TransactionStatus.COMPLETED)
                    .as("movements completed by the restored job")
                    .hasSizeGreaterThan(secondHalf.size() / 4);
        } finally {
            FlinkJobs.cancelAndWait(second);
        }
    }

    private static JobClient start(LedgerJobConfig config, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = LedgerJob.clusterConfiguration(config);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        env.configure(conf);
        return new LedgerJob(config).start(env);
    }
}
