package io.ledgerflow.sinks.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the ledger's output records as bytes with their topic, partition and offset. */
public final class RawLedgerRecordDeserializer
        implements KafkaRecordDeserializationSchema<RawLedgerRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLedgerRecord> out) {
        RawLedgerRecord raw = new RawLedgerRecord();
        raw.topic = record.topic();
        raw.partition = record.partition();
        raw.offset = record.offset();
        raw.key = record.key();
        raw.value = record.value();
        out.collect(raw);
    }

    @Override
    public TypeInformation<RawLedgerRecord> getProducedType() {
        return TypeInformation.of(RawLedgerRecord.class);
    }
}
