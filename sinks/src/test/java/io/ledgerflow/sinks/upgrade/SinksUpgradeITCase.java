package io.ledgerflow.sinks.upgrade;

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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SREs' upgrade path for the sinks job (runbook, "Upgrade a job through a savepoint"): this
 * version starts from a savepoint that an earlier version wrote with windows open (a {@link
 * SinksUpgradeFixture} in the repository), on fresh stores, and is given later decisions for those
 * windows. The rows it writes must cover both versions' decisions: a 5-minute window revised by a
 * late decision, and an hour that closes, each with the earlier version's figures in it.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class SinksUpgradeITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;
    @TempDir Path restoreFrom;

    /** Every fixture in the repository: each earlier version this one must take over from. */
    static List<String> earlierVersions() {
        return SavepointFixtures.versions("/upgrade/sinks");
    }

    @ParameterizedTest(name = "from the savepoint of {0}")
    @MethodSource("earlierVersions")
    void takesOverOpenWindowsFromAnEarlierVersionsSavepoint(
            String version,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        Path fixture = SavepointFixtures.folder("/upgrade/sinks/" + version);
        Properties written = SavepointFixtures.readProperties(fixture);
        String prefix = written.getProperty("topicPrefix");
        String database = "sinks_upgrade_" + version.replaceAll("[^A-Za-z0-9]", "_");
        SinksConfig config =
                SinksUpgradeFixture.config(
                        kafka, registry, postgres, clickHouse, prefix, database, checkpoints);
        SinksJob sinks = SinksUpgradeFixture.job(config, database);
        LedgerTopics topics = new LedgerTopics(SinksUpgradeFixture.topics(kafka, registry, prefix));
        topics.createTopics(1);
        // The input topic up to the savepoint's offsets, with stand-ins that count nowhere: the
        // earlier version's decisions must come from the savepoint, not from a second reading.
        topics.produceResults(SinksUpgradeFixture.standIns());

        SavepointFixtures.copy(
                fixture.resolve(SavepointFixtures.SAVEPOINT), restoreFrom.resolve("savepoint"));
        JobClient job =
                SinksUpgradeFixture.start(
                        sinks, config, restoreFrom.resolve("savepoint").toUri().toString());
        try (Connection ch = sinks.clickHouseTarget().connect();
                Connection pg =
                        DriverManager.getConnection(
                                config.postgres().url(),
                                PostgresServer.USER,
                                PostgresServer.PASSWORD)) {
            topics.produceResults(SinksUpgradeFixture.LATER);
            // A job that started without the windows' contents would write 1|2000|1 here (or
            // nothing, had it lost the watermark's progress too).
            StoreRows.awaitRows(
                    "5m 10:00 revised by a late decision, in ClickHouse",
                    List.of(SinksUpgradeFixture.FIVE_MINUTES_BOTH),
                    () -> StoreRows.query(ch, SinksUpgradeFixture.FIVE_MINUTES_QUERY));
            StoreRows.awaitRows(
                    "hour 10 in PostgreSQL",
                    List.of(SinksUpgradeFixture.HOUR_BOTH),
                    () -> StoreRows.query(pg, SinksUpgradeFixture.HOUR_QUERY));
        } finally {
            FlinkJobs.cancelAndWait(job);
        }
    }
}
