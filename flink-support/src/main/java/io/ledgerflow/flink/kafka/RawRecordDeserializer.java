package io.ledgerflow.flink.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records as bytes with their origin. Decoding happens in the next operator so that a
 * bad record becomes a dead letter instead of failing the source.
 */
public final class RawRecordDeserializer
        implements KafkaRecordDeserializationSchema<KafkaRecordBytes> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecordBytes> out) {
        KafkaRecordBytes raw = new KafkaRecordBytes();
        raw.topic = record.topic();
        raw.partition = record.partition();
        raw.offset = record.offset();
        raw.key = record.key();
        raw.value = record.value();
        out.collect(raw);
    }

    @Override
    public TypeInformation<KafkaRecordBytes> getProducedType() {
        return KafkaRecordBytes.TYPE;
    }
}
