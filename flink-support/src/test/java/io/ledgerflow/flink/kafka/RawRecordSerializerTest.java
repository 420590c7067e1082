package io.ledgerflow.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RawRecordSerializerTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void declaresItsTopicsForPooledTransactionNames() {
        RawRecordSerializer serializer = new RawRecordSerializer(List.of("a.results", "a.entries"));
        assertThat(serializer.getKafkaDatasetFacet())
                .map(KafkaDatasetFacet::getTopicIdentifier)
                .get()
                .satisfies(
                        id -> assertThat(id.getTopics()).containsExactly("a.results", "a.entries"));
    }

    @Test
    void writesToTheTopicARecordNamesAndRefusesAnUndeclaredOne() {
        RawRecordSerializer serializer = new RawRecordSerializer(List.of("a.results"));
        ProducerRecord<byte[], byte[]> record =
                serializer.serialize(
                        KafkaRecordBytes.of("a.results", bytes("k"), bytes("v")), null, 42L);
        assertThat(record.topic()).isEqualTo("a.results");
        assertThat(record.key()).isEqualTo(bytes("k"));
        assertThat(record.value()).isEqualTo(bytes("v"));
        assertThat(record.timestamp()).isEqualTo(42L);

        assertThatThrownBy(
                        () ->
                                serializer.serialize(
                                        KafkaRecordBytes.of("elsewhere", bytes("k"), bytes("v")),
                                        null,
                                        1L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("elsewhere");
        assertThatThrownBy(() -> new RawRecordSerializer(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
