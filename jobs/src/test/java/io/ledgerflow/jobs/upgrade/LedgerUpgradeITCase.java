package io.ledgerflow.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.SavepointFixtures;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.jobs.testutils.LedgerOutcome;
import io.ledgerflow.jobs.testutils.LedgerWorkload;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SREs' upgrade path across versions (runbook, "Upgrade a job through a savepoint"): this
 * version of the ledger job starts from a savepoint that an earlier version wrote (a {@link
 * LedgerUpgradeFixture} in the repository), at another parallelism, and carries on where it
 * stopped. Every invariant must hold over what both versions committed: the accounts' balances,
 * hash chains and sequences continue across the versions, no transaction id of the earlier version
 * is applied again, and later movements on the earlier version's accounts and holds complete.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class LedgerUpgradeITCase {

    /** The TaskManagers' state changelog (a cluster setting, as in production). */
    static final Path CLUSTER_STATE = temporaryDirectory();

    private static final int RESTORED_PARALLELISM = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(RESTORED_PARALLELISM)
                            .setConfiguration(
                                    LedgerJob.changelogConfiguration(
                                            CLUSTER_STATE.toUri().toString()))
                            .build());

    @TempDir Path checkpoints;
    @TempDir Path restoreFrom;

    @AfterAll
    static void removeClusterState() throws Exception {
        FileUtils.deleteDirectory(CLUSTER_STATE.toFile());
    }

    /** Every fixture in the repository: each earlier version this one must take over from. */
    static List<String> earlierVersions() {
        return SavepointFixtures.versions("/upgrade/ledger");
    }

    @ParameterizedTest(name = "from the savepoint of {0}")
    @MethodSource("earlierVersions")
    void takesOverFromAnEarlierVersionsSavepoint(
            String version, KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        Path fixture = fixtureFolder(version);
        Properties written = SavepointFixtures.readProperties(fixture);
        LedgerJobConfig config =
                LedgerUpgradeFixture.config(
                                kafka.bootstrapServers(),
                                registry.url(),
                                written.getProperty("topicPrefix"),
                                checkpoints)
                        .withParallelism(RESTORED_PARALLELISM);
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(LedgerUpgradeFixture.PARTITIONS);
        LedgerWorkload workload = LedgerUpgradeFixture.workload();
        List<LedgerRequest> firstPart = LedgerUpgradeFixture.firstPart(workload);
        assertThat(firstPart)
                .as("the fixture's workload (seed and sizes must not change)")
                .hasSize(Integer.parseInt(written.getProperty("firstPartRequests")));

        // The input topics as the earlier version saw them (the savepoint holds its offsets), and
        // what it committed, so that the checks below cover both versions' outputs.
        topics.produce(firstPart);
        int earlierEntries = republishOutputs(fixture, config, registry);

        SavepointFixtures.copy(
                fixture.resolve(SavepointFixtures.SAVEPOINT), restoreFrom.resolve("savepoint"));
        JobClient job =
                LedgerUpgradeFixture.start(
                        config, restoreFrom.resolve("savepoint").toUri().toString());
        try {
            List<LedgerRequest> secondPart = LedgerUpgradeFixture.secondPart(workload);
            topics.produce(secondPart);
            LedgerOutcome outcome = LedgerOutcome.await(topics, workload, Duration.ofMinutes(5));
            outcome.assertInvariants(workload);
            assertThat(outcome.entries)
                    .as("entries of both versions")
                    .hasSizeGreaterThan(earlierEntries);
            Set<String> later = LedgerUpgradeFixture.transactionIds(secondPart);
            // Without the earlier version's accounts in state every later movement would be
            // refused (ACCOUNT_NOT_FOUND), which breaks no invariant: so count the completed ones.
            assertThat(outcome.results)
                    .filteredOn(r -> later.contains(r.getTransactionId()))
                    .filteredOn(r -> r.getStatus() == TransactionStatus.COMPLETED)
                    .as("later movements completed by this version")
                    .hasSizeGreaterThan(later.size() / 4);
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }

    private static Path fixtureFolder(String version) {
        return SavepointFixtures.folder("/upgrade/ledger/" + version);
    }

    /** Publishes the earlier version's committed outputs; returns how many entries it had. */
    private static int republishOutputs(
            Path fixture, LedgerJobConfig config, SchemaRegistryServer registry)
            throws IOException {
        SchemaRegistryClient client = SchemaRegistryClient.forUrl(registry.url());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        int entries = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, Class<? extends SpecificRecord>> output :
                    LedgerUpgradeFixture.OUTPUTS.entrySet()) {
                int n =
                        republish(
                                producer,
                                client,
                                fixture,
                                config,
                                output.getKey(),
                                output.getValue());
                if (output.getKey().equals(io.ledgerflow.schemas.Topics.LEDGER_ENTRIES)) {
                    entries = n;
                }
            }
            producer.flush();
        }
        return entries;
    }

    private static <T extends SpecificRecord> int republish(
            KafkaProducer<byte[], byte[]> producer,
            SchemaRegistryClient registry,
            Path fixture,
            LedgerJobConfig config,
            String topic,
            Class<T> type)
            throws IOException {
        List<T> records =
                LedgerUpgradeFixture.readRecords(
                        fixture.resolve(LedgerUpgradeFixture.fileName(topic)), type);
        try (ConfluentAvroSerializer<T> serializer =
                new ConfluentAvroSerializer<>(registry, type)) {
            for (T r : records) {
                producer.send(
                        new ProducerRecord<>(
                                config.topic(topic),
                                null,
                                serializer.serialize(config.topic(topic), r)));
            }
        }
        return records.size();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ledger-upgrade-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
