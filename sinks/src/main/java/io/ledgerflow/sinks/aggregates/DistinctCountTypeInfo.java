package io.ledgerflow.sinks.aggregates;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for {@link DistinctCount}, found through its {@code @TypeInfo}
 * annotation wherever the type appears (a field of the {@link WindowFigures} POJO in window state),
 * so the sketch is written by {@link DistinctCountSerializer} and never by Kryo. The same shape as
 * the jobs module's {@code RecordTypeInfo}, which the sinks' main code cannot reach (it depends on
 * the jobs module in tests only); one shared type for both belongs with the shared Flink plumbing.
 */
public final class DistinctCountTypeInfo extends TypeInformation<DistinctCount> {

    private static final long serialVersionUID = 1L;

    /** Named by {@link DistinctCount}'s {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<DistinctCount> {
        @Override
        public TypeInformation<DistinctCount> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new DistinctCountTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<DistinctCount> getTypeClass() {
        return DistinctCount.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<DistinctCount> createSerializer(SerializerConfig config) {
        return DistinctCountSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DistinctCount(DataSketches HLL)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinctCountTypeInfo;
    }

    @Override
    public int hashCode() {
        return DistinctCountTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof DistinctCountTypeInfo;
    }
}
