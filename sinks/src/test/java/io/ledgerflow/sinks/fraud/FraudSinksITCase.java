package io.ledgerflow.sinks.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.FraudSeverity;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.ClickHouseExtension;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaExtension;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryExtension;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.clickhouse.AnalystQueries;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import io.ledgerflow.sinks.testutils.StoreRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fraud alerts and rule changes from Kafka into PostgreSQL and ClickHouse through the real sinks
 * job, a replayed alert included (one row in each store), then the analyst queries over them with
 * exact figures.
 */
@ExtendWith({
    KafkaExtension.class,
    SchemaRegistryExtension.class,
    PostgresExtension.class,
    ClickHouseExtension.class
})
class FraudSinksITCase {

    private static final String PREFIX = "it-fraud-sinks-";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    @TempDir Path checkpoints;

    @Test
    void alertsAndRuleChangesLandOnceInBothStores(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        SinksConfig config =
                StoreRows.sinksConfig(
                        kafka,
                        registry,
                        postgres,
                        clickHouse,
                        PREFIX,
                        "fraud_sinks_it",
                        "fraud_sinks_it",
                        Duration.ofMillis(500),
                        checkpoints.toUri().toString());
        String pgUrl = config.postgres().url();
        SinksJob job = new SinksJob(config);
        StoreRows.freshStores(job, "fraud_sinks_it");
        LedgerJobConfig ledger =
                LedgerJobConfig.defaults()
                        .withKafka(kafka.bootstrapServers(), registry.url())
                        .withTopicPrefix(PREFIX);
        new LedgerTopics(ledger).createTopics(2);

        List<FraudAlert> alerts =
                List.of(
                        alert("velocity", FraudRuleType.VELOCITY, "p1", "a1", "t1", false, 0.6),
                        alert("velocity", FraudRuleType.VELOCITY, "p1", "a2", "t2", true, 0.8),
                        alert("velocity", FraudRuleType.VELOCITY, "p2", "b1", "t3", false, 1.0),
                        alert(
                                "structuring",
                                FraudRuleType.STRUCTURING,
                                "p1",
                                "a1",
                                "t4",
                                false,
                                0.5));
        produce(config, ledger.topic(Topics.FRAUD_ALERTS), alerts);
        produce(config, ledger.topic(Topics.FRAUD_ALERTS), List.of(alerts.get(1))); // a replay
        // a1's velocity window grows: two revisions (same id), the latest with 3 matches.
        produce(
                config,
                ledger.topic(Topics.FRAUD_ALERTS),
                List.of(revision(alerts.get(0), "t5", 2), revision(alerts.get(0), "t6", 3)));
        FraudRule v1 = rule(1, FraudMode.ALERT, true);
        FraudRule v2 = rule(2, FraudMode.BLOCK, true);
        FraudRule v3 = rule(3, FraudMode.BLOCK, false);
        produce(config, ledger.topic(Topics.FRAUD_RULES), List.of(v1, v2, v3));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(SinksJob.clusterConfiguration(config));
        JobClient sinks = job.start(env);
        try (Connection pg =
                        DriverManager.getConnection(
                                pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                Connection ch = job.clickHouseTarget().connect()) {
            List<String> expectedAlerts =
                    List.of(
                            "p1|a1|velocity|t6|false|t0, t6|3|t1, t5, t6",
                            "p1|a2|velocity|t2|true|t0, t2|1|",
                            "p2|b1|velocity|t3|false|t0, t3|1|",
                            "p1|a1|structuring|t4|false|t0, t4|1|");
            StoreRows.awaitRows(
                    "PostgreSQL fraud_alerts",
                    expectedAlerts,
                    () ->
                            rows(
                                    pg,
                                    "SELECT partner_id, account_id, rule_id, transaction_id,"
                                            + " blocked, array_to_string(triggering_transaction_ids,"
                                            + " ', '), matches,"
                                            + " array_to_string(latest_transaction_ids, ', ')"
                                            + " FROM fraud_alerts"));
            StoreRows.awaitRows(
                    "ClickHouse fraud_alerts",
                    expectedAlerts,
                    () ->
                            rows(
                                    ch,
                                    "SELECT partner_id, account_id, rule_id, transaction_id,"
                                            + " blocked, arrayStringConcat(triggering_transaction_ids,"
                                            + " ', '), matches,"
                                            + " arrayStringConcat(latest_transaction_ids, ', ')"
                                            + " FROM fraud_alerts FINAL"));
            List<String> expectedRules =
                    List.of(
                            "velocity|1|ALERT|true|ops",
                            "velocity|2|BLOCK|true|ops",
                            "velocity|3|BLOCK|false|ops");
            StoreRows.awaitRows(
                    "PostgreSQL fraud_rule_changes",
                    expectedRules,
                    () ->
                            rows(
                                    pg,
                                    "SELECT rule_id, version, mode, enabled, changed_by"
                                            + " FROM fraud_rule_changes"));
            StoreRows.awaitRows(
                    "ClickHouse fraud_rule_changes",
                    expectedRules,
                    () ->
                            rows(
                                    ch,
                                    "SELECT rule_id, version, mode, enabled, changed_by"
                                            + " FROM fraud_rule_changes FINAL"));
            assertThat(
                            rows(
                                    pg,
                                    "SELECT thresholds ->> 'maxCount', thresholds ->> 'window'"
                                            + " FROM fraud_rule_changes WHERE version = 1"))
                    .containsExactly("3|10m");
            assertThat(
                            rows(
                                    ch,
                                    "SELECT thresholds['maxCount'] FROM fraud_rule_changes FINAL"
                                            + " WHERE version = 1"))
                    .containsExactly("3");
            assertThat(rows(pg, "SELECT version, mode, enabled FROM fraud_rules_latest"))
                    .containsExactly("3|BLOCK|false");

            // The analyst queries, exact figures (the replayed alert counts once).
            assertThat(rows(ch, AnalystQueries.ALERTS_BY_RULE.sql()))
                    .containsExactly(
                            "velocity|VELOCITY|3|5|1|3|2|300000|0.8|2026-03-01 12:05:00.0|2026-03-01"
                                    + " 12:07:00.0",
                            "structuring|STRUCTURING|1|1|0|1|1|100000|0.5|2026-03-01"
                                    + " 12:05:00.0|2026-03-01 12:05:00.0");
            assertThat(rows(ch, AnalystQueries.ALERTS_BY_PARTNER.sql()))
                    .containsExactly(
                            "p1|HIGH|3|5|1|2|[structuring, velocity]",
                            "p2|HIGH|1|1|0|1|[velocity]");
        } finally {
            FlinkJobs.cancelAndWait(sinks);
        }
    }

    private static FraudAlert alert(
            String ruleId,
            FraudRuleType type,
            String partner,
            String account,
            String tx,
            boolean blocked,
            double score) {
        return FraudAlert.newBuilder()
                .setAlertId(ruleId + "/" + partner + "/" + tx)
                .setRuleId(ruleId)
                .setRuleVersion(1)
                .setRuleType(type)
                .setMode(blocked ? FraudMode.BLOCK : FraudMode.ALERT)
                .setSeverity(FraudSeverity.HIGH)
                .setScore(score)
                .setPartnerId(partner)
                .setAccountId(account)
                .setTransactionId(tx)
                .setMovementType(MovementType.TRANSFER)
                .setAmountMinor(100_000)
                .setCurrency("EUR")
                .setTriggeringTransactionIds(List.of("t0", tx))
                .setExplanation("test alert " + tx)
                .setBlocked(blocked)
                .setEventTime(T0)
                .setDetectedTime(T0.plusSeconds(300))
                .build();
    }

    /** {@code window} grown to {@code matches}, its latest match {@code tx}, two minutes on. */
    private static FraudAlert revision(FraudAlert window, String tx, long matches) {
        List<String> latest = new ArrayList<>();
        latest.add(window.getTransactionId());
        for (int i = 5; i < 5 + matches - 1; i++) {
            latest.add("t" + i);
        }
        return FraudAlert.newBuilder(window)
                .setTransactionId(tx)
                .setTriggeringTransactionIds(List.of("t0", tx))
                .setMatches(matches)
                .setFirstEventTime(window.getEventTime())
                .setLastDetectedTime(window.getDetectedTime().plusSeconds(60 * (matches - 1)))
                .setLatestTransactionIds(latest)
                .build();
    }

    private static FraudRule rule(long version, FraudMode mode, boolean enabled) {
        return FraudRule.newBuilder()
                .setRuleId("velocity")
                .setRuleType(FraudRuleType.VELOCITY)
                .setMode(mode)
                .setEnabled(enabled)
                .setSeverity(FraudSeverity.HIGH)
                .setThresholds(Map.of("window", "10m", "maxCount", "3"))
                .setVersion(version)
                .setChangedBy("ops")
                .setChangedAt(T0.plusSeconds(version))
                .setDescription("bursts")
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void produce(
            SinksConfig config, String topic, List<T> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Class<T> type = (Class<T>) records.get(0).getClass();
        try (KafkaProducer<String, T> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(
                                SchemaRegistryClient.forUrl(config.schemaRegistryUrl()), type))) {
            for (T r : records) {
                // Keyed as the ledger keys its alerts (by account): a window's revisions stay in
                // order in one partition.
                String key = r instanceof FraudAlert a ? a.getAccountId() : null;
                producer.send(new ProducerRecord<>(topic, key, r));
            }
            producer.flush();
        }
    }

    /** Every row as its columns joined by "|". */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (i > 1) {
                        row.append('|');
                    }
                    Object value = rs.getObject(i);
                    row.append(
                            value instanceof java.sql.Array a
                                    ? List.of((Object[]) a.getArray()).toString()
                                    : value instanceof Object[] array
                                            ? List.of(array).toString()
                                            : String.valueOf(value));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
