package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger job on a MiniCluster at parallelism 2 with the real Kafka broker and schema registry:
 * 100,000 random movements over hot accounts, then every invariant over what was committed.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class LedgerJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    @TempDir Path checkpoints;

    @Test
    void appliesOneHundredThousandMovementsKeepingEveryInvariant(
            KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix("it-ledger-")
                        .withHoldExpiry(Duration.ofSeconds(2))
                        .withCheckpoints(Duration.ofMillis(500), checkpoints.toUri().toString());
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(4);
        LedgerWorkload workload = LedgerWorkload.generate(42, 500, 100_000);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(LedgerJob.clusterConfiguration(config));
        JobClient job = new LedgerJob(config).start(env);
        try {
            topics.produce(workload.setup);
            topics.produceRaw(
                    List.of(
                            "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8),
                            new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3},
                            new byte[] {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff}));
            topics.produce(workload.movements);

            LedgerOutcome outcome = LedgerOutcome.await(topics, workload, Duration.ofMinutes(5));

            outcome.assertInvariants(workload);
            outcome.assertCoverage();
            // Bad records became dead letters with their reason; the job went on (above).
            assertThat(outcome.deadLetters)
                    .extracting(DeadLetter::getReason)
                    .contains("NOT_CONFLUENT_AVRO", "UNKNOWN_SCHEMA_ID", "UNDECODABLE");
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }
}
