package io.ledgerflow.sinks.kafka;

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
}
