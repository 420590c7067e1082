package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the TaskManagers at random points while movements stream in; the job restores from its
 * checkpoints each time, and what it committed must keep every invariant with no duplicated output.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class LedgerFailureITCase {

    private static final int KILLS = 3;

    /**
     * Where the TaskManagers keep the state changelog: a cluster setting (as the FlinkDeployment
     * sets it), so it is fixed before the cluster starts, unlike the job's checkpoint directory.
     */
    private static final Path CLUSTER_STATE = temporaryDirectory();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(clusterConfiguration())
                            .build());

    @TempDir Path checkpoints;

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ledger-failure-cluster");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeClusterState() throws Exception {
        FileUtils.deleteDirectory(CLUSTER_STATE.toFile());
    }

    /** Restarts forever, and the changelog's storage on the TaskManagers as in production. */
    private static Configuration clusterConfiguration() {
        Configuration conf = LedgerJob.changelogConfiguration(CLUSTER_STATE.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return conf;
    }

    @Test
    void survivesTaskManagerKillsWithoutLosingOrDoublingMoney(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-failure-")
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(4);
        LedgerWorkload workload = LedgerWorkload.generate(7, 300, 50_000);
        List<List<io.ledgerflow.avro.LedgerRequest>> slices = slices(workload.movements, KILLS + 1);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        JobClient job = new LedgerJob(config).start(env);
        Random random = new Random(7);
        try {
            topics.produce(workload.setup);
            for (int i = 0; i < slices.size(); i++) {
                topics.produce(slices.get(i));
                if (i < KILLS) {
                    // Let some of the slice be processed and checkpointed, then kill mid-stream.
                    Thread.sleep(1_000 + random.nextInt(3_000));
                    // Kill every live TaskManager (the MiniCluster keeps terminated ones in its
                    // list, so round i's live ones are 2i and 2i+1), then bring up two new ones.
                    cluster.terminateTaskManager(2 * i).get();
                    cluster.terminateTaskManager(2 * i + 1).get();
                    cluster.startTaskManager();
                    cluster.startTaskManager();
                }
            }

            LedgerOutcome outcome = LedgerOutcome.await(topics, workload, Duration.ofMinutes(6));

            assertThat(restarts(cluster, job))
                    .as("job restarts after the kills")
                    .isGreaterThanOrEqualTo(KILLS);
            outcome.assertInvariants(workload);
            // The restores above came from the changelog state backend, as in production: its
            // filesystem log wrote under the cluster's path. The log files themselves are deleted
            // once a materialization subsumes them (every minute), so how many are left at the end
            // depends on timing; the directories the log wrote them to stay.
            try (var written = Files.walk(CLUSTER_STATE.resolve("changelog"))) {
                assertThat(written.filter(p -> p.getFileName().toString().equals("dstl")).count())
                        .as("directories of the state changelog's filesystem log")
                        .isPositive();
            }
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }

    /** How often the job was restored: the highest execution attempt number of any task. */
    private static int restarts(MiniCluster cluster, JobClient job) throws Exception {
        int attempts = 0;
        for (var vertex :
                cluster.getArchivedExecutionGraph(job.getJobID()).get().getAllExecutionVertices()) {
            attempts = Math.max(attempts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return attempts;
    }

    private static <T> List<List<T>> slices(List<T> all, int n) {
        int size = (all.size() + n - 1) / n;
        List<List<T>> slices = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            slices.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return slices;
    }
}
