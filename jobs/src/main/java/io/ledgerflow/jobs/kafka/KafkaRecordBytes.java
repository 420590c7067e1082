package io.ledgerflow.jobs.kafka;

/**
 * A Kafka record as bytes: what the sources read before decoding (so an undecodable record can be
 * dead-lettered with its origin) and what the sink writes after encoding. A Flink POJO.
 */
public class KafkaRecordBytes {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public KafkaRecordBytes() {}

    public static KafkaRecordBytes of(String topic, byte[] key, byte[] value) {
        KafkaRecordBytes record = new KafkaRecordBytes();
        record.topic = topic;
        record.partition = -1;
        record.offset = -1;
        record.key = key;
        record.value = value;
        return record;
    }
}
