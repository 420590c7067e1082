package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.flink.types.RecordTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink's type information for {@link DistinctCount}, found through its {@code @TypeInfo}
 * annotation wherever the type appears (a field of the {@link WindowFigures} POJO in window state),
 * so the sketch is written by {@link DistinctCountSerializer} and never by Kryo: the shared {@link
 * RecordTypeInfo} of a type with its own serializer.
 */
public final class DistinctCountTypeInfo extends TypeInfoFactory<DistinctCount> {

    @Override
    public TypeInformation<DistinctCount> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return of();
    }

    /** The sketch's type information. */
    public static RecordTypeInfo<DistinctCount> of() {
        return new RecordTypeInfo<>(DistinctCount.class, () -> DistinctCountSerializer.INSTANCE);
    }
}
