package io.ledgerflow.schemas.flink;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.registry.SchemaRegistryConfig;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Flink {@link SerializationSchema} writing generated Avro records of one topic in the Confluent
 * wire format (subject {@code <topic>-value}), e.g. for a {@code KafkaRecordSerializationSchema}'s
 * value.
 *
 * <p>Only the registry config travels with the job graph; the client and encoder are built in
 * {@link #open}, per parallel instance.
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroSerializationSchema<T extends SpecificRecord>
        implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final SchemaRegistryConfig registry;
    private final String topic;
    private final Class<T> recordClass;
    private transient ConfluentAvroEncoder<T> encoder;

    public ConfluentAvroSerializationSchema(
            SchemaRegistryConfig registry, String topic, Class<T> recordClass) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    }

    @Override
    public void open(InitializationContext context) {
        encoder =
                ConfluentAvroEncoder.forTopic(
                        new SchemaRegistryClient(registry), topic, recordClass);
    }

    @Override
    public byte[] serialize(T element) {
        if (encoder == null) {
            throw new IllegalStateException("open() was not called");
        }
        return encoder.encode(element);
    }
}
