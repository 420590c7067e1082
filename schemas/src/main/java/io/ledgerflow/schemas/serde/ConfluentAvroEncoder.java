package io.ledgerflow.schemas.serde;

import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes records of one generated Avro class in the Confluent wire format, for one registry
 * subject (normally {@code <topic>-value}).
 *
 * <p>The class's schema is registered on the first {@link #encode} and its id kept, so after that
 * encoding never calls the registry again. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroEncoder<T extends SpecificRecord> {

    private static final int UNREGISTERED = -1;

    private final SchemaRegistryClient registry;
    private final String subject;
    private final Schema writerSchema;
    private final DatumWriter<T> writer;
    private volatile int schemaId = UNREGISTERED;

    public ConfluentAvroEncoder(
            SchemaRegistryClient registry, String subject, Class<T> recordClass) {
        this.registry = registry;
        this.subject = subject;
        SpecificData model = SpecificData.getForClass(recordClass);
        this.writerSchema = model.getSchema(recordClass);
        // The class's own model carries its logical-type conversions (Instant for timestamps).
        this.writer = new SpecificDatumWriter<>(writerSchema, model);
    }

    /** An encoder for the values of {@code topic}: subject {@code <topic>-value}. */
    public static <T extends SpecificRecord> ConfluentAvroEncoder<T> forTopic(
            SchemaRegistryClient registry, String topic, Class<T> recordClass) {
        return new ConfluentAvroEncoder<>(
                registry, ConfluentWireFormat.valueSubject(topic), recordClass);
    }

    /**
     * The record in the Confluent wire format.
     *
     * @throws SchemaRegistryException if the schema is not registered yet and the registry is
     *     unreachable or refuses it (incompatible with the subject)
     * @throws IllegalArgumentException if the record cannot be encoded with its schema (a required
     *     field is null)
     */
    public byte[] encode(T record) {
        int id = schemaId();
        Scratch scratch = SCRATCH.get();
        ByteArrayOutputStream out = scratch.bytes;
        out.reset();
        out.write(
                new byte[ConfluentWireFormat.HEADER_LENGTH], 0, ConfluentWireFormat.HEADER_LENGTH);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, scratch.encoder);
            scratch.encoder = encoder;
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // The encoder's buffer still holds part of this record, which would otherwise be
            // flushed into the next one: the thread gets new ones.
            SCRATCH.remove();
            throw new IllegalArgumentException(
                    "cannot encode " + writerSchema.getFullName() + " for " + subject + ": " + e,
                    e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_KEPT_BUFFER) {
            SCRATCH.remove(); // one huge record should not pin its buffer to the thread
        }
        ConfluentWireFormat.writeHeader(id, bytes);
        return bytes;
    }

    private static final int MAX_KEPT_BUFFER = 64 * 1024;

    /**
     * Per thread, a buffer and a buffered Avro encoder, reused record after record. Avro's direct
     * encoder wrote every field straight into a new {@link ByteArrayOutputStream}, one synchronized
     * call per field and a regrown array per record: a third of the encoding time in the ledger
     * job's profile. The buffered encoder hands the stream one array per record instead.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder;
    }

    /** The registry id of the writer schema, registering it on first use. */
    public int schemaId() {
        int id = schemaId;
        if (id == UNREGISTERED) {
            // Registration is idempotent, so two threads racing here get the same id.
            id = registry.register(subject, writerSchema);
            schemaId = id;
        }
        return id;
    }

    public String subject() {
        return subject;
    }

    public Schema writerSchema() {
        return writerSchema;
    }
}
