package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.flink.testutils.Restarts;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import io.ledgerflow.schemas.kafka.UnreadableInternalRecordException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record on the ledger's own instruction loop that cannot be read (here: a schema id the registry
 * does not know, as after the registry lost its data) stops the job instead of going to the
 * dead-letter topic, where the money it might carry would vanish. Once the operator has looked at
 * it and told the job to skip that exact position, the job resumes from its last checkpoint and
 * every transaction, including the credits queued behind the record, completes with no money lost.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class UnreadableInstructionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.of(1, 2, restartTwiceThenFail());

    @TempDir Path checkpoints;

    /** A few restarts prove it keeps failing on the record; then the job fails for good. */
    private static Configuration restartTwiceThenFail() {
        return Restarts.fixedDelay(2, Duration.ofMillis(200));
    }

    @Test
    void anUnreadableInstructionStopsTheJobAndNoMoneyIsLostOnceSkipped(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-unreadable-")
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withCheckpoints(Duration.ofMillis(300), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(2);
        LedgerWorkload workload = LedgerWorkload.generate(11, 40, 600);
        List<LedgerRequest> firstHalf = workload.movements.subList(0, 300);
        List<LedgerRequest> secondHalf = workload.movements.subList(300, 600);

        JobClient job = start(config, null);
        topics.produce(workload.setup);
        topics.produce(firstHalf);
        // Money flows and a checkpoint completes before the stray record arrives, so that the
        // resumed job has a checkpoint from before it to go back to.
        try (var results = topics.reader(Topics.TRANSACTION_RESULTS, TransactionResult.class)) {
            results.readUntil(rs -> rs.size() >= 150, Duration.ofMinutes(2));
        }
        Path jobCheckpoints = checkpoints.resolve(job.getJobID().toHexString());
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (latestCheckpoint(jobCheckpoints) == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // Magic byte 0, then a schema id the registry never issued, then a body.
        String position =
                produceToInstructions(config, new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4, 6, 8});
        topics.produce(secondHalf);

        JobStatus status = awaitTerminal(job, Duration.ofMinutes(2));
        assertThat(status).isEqualTo(JobStatus.FAILED);
        Throwable failure = failureOf(job);
        assertThat(ExceptionUtils.findThrowable(failure, UnreadableInternalRecordException.class))
                .as("the job failed on the unreadable instruction, not something else")
                .hasValueSatisfying(e -> assertThat(e.getMessage()).contains(position));

        // The operator inspected the record (not the ledger's: no transactional producer wrote
        // it), and resumes from the last checkpoint, skipping exactly that position.
        Path latest = latestCheckpoint(jobCheckpoints);
        assertThat(latest).as("a retained checkpoint of the failed job").isNotNull();
        JobClient resumed = start(config.withSkippedInternalRecords(Set.of(position)), latest);
        try {
            LedgerOutcome outcome = LedgerOutcome.await(topics, workload, Duration.ofMinutes(3));
            outcome.assertInvariants(workload);
            assertThat(outcome.deadLetters)
                    .as("nothing from the instruction loop is dead-lettered")
                    .extracting(DeadLetter::getSourceTopic)
                    .doesNotContain(config.instructionsTopic());
        } finally {
            FlinkJobs.cancelAndWait(resumed);
        }
    }

    private static JobClient start(LedgerJobConfig config, Path restoreFrom) throws Exception {
        Configuration conf = LedgerJob.clusterConfiguration(config);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        return new LedgerJob(config).start(env);
    }

    /** Writes {@code value} to partition 0 of the instruction topic; returns its position. */
    private static String produceToInstructions(LedgerJobConfig config, byte[] value)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            RecordMetadata written =
                    producer.send(
                                    new ProducerRecord<>(
                                            config.topic(Topics.LEDGER_INSTRUCTIONS),
                                            0,
                                            "stray".getBytes(),
                                            value))
                            .get();
            return InternalRecordPositions.of(
                    written.topic(), written.partition(), written.offset());
        }
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
        } catch (java.util.concurrent.ExecutionException e) {
            return e;
        }
    }

    /**
     * The newest completed checkpoint of a job (its highest {@code chk-N} with metadata), or null.
     */
    private static Path latestCheckpoint(Path jobDir) throws Exception {
        if (!Files.isDirectory(jobDir)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElse(null);
        }
    }
}
