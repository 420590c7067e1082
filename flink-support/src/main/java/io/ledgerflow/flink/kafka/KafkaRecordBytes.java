package io.ledgerflow.flink.kafka;

import io.ledgerflow.flink.types.Fields;
import io.ledgerflow.flink.types.RecordSerializer;
import io.ledgerflow.flink.types.RecordTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Kafka record as bytes: what the sources read before decoding (so an undecodable record can be
 * dead-lettered with its origin) and what the sink writes after encoding. Serialized by {@link
 * Serializer} ({@link #TYPE}).
 */
public class KafkaRecordBytes {

    /** How the records travel between operators. */
    public static final RecordTypeInfo<KafkaRecordBytes> TYPE =
            new RecordTypeInfo<>(KafkaRecordBytes.class, Serializer::new);

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

    /** Every field, in declaration order. */
    public static final class Serializer extends RecordSerializer<KafkaRecordBytes> {
        private static final long serialVersionUID = 1L;

        @Override
        public Serializer duplicate() {
            return this; // stateless
        }

        @Override
        public KafkaRecordBytes createInstance() {
            return new KafkaRecordBytes();
        }

        @Override
        public void serialize(KafkaRecordBytes r, DataOutputView out) throws IOException {
            Fields.writeString(r.topic, out);
            out.writeInt(r.partition);
            out.writeLong(r.offset);
            Fields.writeBytes(r.key, out);
            Fields.writeBytes(r.value, out);
        }

        @Override
        public KafkaRecordBytes deserialize(DataInputView in) throws IOException {
            KafkaRecordBytes r = new KafkaRecordBytes();
            r.topic = Fields.readString(in);
            r.partition = in.readInt();
            r.offset = in.readLong();
            r.key = Fields.readBytes(in);
            r.value = Fields.readBytes(in);
            return r;
        }

        @Override
        public TypeSerializerSnapshot<KafkaRecordBytes> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot is its class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KafkaRecordBytes> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
