package io.ledgerflow.sinks.kafka;

import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import java.nio.ByteBuffer;

/**
 * A dead letter as the read model stores it. {@code origin*} is where the sinks job read it: the
 * dead-letter topic for the ledger's own dead letters, or the output topic whose record this job
 * could not decode. The origin is unique per dead letter, so a replay writes the same row again
 * instead of a second one. A Flink POJO.
 */
public class DeadLetterRow {
    public String originTopic;
    public int originPartition;
    public long originOffset;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public String reason;
    public String detail;
    public String job;
    public long failedTimeMillis;
    public byte[] key;
    public byte[] value;

    public DeadLetterRow() {}

    /** {@code deadLetter} as read at {@code origin}: the ledger's own, or one this job made. */
    public static DeadLetterRow of(KafkaRecordBytes origin, DeadLetter deadLetter) {
        DeadLetterRow row = new DeadLetterRow();
        row.originTopic = origin.topic;
        row.originPartition = origin.partition;
        row.originOffset = origin.offset;
        row.sourceTopic = deadLetter.getSourceTopic();
        row.sourcePartition = deadLetter.getSourcePartition();
        row.sourceOffset = deadLetter.getSourceOffset();
        row.reason = deadLetter.getReason();
        row.detail = deadLetter.getDetail();
        row.job = deadLetter.getJob();
        row.failedTimeMillis = deadLetter.getFailedTime().toEpochMilli();
        row.key = bytes(deadLetter.getKey());
        row.value = bytes(deadLetter.getValue());
        return row;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate(); // the record's own position stays where it was
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
