package io.ledgerflow.flink.testutils;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorBackendSerializationProxy;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

/**
 * What a snapshot records about an operator's state: each state's name and the serializers its
 * values are written with, read back from the snapshot's own metadata, as a restore reads it. This
 * is the savepoint contract of a state: a restore finds the state by name and must resolve its
 * serializer snapshots (their classes must exist and accept the new serializers).
 *
 * <p>Serializers are described down to their leaves: a map's key and value, a list's element, the
 * value under a TTL wrapper ({@code TTL}), and a POJO's fields ({@code
 * PojoSerializer<io.ledgerflow...AccountRecord>[balance: LongSerializer, ...]}), so a field that
 * fell back to Kryo deep inside a POJO is visible. The names that a restore looks up are written in
 * full: a POJO's or Avro record's class, and the snapshot class of a serializer of our own. Heap
 * state backends' snapshots only (the test harnesses' default).
 */
public final class StateSerializers {

    /**
     * One registered state.
     *
     * @param kind {@code keyed}, {@code operator} or {@code broadcast}
     * @param serializers the leaf serializers, in the order the snapshot nests them
     */
    public record RegisteredState(String kind, String name, List<String> serializers) {

        /** The leaves without a POJO's fields: the state's types, as a restore names them. */
        public List<String> types() {
            return serializers.stream().map(s -> s.replaceAll("\\[.*", "")).toList();
        }

        /** Whether any leaf (a POJO's fields included) is written by Kryo. */
        public boolean usesKryo() {
            return serializers.stream()
                    .anyMatch(s -> s.contains(KryoSerializer.class.getSimpleName()));
        }

        @Override
        public String toString() {
            return kind + " " + name + " " + serializers;
        }
    }

    private static final String NAMESPACE =
            StateMetaInfoSnapshot.CommonSerializerKeys.NAMESPACE_SERIALIZER.toString();

    private static final String OURS = "io.ledgerflow.";

    private StateSerializers() {}

    /**
     * The states of an operator's snapshot as a table: {@code "<kind> <name>"} to the types of its
     * keys and values ({@link RegisteredState#types()}), what a contract test compares.
     */
    public static Map<String, List<String>> typesByState(OperatorSubtaskState snapshot)
            throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (RegisteredState state : of(snapshot)) {
            byName.put(state.kind() + " " + state.name(), state.types());
        }
        return byName;
    }

    /** The states {@code snapshot} records: keyed (values, not timers), operator and broadcast. */
    public static List<RegisteredState> of(OperatorSubtaskState snapshot) throws IOException {
        ClassLoader classLoader = StateSerializers.class.getClassLoader();
        List<RegisteredState> states = new ArrayList<>();
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            // A heap backend's full snapshot starts with the states' metadata.
            try (FSDataInputStream in = ((StreamStateHandle) handle).openInputStream()) {
                KeyedBackendSerializationProxy<?> proxy =
                        new KeyedBackendSerializationProxy<>(classLoader);
                proxy.read(new DataInputViewStreamWrapper(in));
                for (StateMetaInfoSnapshot state : proxy.getStateMetaInfoSnapshots()) {
                    if (state.getBackendStateType()
                            == StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
                        states.add(describe("keyed", state));
                    }
                }
            }
        }
        for (OperatorStateHandle handle : snapshot.getManagedOperatorState()) {
            try (FSDataInputStream in = handle.openInputStream()) {
                OperatorBackendSerializationProxy proxy =
                        new OperatorBackendSerializationProxy(classLoader);
                proxy.read(new DataInputViewStreamWrapper(in));
                for (StateMetaInfoSnapshot state : proxy.getOperatorStateMetaInfoSnapshots()) {
                    states.add(describe("operator", state));
                }
                for (StateMetaInfoSnapshot state : proxy.getBroadcastStateMetaInfoSnapshots()) {
                    states.add(describe("broadcast", state));
                }
            }
        }
        return states;
    }

    private static RegisteredState describe(String kind, StateMetaInfoSnapshot state) {
        List<String> leaves = new ArrayList<>();
        // Keys before values; every keyed state has a namespace, which says nothing of its type.
        new TreeMap<>(state.getSerializerSnapshotsImmutable())
                .forEach(
                        (key, serializer) -> {
                            if (!key.equals(NAMESPACE)) {
                                leaves(serializer, leaves);
                            }
                        });
        return new RegisteredState(kind, state.getName(), leaves);
    }

    private static void leaves(TypeSerializerSnapshot<?> snapshot, List<String> out) {
        if (snapshot instanceof CompositeTypeSerializerSnapshot<?, ?> composite) {
            TypeSerializerSnapshot<?>[] nested = composite.getNestedSerializerSnapshots();
            int first = 0;
            if (snapshot.getClass().getSimpleName().startsWith("Ttl")) {
                // State TTL wraps the value with its last-write time: say so instead.
                out.add("TTL");
                first = 1;
            }
            for (int i = first; i < nested.length; i++) {
                leaves(nested[i], out);
            }
            return;
        }
        String leaf = name(snapshot.restoreSerializer());
        // A snapshot class of our own is looked up by name on restore: it is part of the contract.
        out.add(
                snapshot.getClass().getName().startsWith(OURS)
                        ? leaf + " @" + snapshot.getClass().getName()
                        : leaf);
    }

    /** A serializer's class; for a POJO also its type and every field's serializer. */
    public static String name(TypeSerializer<?> serializer) {
        if (serializer instanceof PojoSerializer<?> pojo) {
            // PojoSerializer keeps its type and field serializers private: a test may look.
            Class<?> type = (Class<?>) read(pojo, "clazz");
            Field[] fields = (Field[]) read(pojo, "fields");
            TypeSerializer<?>[] serializers = (TypeSerializer<?>[]) read(pojo, "fieldSerializers");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < serializers.length; i++) {
                String field = fields == null || fields[i] == null ? "?" : fields[i].getName();
                names.add(field + ": " + name(serializers[i]));
            }
            return "PojoSerializer<" + type.getName() + ">" + names;
        }
        if (serializer instanceof KryoSerializer<?> kryo) {
            return "KryoSerializer<" + ((Class<?>) read(kryo, "type")).getName() + ">";
        }
        String name = serializer.getClass().getSimpleName();
        if (serializer.snapshotConfiguration()
                instanceof CompositeTypeSerializerSnapshot<?, ?> composite) {
            // An array, list or map inside a POJO: its elements' serializers too.
            List<String> nested = new ArrayList<>();
            for (TypeSerializerSnapshot<?> element : composite.getNestedSerializerSnapshots()) {
                nested.add(name(element.restoreSerializer()));
            }
            return name + nested;
        }
        Object instance = instanceOf(serializer);
        return instance == null || isBasic(instance)
                ? name
                : name + "<" + instance.getClass().getName() + ">";
    }

    private static Object instanceOf(TypeSerializer<?> serializer) {
        try {
            return serializer.createInstance();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isBasic(Object instance) {
        return instance instanceof Number
                || instance instanceof String
                || instance instanceof Boolean
                || instance.getClass().isArray();
    }

    private static Object read(Object owner, String field) {
        try {
            Field f = owner.getClass().getDeclaredField(field);
            // Flink keeps these private; the names are checked by this module's own test.
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    owner.getClass().getSimpleName() + " changed: no field " + field, e);
        }
    }
}
