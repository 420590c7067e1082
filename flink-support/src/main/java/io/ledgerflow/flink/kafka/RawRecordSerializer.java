package io.ledgerflow.flink.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes already-encoded records to the topic each one names. */
public final class RawRecordSerializer implements KafkaRecordSerializationSchema<KafkaRecordBytes> {

    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KafkaRecordBytes record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(record.topic, null, timestamp, record.key, record.value);
    }
}
