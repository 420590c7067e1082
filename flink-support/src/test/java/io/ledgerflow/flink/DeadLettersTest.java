package io.ledgerflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Both kinds of dead letter carry what an operator needs to find and replay their origin. */
class DeadLettersTest {

    private static final Instant FAILED = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void anUnusableRecordKeepsItsPositionAndOriginalBytes() {
        KafkaRecordBytes record = new KafkaRecordBytes();
        record.topic = "ledger.requests";
        record.partition = 3;
        record.offset = 42;
        record.key = bytes("acc-1");
        record.value = new byte[] {0, 1, 2};

        DeadLetter d = DeadLetters.ofRecord(record, "NOT_CONFLUENT_AVRO", null, "ledger", FAILED);

        assertThat(d.getSourceTopic()).isEqualTo("ledger.requests");
        assertThat(d.getSourcePartition()).isEqualTo(3);
        assertThat(d.getSourceOffset()).isEqualTo(42);
        assertThat(array(d.getKey())).isEqualTo(bytes("acc-1"));
        assertThat(array(d.getValue())).containsExactly(0, 1, 2);
        assertThat(d.getReason()).isEqualTo("NOT_CONFLUENT_AVRO");
        assertThat(d.getDetail()).as("an exception without a message").isEqualTo("null");
        assertThat(d.getJob()).isEqualTo("ledger");
        assertThat(d.getFailedTime()).isEqualTo(FAILED);
    }

    @Test
    void somethingRefusedPastTheSourceHasNoPositionButItsKeyAndValueAsText() {
        DeadLetter d =
                DeadLetters.pastTheSource(
                        "ledger.fraud-rules",
                        "velocity-1",
                        null,
                        "INVALID_FRAUD_RULE",
                        "window too long",
                        "ledger",
                        FAILED);

        assertThat(d.getSourcePartition()).isEqualTo(DeadLetters.UNKNOWN_PARTITION);
        assertThat(d.getSourceOffset()).isEqualTo(DeadLetters.UNKNOWN_OFFSET);
        assertThat(array(d.getKey())).isEqualTo(bytes("velocity-1"));
        assertThat(d.getValue()).isNull();
        assertThat(d.getDetail()).isEqualTo("window too long");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
