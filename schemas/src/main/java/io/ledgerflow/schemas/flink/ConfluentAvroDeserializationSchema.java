package io.ledgerflow.schemas.flink;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.registry.SchemaRegistryConfig;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Flink {@link DeserializationSchema} reading Confluent wire-format values into a generated Avro
 * class. Records travel between operators with Flink's Avro serializer ({@link AvroTypeInfo}), not
 * Kryo.
 *
 * <p>Bad bytes throw {@link InvalidRecordException}, which fails the task: use this where every
 * record must decode. A job that dead-letters bad input instead builds a {@link
 * ConfluentAvroDecoder} in its own {@code KafkaRecordDeserializationSchema#open} and routes on
 * {@link InvalidRecordException#reason()} (failing only on the retryable {@code
 * REGISTRY_UNAVAILABLE}).
 *
 * <p>Only the registry config travels with the job graph; the client and decoder are built in
 * {@link #open}, per parallel instance.
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroDeserializationSchema<T extends SpecificRecordBase>
        implements DeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final SchemaRegistryConfig registry;
    private final Class<T> recordClass;
    private transient ConfluentAvroDecoder<T> decoder;

    public ConfluentAvroDeserializationSchema(SchemaRegistryConfig registry, Class<T> recordClass) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    }

    @Override
    public void open(InitializationContext context) {
        decoder = new ConfluentAvroDecoder<>(new SchemaRegistryClient(registry), recordClass);
    }

    @Override
    public T deserialize(byte[] message) {
        if (decoder == null) {
            throw new IllegalStateException("open() was not called");
        }
        return decoder.decode(message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(recordClass);
    }
}
