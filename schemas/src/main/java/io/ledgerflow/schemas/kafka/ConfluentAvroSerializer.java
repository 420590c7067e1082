package io.ledgerflow.schemas.kafka;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} writing generated Avro records in the Confluent wire format, subject
 * {@code <topic>-value}. Built in code, not from producer properties:
 *
 * <pre>{@code
 * new KafkaProducer<>(props, new StringSerializer(),
 *         new ConfluentAvroSerializer<>(registryClient, LedgerRequest.class));
 * }</pre>
 *
 * <p>A {@code null} value stays {@code null} (a tombstone). Failures are {@link
 * SerializationException}s thrown from {@code send()}; the cause is a {@link
 * io.ledgerflow.schemas.registry.SchemaRegistryException} when the registry could not register the
 * schema (unreachable before the first send, or 409 incompatible).
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final Class<T> recordClass;
    private final Map<String, ConfluentAvroEncoder<T>> encodersByTopic = new ConcurrentHashMap<>();

    public ConfluentAvroSerializer(SchemaRegistryClient registry, Class<T> recordClass) {
        this.registry = registry;
        this.recordClass = recordClass;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ConfluentAvroEncoder<T> encoder =
                encodersByTopic.computeIfAbsent(
                        topic, t -> ConfluentAvroEncoder.forTopic(registry, t, recordClass));
        try {
            return encoder.encode(data);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize " + recordClass.getSimpleName() + " for topic " + topic, e);
        }
    }
}
