package io.ledgerflow.sinks.upgrade;

import static io.ledgerflow.sinks.testutils.Decisions.result;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A savepoint that an earlier version of the sinks job wrote while its windows were open, kept in
 * the repository ({@code src/test/resources/upgrade/sinks/<version>/}) so that every later version
 * proves it can take over from it (runbook, "Compatibility between versions").
 *
 * <p>The earlier version was given {@link #EARLIER} (partner P1, EUR, on 2026-03-02) and stopped
 * once its 5-minute window of 10:00 had fired; the windows of the hour and of the day were still
 * open, and the 5-minute one was within its allowed lateness. The later version is given {@link
 * #LATER}: a late decision for that 5-minute window and one that closes the hour. Their rows can
 * only be right if the windows' contents came through the savepoint.
 */
final class SinksUpgradeFixture {

    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration IDLENESS = Duration.ofSeconds(1);
    static final Duration LATENESS = Duration.ofMinutes(10);

    /** What the earlier version decided on: t04 moves the watermark past 10:05. */
    static final List<TransactionResult> EARLIER =
            List.of(
                    transfer(
                            "u01",
                            "10:00:05",
                            TransactionStatus.COMPLETED,
                            null,
                            "A1",
                            "A2",
                            1_000),
                    transfer(
                            "u02",
                            "10:00:20",
                            TransactionStatus.REJECTED,
                            ReasonCode.INSUFFICIENT_FUNDS,
                            "A1",
                            "A3",
                            5_000),
                    transfer("u03", "10:01:02", TransactionStatus.COMPLETED, null, "A2", "A1", 300),
                    transfer("u04", "10:05:30", TransactionStatus.COMPLETED, null, "A1", "A2", 50));

    /**
     * Stand-ins for {@link #EARLIER} at the same offsets, for the later version's input topic: the
     * savepoint's offsets point past them, and a job that read them (one that did not take over the
     * savepoint) would count nothing from them, as they are HELD, which counts in no window.
     */
    static List<TransactionResult> standIns() {
        return EARLIER.stream()
                .map(
                        r ->
                                TransactionResult.newBuilder(r)
                                        .setTransactionId("stand-in-" + r.getTransactionId())
                                        .setStatus(TransactionStatus.HELD)
                                        .setReason(null)
                                        .setReasonDetail(null)
                                        .build())
                .toList();
    }

    /** The 5-minute window of 10:00 as the earlier version wrote it when it fired. */
    static final String FIVE_MINUTES_EARLIER = "3|6300|1|3";

    /** u05 is late for 10:00 (within the lateness); u06 closes the hour of 10. */
    static final List<TransactionResult> LATER =
            List.of(
                    transfer(
                            "u05",
                            "10:00:30",
                            TransactionStatus.REJECTED,
                            ReasonCode.INSUFFICIENT_FUNDS,
                            "A4",
                            "A1",
                            2_000),
                    transfer("u06", "11:05:00", TransactionStatus.COMPLETED, null, "A1", "A2", 10));

    /**
     * The 5-minute window of 10:00 over both versions' decisions: u01, u02, u03, u05; the
     * counterparties A1, A2, A3 (seen by the earlier version) and A4 (by the later one).
     */
    static final String FIVE_MINUTES_BOTH = "4|8300|2|4";

    /** The hour of 10 over both versions' decisions: u01-u05; approved u01, u03, u04. */
    static final String HOUR_BOTH = "5|8350|1350|4";

    static final String FIVE_MINUTES_QUERY =
            "SELECT movements, total_minor, rejected, distinct_counterparties"
                    + " FROM window_aggregates FINAL"
                    + " WHERE scope = 'partner' AND level = '5m' AND partner_id = 'P1'"
                    + " AND window_start = '2026-03-02 10:00:00'";

    static final String HOUR_QUERY =
            "SELECT movements, total_minor, approved_minor, distinct_counterparties"
                    + " FROM window_aggregates"
                    + " WHERE scope = 'partner' AND level = '1h' AND partner_id = 'P1'"
                    + " AND window_start = '2026-03-02 10:00:00+00'";

    private SinksUpgradeFixture() {}

    private static TransactionResult transfer(
            String id,
            String time,
            TransactionStatus status,
            ReasonCode reason,
            String from,
            String to,
            long amount) {
        return result(
                id,
                "2026-03-02T" + time + "Z",
                "P1",
                "EUR",
                MovementType.TRANSFER,
                status,
                reason,
                from,
                to,
                amount);
    }

    static String topicPrefix(String version) {
        return "it-sinks-upgrade-" + version + "-";
    }

    static LedgerJobConfig topics(KafkaServer kafka, SchemaRegistryServer registry, String prefix) {
        return LedgerJobConfig.defaults()
                .withKafka(kafka.bootstrapServers(), registry.url())
                .withTopicPrefix(prefix);
    }

    /** The sinks job's settings: {@code database} in both stores, topics under {@code prefix}. */
    static SinksConfig config(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse,
            String prefix,
            String database,
            Path checkpoints)
            throws Exception {
        return StoreRows.sinksConfig(
                kafka,
                registry,
                postgres,
                clickHouse,
                prefix,
                database,
                database,
                Duration.ofMillis(500),
                checkpoints.toUri().toString());
    }

    /** A sinks job on fresh stores, its migrations applied. */
    static SinksJob job(SinksConfig config, String database) throws Exception {
        SinksJob job =
                new SinksJob(
                        config,
                        AggregatesConfig.defaults()
                                .withTimeBounds(OUT_OF_ORDERNESS, IDLENESS, LATENESS));
        try (Connection ch = job.clickHouseTarget().connectToServer();
                Statement s = ch.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
        }
        job.migrateStores();
        return job;
    }

    static JobClient start(SinksJob job, SinksConfig config, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = SinksJob.clusterConfiguration(config);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        env.configure(conf);
        return job.start(env);
    }
}
