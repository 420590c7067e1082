package io.ledgerflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudMode;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.FraudRuleType;
import io.ledgerflow.avro.FraudSeverity;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.testutils.MiniClusters;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import io.ledgerflow.schemas.testutils.FakeSchemaRegistry;
import io.ledgerflow.sinks.SinksJob.LedgerOutputs;
import io.ledgerflow.sinks.SinksJob.StoreStreams;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import io.ledgerflow.sinks.aggregates.WindowAggregate;
import io.ledgerflow.sinks.kafka.DeadLetterRow;
import io.ledgerflow.sinks.testutils.Decisions;
import io.ledgerflow.sinks.testutils.WideRows;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sinks job's graph without Kafka or databases: {@link SinksJob#decode} and {@link
 * SinksJob#defineWorkflow} on a MiniCluster, fed a bounded list of records as the Kafka source
 * would read them (Confluent Avro, registered in an in-process registry) and read back through
 * collecting sinks. Every record type reaches the store streams meant for it and no other, an
 * undecodable fraud rule becomes a dead-letter row, and a completed transfer is counted in the
 * windowed aggregates.
 */
class SinksJobWorkflowTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.of(1, 2);

    private static final String PREFIX = "wf-";
    private static final String JOB = "ledger";

    private static FakeSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = FakeSchemaRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void everyDecodedRecordReachesItsStoresAndAnUndecodableRuleBecomesADeadLetterRow()
            throws Exception {
        TransactionResult transfer =
                Decisions.transfer("tx-1", "2026-03-02T10:00:05Z", "p1", "acc-1", "acc-2", 700);
        LedgerEntry entry = WideRows.systemEntry(1);
        AccountState state = WideRows.systemAccount(1);
        AccountCommandResult opened =
                AccountCommandResult.newBuilder()
                        .setCommandId("cmd-1")
                        .setPartnerId("p1")
                        .setAccountId("acc-1")
                        .setType(AccountCommandType.OPEN)
                        .setAccepted(true)
                        .setReason(null)
                        .setReasonDetail(null)
                        .setDecisionTime(Instant.parse("2026-03-02T10:00:00Z"))
                        .build();
        DeadLetter ledgersOwn =
                DeadLetters.pastTheSource(
                        "ledger.requests",
                        "tx-9",
                        null,
                        "DUPLICATE_TRANSACTION",
                        "reused id",
                        JOB,
                        Instant.parse("2026-03-02T10:00:06Z"));
        FraudRule rule =
                FraudRule.newBuilder()
                        .setRuleId("velocity-1")
                        .setRuleType(FraudRuleType.VELOCITY)
                        .setMode(FraudMode.ALERT)
                        .setEnabled(true)
                        .setSeverity(FraudSeverity.HIGH)
                        .setThresholds(Map.of("window", "10m", "maxCount", "3"))
                        .setVersion(1)
                        .setChangedBy("analyst")
                        .setChangedAt(Instant.parse("2026-03-02T09:00:00Z"))
                        .setDescription("four outgoing movements in ten minutes")
                        .build();
        FraudAlert alert =
                FraudAlert.newBuilder()
                        .setAlertId("alert-1")
                        .setRuleId("velocity-1")
                        .setRuleVersion(1)
                        .setRuleType(FraudRuleType.VELOCITY)
                        .setMode(FraudMode.ALERT)
                        .setSeverity(FraudSeverity.HIGH)
                        .setScore(0.5)
                        .setPartnerId("p1")
                        .setAccountId("acc-1")
                        .setTransactionId("tx-1")
                        .setMovementType(MovementType.TRANSFER)
                        .setAmountMinor(700)
                        .setCurrency("EUR")
                        .setTriggeringTransactionIds(List.of("tx-1"))
                        .setExplanation("4 outgoing movements within 10 minutes")
                        .setBlocked(false)
                        .setEventTime(Instant.parse("2026-03-02T10:00:05Z"))
                        .setDetectedTime(Instant.parse("2026-03-02T10:00:06Z"))
                        .build();
        List<KafkaRecordBytes> read = new ArrayList<>();
        read.add(encoded(Topics.TRANSACTION_RESULTS, 0, transfer, TransactionResult.class));
        read.add(encoded(Topics.LEDGER_ENTRIES, 1, entry, LedgerEntry.class));
        read.add(encoded(Topics.ACCOUNT_STATES, 2, state, AccountState.class));
        read.add(encoded(Topics.ACCOUNT_COMMAND_RESULTS, 3, opened, AccountCommandResult.class));
        read.add(encoded(Topics.DEAD_LETTERS, 4, ledgersOwn, DeadLetter.class));
        read.add(raw(Topics.FRAUD_RULES, 5, "not avro".getBytes(StandardCharsets.UTF_8)));
        read.add(encoded(Topics.FRAUD_RULES, 6, rule, FraudRule.class));
        read.add(encoded(Topics.FRAUD_ALERTS, 7, alert, FraudAlert.class));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(SinksJob.pipelineConfiguration());
        env.setParallelism(2);
        LedgerOutputs decoded =
                SinksJob.decode(
                        env.fromData(KafkaRecordBytes.TYPE, read.toArray(KafkaRecordBytes[]::new))
                                .uid("records"),
                        PREFIX,
                        registry.url(),
                        Set.of());
        StoreStreams out =
                SinksJob.defineWorkflow(decoded, AggregatesConfig.defaults().withEnabled(true));

        var readModelTransactions = collect(out.readModelTransactions());
        var analyticsTransactions = collect(out.analyticsTransactions());
        var readModelEntries = collect(out.readModelLedgerEntries());
        var analyticsEntries = collect(out.analyticsLedgerEntries());
        var readModelAccounts = collect(out.readModelAccounts());
        var analyticsBalances = collect(out.analyticsBalances());
        var commandResults = collect(out.readModelCommandResults());
        var deadLetters = collect(out.readModelDeadLetters());
        var readModelRules = collect(out.readModelFraudRuleChanges());
        var analyticsRules = collect(out.analyticsFraudRuleChanges());
        var readModelAlerts = collect(out.readModelFraudAlerts());
        var analyticsAlerts = collect(out.analyticsFraudAlerts());
        var aggregates = collect(out.aggregates().orElseThrow().analyticsAggregates());
        env.execute("sinks workflow");

        assertThat(drain(readModelTransactions)).containsExactly(transfer);
        assertThat(drain(analyticsTransactions)).containsExactly(transfer);
        assertThat(drain(readModelEntries)).containsExactly(entry);
        assertThat(drain(analyticsEntries)).containsExactly(entry);
        assertThat(drain(readModelAccounts)).containsExactly(state);
        assertThat(drain(analyticsBalances)).containsExactly(state);
        assertThat(drain(commandResults)).containsExactly(opened);
        assertThat(drain(readModelRules)).containsExactly(rule);
        assertThat(drain(analyticsRules)).containsExactly(rule);
        assertThat(drain(readModelAlerts)).containsExactly(alert);
        assertThat(drain(analyticsAlerts)).containsExactly(alert);

        List<DeadLetterRow> rows = drain(deadLetters);
        assertThat(rows)
                .extracting(r -> r.reason, r -> r.originTopic, r -> r.originOffset, r -> r.job)
                .containsExactlyInAnyOrder(
                        tuple("DUPLICATE_TRANSACTION", PREFIX + Topics.DEAD_LETTERS, 4L, JOB),
                        tuple(
                                "NOT_CONFLUENT_AVRO",
                                PREFIX + Topics.FRAUD_RULES,
                                5L,
                                SinksConfig.JOB_NAME));

        // The end of the bounded input closes every window: the transfer counts once per level.
        List<WindowAggregate> minutes =
                drain(aggregates).stream()
                        .filter(row -> row.level.equals("1m"))
                        .filter(row -> row.figures.scope.equals("partner"))
                        .toList();
        assertThat(minutes).hasSize(1);
        assertThat(minutes.get(0).figures.movements).isEqualTo(1);
        assertThat(minutes.get(0).figures.approved).isEqualTo(1);
        assertThat(minutes.get(0).figures.totalMinor).isEqualTo(700);
    }

    private static <T extends SpecificRecord> KafkaRecordBytes encoded(
            String topic, long offset, T record, Class<T> type) {
        ConfluentAvroEncoder<T> encoder =
                ConfluentAvroEncoder.forTopic(
                        SchemaRegistryClient.forUrl(registry.url()), PREFIX + topic, type);
        return raw(topic, offset, encoder.encode(record));
    }

    private static KafkaRecordBytes raw(String topic, long offset, byte[] value) {
        KafkaRecordBytes record = KafkaRecordBytes.of(PREFIX + topic, null, value);
        record.partition = 0;
        record.offset = offset;
        return record;
    }

    private static <T> CloseableIterator<T> collect(DataStream<T> stream) {
        return stream.collectAsync();
    }

    private static <T> List<T> drain(CloseableIterator<T> results) throws Exception {
        List<T> all = new ArrayList<>();
        try (results) {
            results.forEachRemaining(all::add);
        }
        return all;
    }
}
