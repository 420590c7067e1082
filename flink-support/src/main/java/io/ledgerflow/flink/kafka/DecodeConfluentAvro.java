package io.ledgerflow.flink.kafka;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.flink.DeadLetters;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import io.ledgerflow.schemas.kafka.UnreadableInternalRecordException;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.time.Instant;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Confluent-format Avro values into {@code T}.
 *
 * <p>On an input topic ({@link #DecodeConfluentAvro(String, Class, String) the usual form}), a
 * record that can never decode (not Confluent Avro, unknown schema id, corrupt body) goes to {@link
 * #DEAD_LETTERS} with the reason and the original bytes, and the job keeps running: bad input is
 * the producer's problem, not everybody's.
 *
 * <p>On an internal topic ({@link #forInternalTopic}), the job's own loop, the same record fails
 * the task instead: it was written by the job itself, so it carries money in flight (a transfer's
 * credit), and dropping it to a dead letter would lose that money silently. The job restarts from
 * its checkpoint and stops at the record again until an operator acts (runbook, "An internal record
 * cannot be read"): restore the registry, or, for a record the job never wrote, skip that exact
 * position with {@code --skip-internal-records}.
 *
 * <p>Either way a registry outage for an uncached schema is not the record's fault: it fails the
 * task, which restarts from its checkpoint and retries.
 */
public final class DecodeConfluentAvro<T extends SpecificRecord>
        extends ProcessFunction<KafkaRecordBytes, T> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(DecodeConfluentAvro.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("undecodable", DeadLetters.TYPE);

    private final String registryUrl;
    private final Class<T> recordClass;
    private final String jobName;

    /** Null on an input topic; on an internal topic, the positions an operator chose to skip. */
    private final Set<String> skippedInternalRecords;

    private transient ConfluentAvroDecoder<T> decoder;

    public DecodeConfluentAvro(String registryUrl, Class<T> recordClass, String jobName) {
        this(registryUrl, recordClass, jobName, null);
    }

    private DecodeConfluentAvro(
            String registryUrl,
            Class<T> recordClass,
            String jobName,
            Set<String> skippedInternalRecords) {
        this.registryUrl = registryUrl;
        this.recordClass = recordClass;
        this.jobName = jobName;
        this.skippedInternalRecords = skippedInternalRecords;
    }

    /**
     * A decoder for one of the job's own topics: a record that cannot be read fails the task,
     * except at the positions in {@code skipped} ({@link InternalRecordPositions} form, {@code
     * topic-partition@offset}), which an operator has inspected and chosen to drop.
     */
    public static <T extends SpecificRecord> DecodeConfluentAvro<T> forInternalTopic(
            String registryUrl, Class<T> recordClass, String jobName, Set<String> skipped) {
        return new DecodeConfluentAvro<>(registryUrl, recordClass, jobName, Set.copyOf(skipped));
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new ConfluentAvroDecoder<>(SchemaRegistryClient.forUrl(registryUrl), recordClass);
    }

    @Override
    public void processElement(KafkaRecordBytes record, Context ctx, Collector<T> out) {
        String position =
                skippedInternalRecords == null
                        ? null
                        : InternalRecordPositions.of(record.topic, record.partition, record.offset);
        if (position != null && skippedInternalRecords.contains(position)) {
            LOG.warn(
                    "Skipping internal record {} as configured (--skip-internal-records)",
                    position);
            return;
        }
        try {
            out.collect(decoder.decode(record.value));
        } catch (InvalidRecordException e) {
            if (e.reason().retryable()) {
                throw e;
            }
            if (position != null) {
                throw new UnreadableInternalRecordException(
                        position,
                        e,
                        "It is the job's own data and may carry money in flight, so the job"
                                + " stops here instead of dead-lettering it.");
            }
            ctx.output(
                    DEAD_LETTERS,
                    DeadLetters.ofRecord(
                            record,
                            e.reason().name(),
                            e.getMessage(),
                            jobName,
                            Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
        }
    }
}
