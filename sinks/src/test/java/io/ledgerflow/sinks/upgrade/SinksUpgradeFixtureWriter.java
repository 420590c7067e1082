package io.ledgerflow.sinks.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.SavepointFixtures;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a {@link SinksUpgradeFixture} with the version of the sinks job in this checkout. Not a
 * test (its name matches neither test pattern): run it by name when a release changes what the job
 * keeps in state (runbook, "Compatibility between versions"):
 *
 * <pre>
 * ./mvnw -o test-compile surefire:test@integration-tests -pl sinks \
 *     -Dtest=SinksUpgradeFixtureWriter -Dledgerflow.upgrade.version=$(git rev-parse --short HEAD)
 * </pre>
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class SinksUpgradeFixtureWriter {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;
    @TempDir Path savepoints;

    @Test
    void write(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        String version = System.getProperty("ledgerflow.upgrade.version");
        assertThat(version).as("-Dledgerflow.upgrade.version").isNotBlank();
        Path folder = Path.of("src/test/resources/upgrade/sinks", version);
        assertThat(folder).as("fixture folder").doesNotExist();

        String prefix = SinksUpgradeFixture.topicPrefix(version);
        String database = "sinks_upgrade_writer";
        SinksConfig config =
                SinksUpgradeFixture.config(
                        kafka, registry, postgres, clickHouse, prefix, database, checkpoints);
        SinksJob sinks = SinksUpgradeFixture.job(config, database);
        // One partition: the decisions reach the watermark generator in the order produced.
        LedgerTopics topics = new LedgerTopics(SinksUpgradeFixture.topics(kafka, registry, prefix));
        topics.createTopics(1);

        JobClient job = SinksUpgradeFixture.start(sinks, config, null);
        String savepoint;
        try (Connection ch = sinks.clickHouseTarget().connect()) {
            topics.produceResults(SinksUpgradeFixture.EARLIER);
            StoreRows.awaitRows(
                    "5m 10:00 fired",
                    List.of(SinksUpgradeFixture.FIVE_MINUTES_EARLIER),
                    () -> StoreRows.query(ch, SinksUpgradeFixture.FIVE_MINUTES_QUERY));
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
                Path.of(URI.create(savepoint)), folder.resolve(SavepointFixtures.SAVEPOINT));
        Properties properties = new Properties();
        properties.setProperty("version", version);
        properties.setProperty("topicPrefix", prefix);
        properties.setProperty("written", Instant.now().toString());
        properties.setProperty("flinkVersion", EnvironmentInformation.getVersion());
        SavepointFixtures.writeProperties(folder, properties);
    }
}
