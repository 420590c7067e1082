package io.ledgerflow.flink.types;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A hand-written serializer for one of the job's own record types: the records that cross the
 * network between operators (and the few kept in operator state), written field by field.
 *
 * <p>Why by hand: Flink's {@code PojoSerializer} reads and writes every field through reflection,
 * writes a null flag and a subclass tag per nested object, and re-initialises every field of a new
 * instance through reflection before it reads it; in the ledger job's profile it was a fifth of all
 * CPU samples, more than the Avro on the same edges. Flink has no generated serializer for plain
 * classes, Kryo is slower still and banned in this job, and Avro would need a schema and a builder
 * per envelope. The types are small and change rarely; {@code CompactSerializersTest} round-trips
 * each one with every field set and every nullable field null, so a field added to a type and
 * forgotten here fails the build.
 *
 * <p>Subclasses write only {@link #serialize} and {@link #deserialize(DataInputView)}; copies go
 * through the bytes (they are rare: the job runs with object reuse, so chained operators pass
 * records on without copying).
 *
 * @param <T> the record type
 */
public abstract class RecordSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public T copy(T from) {
        if (from == null) {
            return null;
        }
        try {
            // A new buffer each time: serializers without state are shared between threads.
            DataOutputSerializer buffer = new DataOutputSerializer(256);
            serialize(from, buffer);
            return deserialize(
                    new DataInputDeserializer(buffer.getSharedBuffer(), 0, buffer.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from, e);
        }
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
