package io.ledgerflow.testdata.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.AccountType;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
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
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.testdata.check.CheckResult.Finding;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.KafkaTarget;
import io.ledgerflow.testdata.testutils.RunningLedger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check mode end to end: the real ledger and sinks jobs on a MiniCluster against real Kafka,
 * registry, PostgreSQL and ClickHouse; the generator drives a small population through Kafka; the
 * checker must say PASS. Then one balance is corrupted in PostgreSQL and one transaction row
 * deleted, and the checker must say FAIL naming both.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class CheckerITCase {

    private static final String PREFIX = "it-check-";
    private static final String PG_DATABASE = "check_it";
    private static final String CH_DATABASE = "ledgerflow_check";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void passesAfterARunAndFailsNamingACorruptedBalanceAndAMissingTransaction(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        LedgerJobConfig ledgerConfig =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX)
                        // The ledger's gate re-partitions by transaction id, so a capture can
                        // overtake its hold and leave it HELD; a short expiry still ends it.
                        .withHoldExpiry(Duration.ofSeconds(5))
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("ledger").toUri().toString());
        String pgUrl = createDatabase(postgres);
        SinksConfig sinksConfig =
                SinksConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url(), PREFIX)
                        .withDatabases(
                                pgUrl,
                                PostgresServer.USER,
                                PostgresServer.PASSWORD,
                                "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
                                CH_DATABASE)
                        .withCheckpoints(
                                Duration.ofMillis(500),
                                checkpoints.resolve("sinks").toUri().toString());
        SinksJob sinksJob = new SinksJob(sinksConfig);
        sinksJob.migrateStores();
        JobClient ledger = RunningLedger.start(ledgerConfig, 2).job;
        StreamExecutionEnvironment sinksEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        sinksEnv.configure(SinksJob.clusterConfiguration(sinksConfig));
        JobClient sinks = sinksJob.start(sinksEnv);
        boolean cancelled = false;
        try {
            awaitPipelineUp(kafka, registry, ledgerConfig, pgUrl);
            Population population =
                    Population.generate(
                            GeneratorSettings.defaults().toBuilder()
                                    .partners(12)
                                    .accountsPerPartner(4)
                                    .invalidShare(0.03)
                                    .fraudShare(0.03)
                                    .namespace("it-check")
                                    .build());
            GeneratorRun.Result result;
            try (KafkaTarget target =
                    new KafkaTarget(
                            kafka.bootstrapServers(),
                            registry.url(),
                            ledgerConfig.requestsTopic())) {
                result =
                        new GeneratorRun(population, target, LoadClock.SYSTEM, System.out)
                                .execute(
                                        "c1",
                                        LoadPlan.openLoop(200, 800, null),
                                        Duration.ofSeconds(2));
            }
            RunRecord run = result.record();
            assertThat(run.acceptedTransactionIds()).hasSizeGreaterThan(800);

            ClickHouseTarget ch = sinksJob.clickHouseTarget();
            Checker checker =
                    new Checker(
                            new StoreConnections(
                                    pgUrl,
                                    PostgresServer.USER,
                                    PostgresServer.PASSWORD,
                                    ch.url() + "/" + ch.database(),
                                    ch.user(),
                                    ch.password()));
            CheckResult pass = checker.awaitPass(run, Duration.ofMinutes(2), Duration.ofSeconds(2));
            System.out.print(pass.render());
            assertThat(pass.passed()).as(pass.render()).isTrue();
            assertThat(pass.findings()).hasSize(9);

            // Stop the jobs so nothing rewrites the rows corrupted below.
            cancelled = true;
            FlinkJobs.cancelAndWait(sinks);
            FlinkJobs.cancelAndWait(ledger);

            String victim = population.accounts().get(0).id();
            String lost = run.acceptedTransactionIds().get(run.acceptedTransactionIds().size() / 2);
            try (Connection pg =
                            DriverManager.getConnection(
                                    pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                    Statement s = pg.createStatement()) {
                s.executeUpdate(
                        "UPDATE accounts SET balance_minor = balance_minor + 100"
                                + " WHERE account_id = '"
                                + victim
                                + "'");
                s.executeUpdate("DELETE FROM transactions WHERE transaction_id = '" + lost + "'");
            }
            CheckResult fail = checker.check(run);
            System.out.print(fail.render());
            assertThat(fail.passed()).isFalse();
            assertThat(fail.render()).startsWith("FAIL");
            List<String> failed = fail.failures().stream().map(Finding::property).toList();
            assertThat(failed)
                    .contains(
                            "every accepted transaction has a terminal status in PostgreSQL",
                            "money is conserved: PostgreSQL balances sum to zero per currency",
                            "every PostgreSQL balance equals the net of its ledger entries");
            assertThat(evidence(fail, "every PostgreSQL balance equals"))
                    .contains(victim)
                    .contains("difference +100");
            assertThat(evidence(fail, "every accepted transaction has")).contains(lost);
            assertThat(evidence(fail, "money is conserved: PostgreSQL")).contains("=100");
        } finally {
            if (!cancelled) {
                FlinkJobs.cancelAndWait(sinks);
                FlinkJobs.cancelAndWait(ledger);
            }
        }
    }

    /**
     * Opens one probe account and waits until its decision is in PostgreSQL: both jobs then run and
     * consume, so the run below is not swallowed as one start-up burst (in which the ledger
     * reorders an account's requests the most, see the README's known limitation).
     */
    private static void awaitPipelineUp(
            KafkaServer kafka, SchemaRegistryServer registry, LedgerJobConfig config, String pgUrl)
            throws Exception {
        try (KafkaTarget target =
                new KafkaTarget(kafka.bootstrapServers(), registry.url(), config.requestsTopic())) {
            target.send(new AccountOpening("probe", "probe-account", "EUR", AccountType.CUSTOMER))
                    .get();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Connection pg =
                DriverManager.getConnection(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD)) {
            while (System.nanoTime() < deadline) {
                try (Statement s = pg.createStatement();
                        ResultSet r =
                                s.executeQuery(
                                        "SELECT count(*) FROM account_command_results"
                                                + " WHERE account_id = 'probe-account'")) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the jobs did not decide the probe account in 2 minutes");
    }

    private static String evidence(CheckResult result, String propertyStart) {
        return result.findings().stream()
                .filter(f -> f.property().startsWith(propertyStart))
                .findFirst()
                .orElseThrow()
                .evidence();
    }

    private static String createDatabase(PostgresServer postgres) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE);
            s.execute("CREATE DATABASE " + PG_DATABASE);
        }
        return postgres.jdbcUrl(PG_DATABASE);
    }
}
