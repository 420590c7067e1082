package io.ledgerflow.schemas.kafka;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} reading Confluent wire-format values into a generated Avro class,
 * whatever compatible schema version wrote them. Built in code:
 *
 * <pre>{@code
 * new KafkaConsumer<>(props, new StringDeserializer(),
 *         new ConfluentAvroDeserializer<>(registryClient, TransactionResult.class));
 * }</pre>
 *
 * <p>A {@code null} value (tombstone) stays {@code null}. Bad bytes throw {@link
 * InvalidRecordException}, which the consumer wraps in a {@code RecordDeserializationException}
 * carrying the partition, offset and raw bytes: catch that, look at the cause's {@link
 * InvalidRecordException#reason()}, dead-letter the record and seek past it (unless the reason is
 * retryable).
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final ConfluentAvroDecoder<T> decoder;

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> recordClass) {
        this.decoder = new ConfluentAvroDecoder<>(registry, recordClass);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decoder.decode(data);
    }
}
