package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.flink.types.RecordTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink's type information for {@link WindowFigures}, found through its {@code @TypeInfo}
 * annotation wherever the type appears (window state, the figures inside {@link LatestChildren} and
 * {@link WindowAggregate}), so the figures are written by {@link WindowFiguresSerializer} and never
 * by Flink's reflective POJO serializer or Kryo.
 */
public final class WindowFiguresTypeInfo extends TypeInfoFactory<WindowFigures> {

    @Override
    public TypeInformation<WindowFigures> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return of();
    }

    /** The figures' type information. */
    public static RecordTypeInfo<WindowFigures> of() {
        return new RecordTypeInfo<>(WindowFigures.class, () -> WindowFiguresSerializer.INSTANCE);
    }
}
