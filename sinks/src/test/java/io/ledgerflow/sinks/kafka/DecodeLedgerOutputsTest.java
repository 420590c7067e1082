package io.ledgerflow.sinks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.UnreadableInternalRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Undecodable records, by who writes their topic: on the ledger's outputs (internal) they stop the
 * job unless an operator skipped their exact position; on the fraud-rules topic (input) they are
 * dead letters. No registry is needed: the bytes fail at the Confluent header.
 */
class DecodeLedgerOutputsTest {

    private static final String PREFIX = "p-";
    private static final byte[] GARBAGE = "not avro".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(
            strings = {
                Topics.TRANSACTION_RESULTS,
                Topics.LEDGER_ENTRIES,
                Topics.ACCOUNT_STATES,
                Topics.ACCOUNT_COMMAND_RESULTS,
                Topics.FRAUD_ALERTS,
                Topics.DEAD_LETTERS
            })
    void garbageOnAnInternalTopicFailsNamingItsPosition(String topic) throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaRecordBytes, TransactionResult> harness =
                harness(Set.of())) {
            assertThatThrownBy(() -> harness.processElement(record(PREFIX + topic, 1, 42), 0))
                    .isInstanceOf(UnreadableInternalRecordException.class)
                    .hasMessageContaining(PREFIX + topic + "-1@42")
                    .hasMessageContaining("NOT_CONFLUENT_AVRO");
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aSkippedPositionIsDroppedAndOnlyThatOne() throws Exception {
        String topic = PREFIX + Topics.ACCOUNT_STATES;
        try (OneInputStreamOperatorTestHarness<KafkaRecordBytes, TransactionResult> harness =
                harness(Set.of(topic + "-0@7"))) {
            harness.processElement(record(topic, 0, 7), 0);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThatThrownBy(() -> harness.processElement(record(topic, 0, 8), 0))
                    .isInstanceOf(UnreadableInternalRecordException.class)
                    .hasMessageContaining(topic + "-0@8");
            assertThatThrownBy(() -> harness.processElement(record(topic, 1, 7), 0))
                    .isInstanceOf(UnreadableInternalRecordException.class);
        }
    }

    @Test
    void garbageOnTheFraudRulesTopicIsADeadLetter() throws Exception {
        String topic = PREFIX + Topics.FRAUD_RULES;
        try (OneInputStreamOperatorTestHarness<KafkaRecordBytes, TransactionResult> harness =
                harness(Set.of())) {
            harness.processElement(record(topic, 1, 3), 0);
            assertThat(harness.extractOutputValues()).as("main output: good records").isEmpty();
            List<DeadLetterRow> rows =
                    harness.getSideOutput(DecodeLedgerOutputs.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(rows).hasSize(1);
            DeadLetterRow row = rows.get(0);
            assertThat(row.reason).isEqualTo("NOT_CONFLUENT_AVRO");
            assertThat(row.originTopic).isEqualTo(topic);
            assertThat(row.originPartition).isEqualTo(1);
            assertThat(row.originOffset).isEqualTo(3);
            assertThat(row.job).isEqualTo("test-job");
            assertThat(row.value).isEqualTo(GARBAGE);
            assertThat(row.sourceTopic).as("this job's own: read where it failed").isEqualTo(topic);
            assertThat(row.sourceOffset).isEqualTo(3);
        }
    }

    @Test
    void aTopicTheJobDoesNotReadIsABugNotADeadLetter() throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaRecordBytes, TransactionResult> harness =
                harness(Set.of())) {
            assertThatThrownBy(() -> harness.processElement(record("elsewhere", 0, 1), 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("elsewhere");
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    private static OneInputStreamOperatorTestHarness<KafkaRecordBytes, TransactionResult> harness(
            Set<String> skipped) throws Exception {
        // Never contacted: the records here fail before a schema is looked up.
        return ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeLedgerOutputs("http://127.0.0.1:9", PREFIX, "test-job", skipped));
    }

    private static KafkaRecordBytes record(String topic, int partition, long offset) {
        KafkaRecordBytes r = new KafkaRecordBytes();
        r.topic = topic;
        r.partition = partition;
        r.offset = offset;
        r.key = null;
        r.value = GARBAGE;
        return r;
    }
}
