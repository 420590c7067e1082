package io.ledgerflow.flink;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.flink.types.RecordTypeInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one place a {@link DeadLetter} is built: what went wrong ({@code reason}, a code an operator
 * can count by, and {@code detail}, a sentence or a stack trace), where the record came from, the
 * job that gave up on it and when. Every job's dead letters have the same shape, so the read model
 * stores them in one table and an operator reads them one way.
 *
 * <p>Two kinds of origin: a record read from Kafka that cannot be used ({@link #ofRecord}: its
 * exact position and original bytes, so it can be inspected and replayed), and something refused
 * past the source, in keyed state or on a broadcast input ({@link #pastTheSource}), where the Kafka
 * position is no longer known and the key and a readable copy of the value are what is left.
 */
public final class DeadLetters {

    /** A dead letter's partition and offset when its Kafka position is not known. */
    public static final int UNKNOWN_PARTITION = -1;

    public static final long UNKNOWN_OFFSET = -1;

    /** How dead letters travel between operators (Avro, read with Avro's fast reader). */
    public static final RecordTypeInfo<DeadLetter> TYPE =
            AvroRecordSerializer.typeOf(DeadLetter.class);

    private DeadLetters() {}

    /** A record read from Kafka that cannot be used: its position and its original bytes. */
    public static DeadLetter ofRecord(
            KafkaRecordBytes record, String reason, String detail, String job, Instant failed) {
        return deadLetter(
                record.topic,
                record.partition,
                record.offset,
                record.key,
                record.value,
                reason,
                detail,
                job,
                failed);
    }

    /**
     * Something refused after its source, where its Kafka position is no longer known: the topic it
     * was read from, its key, and the value as text (null when the detail says it all).
     */
    public static DeadLetter pastTheSource(
            String topic,
            String key,
            String value,
            String reason,
            String detail,
            String job,
            Instant failed) {
        return deadLetter(
                topic,
                UNKNOWN_PARTITION,
                UNKNOWN_OFFSET,
                utf8(key),
                utf8(value),
                reason,
                detail,
                job,
                failed);
    }

    private static DeadLetter deadLetter(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            String reason,
            String detail,
            String job,
            Instant failed) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason)
                // The schema's detail is not nullable; an exception without a message says "null".
                .setDetail(String.valueOf(detail))
                .setJob(job)
                .setFailedTime(failed)
                .build();
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
