package io.ledgerflow.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.flink.kafka.KafkaRecordBytes;
import io.ledgerflow.flink.types.AvroRecordSerializer;
import io.ledgerflow.flink.types.RecordTypeInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hand-written serializer reads back what it wrote, for a record with every field set to a
 * value other than its default and for one with every reference field null. The records are filled
 * by reflection over the type's public fields, so a field added to a type and not to its serializer
 * comes back as its default and fails here. Also: the snapshot restores an equal serializer, and
 * copies are deep.
 */
class CompactSerializersTest {

    /** The job's own envelopes: plain classes whose reference fields may all be null. */
    static List<RecordTypeInfo<?>> envelopes() {
        return List.of(
                KafkaRecordBytes.TYPE,
                AdmissionSerializers.ID_CLAIM,
                AdmissionSerializers.GATE_ANSWER,
                AdmissionSerializers.CLAIMED_REQUEST,
                AdmissionSerializers.SCREEN_INPUT);
    }

    /** The envelopes and an Avro record on an edge. */
    static List<RecordTypeInfo<?>> types() {
        List<RecordTypeInfo<?>> all = new ArrayList<>(envelopes());
        all.add(AvroRecordSerializer.typeOf(LedgerRequest.class));
        return all;
    }

    @ParameterizedTest
    @MethodSource("types")
    <T> void everyFieldSetComesBack(RecordTypeInfo<T> type) throws Exception {
        T record = filled(type.getTypeClass(), 1);
        assertThat(roundTrip(type, record)).usingRecursiveComparison().isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("envelopes")
    <T> void nullFieldsComeBackNull(RecordTypeInfo<T> type) throws Exception {
        T record = type.getTypeClass().getConstructor().newInstance();
        assertThat(roundTrip(type, record)).usingRecursiveComparison().isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("types")
    <T> void copiesAreDeepAndSnapshotsRestoreTheSerializer(RecordTypeInfo<T> type)
            throws Exception {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        T record = filled(type.getTypeClass(), 1);
        T copy = serializer.copy(record);
        assertThat(copy).isNotSameAs(record).usingRecursiveComparison().isEqualTo(record);

        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snapshot.writeSnapshot(out);
        TypeSerializerSnapshot<T> restored =
                (TypeSerializerSnapshot<T>) snapshot.getClass().getConstructor().newInstance();
        restored.readSnapshot(
                snapshot.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        assertThat(restored.resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
    }

    private static <T> T roundTrip(RecordTypeInfo<T> type, T record) throws Exception {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(record, out);
        // Two in a row: a serializer must read exactly what it wrote, no more.
        serializer.serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        serializer.deserialize(in);
        T back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    /** An instance with every public field set to a value that differs from its default. */
    private static <T> T filled(Class<T> type, int seed) throws Exception {
        if (type == LedgerRequest.class) {
            return type.cast(
                    new LedgerRequest(
                            MoneyMovement.newBuilder()
                                    .setTransactionId("t" + seed)
                                    .setPartnerId("p" + seed)
                                    .setType(MovementType.TRANSFER)
                                    .setAmountMinor(100 + seed)
                                    .setCurrency("EUR")
                                    .setSourceAccountId("a" + seed)
                                    .setDestinationAccountId("b" + seed)
                                    .setMetadata(Map.of("k", "v" + seed))
                                    .setEventTime(Instant.ofEpochMilli(1_000L * seed))
                                    .setReceivedTime(Instant.ofEpochMilli(2_000L * seed))
                                    .build()));
        }
        T record = type.getConstructor().newInstance();
        int n = seed * 100;
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            n++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(record, f.getName() + "-" + n);
            } else if (t == long.class) {
                f.setLong(record, 1_000_000_007L * n);
            } else if (t == int.class) {
                f.setInt(record, 7 * n);
            } else if (t == boolean.class) {
                f.setBoolean(record, true);
            } else if (t == byte[].class) {
                f.set(record, new byte[] {1, 2, (byte) n});
            } else if (t.isEnum()) {
                Object[] values = t.getEnumConstants();
                f.set(record, values[values.length - 1]);
            } else {
                f.set(record, filled(t, n));
            }
        }
        return record;
    }
}
