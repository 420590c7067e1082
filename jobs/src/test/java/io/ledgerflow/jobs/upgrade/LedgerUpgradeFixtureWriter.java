package io.ledgerflow.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerRequest;
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
import io.ledgerflow.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a {@link LedgerUpgradeFixture} with the version of the ledger job in this checkout. Not a
 * test (its name matches neither test pattern): run it by name when a release changes what the job
 * keeps in state (runbook, "Compatibility between versions"):
 *
 * <pre>
 * ./mvnw -o test-compile surefire:test@integration-tests -pl jobs \
 *     -Dtest=LedgerUpgradeFixtureWriter -Dledgerflow.upgrade.version=$(git rev-parse --short HEAD)
 * </pre>
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class LedgerUpgradeFixtureWriter {

    /** The TaskManagers' state changelog (a cluster setting, as in production). */
    private static final Path CLUSTER_STATE =
            Path.of("target", "upgrade-fixture-cluster").toAbsolutePath();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(LedgerUpgradeFixture.WRITER_PARALLELISM)
                            .setConfiguration(
                                    LedgerJob.changelogConfiguration(
                                            CLUSTER_STATE.toUri().toString()))
                            .build());

    @TempDir Path checkpoints;
    @TempDir Path savepoints;

    @Test
    void write(KafkaServer kafka, SchemaRegistryServer registry) throws Exception {
        String version = System.getProperty("ledgerflow.upgrade.version");
        assertThat(version).as("-Dledgerflow.upgrade.version").isNotBlank();
        Path folder = Path.of("src/test/resources/upgrade/ledger", version);
        assertThat(folder).as("fixture folder").doesNotExist();

        String prefix = LedgerUpgradeFixture.topicPrefix(version);
        LedgerJobConfig config =
                LedgerUpgradeFixture.config(
                        kafka.bootstrapServers(), registry.url(), prefix, checkpoints);
        LedgerKafka topics = new LedgerKafka(config);
        topics.createTopics(LedgerUpgradeFixture.PARTITIONS);
        LedgerWorkload workload = LedgerUpgradeFixture.workload();
        List<LedgerRequest> given = LedgerUpgradeFixture.firstPart(workload);

        JobClient job = LedgerUpgradeFixture.start(config, null);
        String savepoint;
        LedgerOutcome outcome;
        try {
            topics.produce(given);
            // Everything decided and the instruction loop drained: the savepoint holds no request
            // in flight, so a later version's input topics can be rebuilt record for record.
            outcome =
                    LedgerOutcome.await(
                            topics,
                            LedgerUpgradeFixture.transactionIds(given),
                            Duration.ofMinutes(3));
            savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            FlinkJobs.cancelAndWait(job);
            throw e;
        }

        Files.createDirectories(folder);
        SavepointFixtures.copy(
                Path.of(java.net.URI.create(savepoint)),
                folder.resolve(SavepointFixtures.SAVEPOINT));
        LedgerUpgradeFixture.writeRecords(
                folder.resolve(LedgerUpgradeFixture.fileName(Topics.TRANSACTION_RESULTS)),
                io.ledgerflow.avro.TransactionResult.class,
                outcome.results);
        LedgerUpgradeFixture.writeRecords(
                folder.resolve(LedgerUpgradeFixture.fileName(Topics.LEDGER_ENTRIES)),
                io.ledgerflow.avro.LedgerEntry.class,
                outcome.entries);
        LedgerUpgradeFixture.writeRecords(
                folder.resolve(LedgerUpgradeFixture.fileName(Topics.ACCOUNT_STATES)),
                io.ledgerflow.avro.AccountState.class,
                outcome.accountStates);
        LedgerUpgradeFixture.writeRecords(
                folder.resolve(LedgerUpgradeFixture.fileName(Topics.DEAD_LETTERS)),
                io.ledgerflow.avro.DeadLetter.class,
                outcome.deadLetters);
        Properties properties = new Properties();
        properties.setProperty("version", version);
        properties.setProperty("topicPrefix", prefix);
        properties.setProperty("written", Instant.now().toString());
        properties.setProperty(
                "flinkVersion", org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
        properties.setProperty("firstPartRequests", String.valueOf(given.size()));
        SavepointFixtures.writeProperties(folder, properties);
    }
}
