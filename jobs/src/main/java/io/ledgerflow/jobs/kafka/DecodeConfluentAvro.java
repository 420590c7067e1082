package io.ledgerflow.jobs.kafka;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Confluent-format Avro values into {@code T}. A record that can never decode (not
 * Confluent Avro, unknown schema id, corrupt body) goes to {@link #DEAD_LETTERS} with the reason
 * and the original bytes, and the job keeps running. A registry outage for an uncached schema is
 * not the record's fault: it fails the task, which restarts from its checkpoint and retries.
 */
public final class DecodeConfluentAvro<T extends SpecificRecord>
        extends ProcessFunction<KafkaRecordBytes, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("undecodable", new AvroTypeInfo<>(DeadLetter.class));

    private final String registryUrl;
    private final Class<T> recordClass;
    private final String jobName;
    private transient ConfluentAvroDecoder<T> decoder;

    public DecodeConfluentAvro(String registryUrl, Class<T> recordClass, String jobName) {
        this.registryUrl = registryUrl;
        this.recordClass = recordClass;
        this.jobName = jobName;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new ConfluentAvroDecoder<>(SchemaRegistryClient.forUrl(registryUrl), recordClass);
    }

    @Override
    public void processElement(KafkaRecordBytes record, Context ctx, Collector<T> out) {
        try {
            out.collect(decoder.decode(record.value));
        } catch (InvalidRecordException e) {
            if (e.reason().retryable()) {
                throw e;
            }
            ctx.output(
                    DEAD_LETTERS,
                    DeadLetter.newBuilder()
                            .setSourceTopic(record.topic)
                            .setSourcePartition(record.partition)
                            .setSourceOffset(record.offset)
                            .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
                            .setValue(record.value == null ? null : ByteBuffer.wrap(record.value))
                            .setReason(e.reason().name())
                            .setDetail(String.valueOf(e.getMessage()))
                            .setJob(jobName)
                            .setFailedTime(
                                    Instant.ofEpochMilli(
                                            ctx.timerService().currentProcessingTime()))
                            .build());
        }
    }
}
