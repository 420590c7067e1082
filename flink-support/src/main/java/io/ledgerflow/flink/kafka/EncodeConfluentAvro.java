package io.ledgerflow.flink.kafka;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Encodes a record for its topic: key as UTF-8 string, value as Confluent-format Avro (schema
 * registered under {@code <topic>-value} once, then cached). All of a job's outputs become {@link
 * KafkaRecordBytes} so one transactional sink writes them together.
 */
public final class EncodeConfluentAvro<T extends SpecificRecord>
        extends RichMapFunction<T, KafkaRecordBytes> {

    private static final long serialVersionUID = 1L;

    private final String registryUrl;
    private final String topic;
    private final Class<T> recordClass;
    private final SerializableFunction<T, String> key;
    private transient ConfluentAvroEncoder<T> encoder;

    public EncodeConfluentAvro(
            String registryUrl,
            String topic,
            Class<T> recordClass,
            SerializableFunction<T, String> key) {
        this.registryUrl = registryUrl;
        this.topic = topic;
        this.recordClass = recordClass;
        this.key = key;
    }

    @Override
    public void open(OpenContext openContext) {
        encoder =
                ConfluentAvroEncoder.forTopic(
                        SchemaRegistryClient.forUrl(registryUrl), topic, recordClass);
    }

    @Override
    public KafkaRecordBytes map(T record) {
        String k = key.apply(record);
        return KafkaRecordBytes.of(
                topic,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                encoder.encode(record));
    }
}
