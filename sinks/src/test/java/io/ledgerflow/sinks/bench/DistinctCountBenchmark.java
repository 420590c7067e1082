package io.ledgerflow.sinks.bench;

import io.ledgerflow.sinks.aggregates.DistinctCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The distinct-counterparty sketch alone, old against new in one JVM (issue 19): the hand-written
 * HyperLogLog ({@link HandWrittenHyperLogLog}, through Flink's POJO serializer as it was in state)
 * and DataSketches' HLL ({@link DistinctCount}, through its own serializer). What the aggregates do
 * with it, each timed over the same members:
 *
 * <ul>
 *   <li>{@code add_rt}: one decision into a window kept in RocksDB: read the sketch from its bytes,
 *       add two counterparties, write it back. For a small window (tens of members, the common
 *       account and quiet-partner case) and a dense one (many thousands, a busy partner's hour);
 *   <li>{@code merge24}: a day's window from 24 dense hourly children read from state, then
 *       written: the cascade's upper levels;
 *   <li>bytes of a small and a dense sketch in state, and the relative error at the dense size.
 * </ul>
 *
 * Not a test, and not to be run on a shared machine: figures taken while other builds run are not
 * comparable. {@code sinks/bench-distinct-count.sh [--seconds 5] [--small 20] [--dense 20000]}. The
 * last line of stdout is "RESULT old_add_rt_small_ns=... new_add_rt_small_ns=...
 * old_add_rt_dense_ns=... new_add_rt_dense_ns=... old_merge24_us=... new_merge24_us=...
 * old_bytes_small=... new_bytes_small=... old_bytes_dense=... new_bytes_dense=...
 * old_error_dense=... new_error_dense=... load_before=... load_after=...": mean nanoseconds per
 * decision, microseconds per day merge, serialized bytes, relative error, 1-minute load averages.
 */
public final class DistinctCountBenchmark {

    private DistinctCountBenchmark() {}

    /** What one sketch implementation offers the benchmark. */
    private interface Sketch<S> {
        S create();

        void add(S sketch, String member);

        void merge(S into, S other);

        long estimate(S sketch);

        TypeSerializer<S> serializer();
    }

    private static final Sketch<HandWrittenHyperLogLog> OLD =
            new Sketch<>() {
                private final TypeSerializer<HandWrittenHyperLogLog> serializer =
                        TypeInformation.of(HandWrittenHyperLogLog.class)
                                .createSerializer(new SerializerConfigImpl());

                @Override
                public HandWrittenHyperLogLog create() {
                    return new HandWrittenHyperLogLog();
                }

                @Override
                public void add(HandWrittenHyperLogLog sketch, String member) {
                    sketch.add(member);
                }

                @Override
                public void merge(HandWrittenHyperLogLog into, HandWrittenHyperLogLog other) {
                    into.merge(other);
                }

                @Override
                public long estimate(HandWrittenHyperLogLog sketch) {
                    return sketch.estimate();
                }

                @Override
                public TypeSerializer<HandWrittenHyperLogLog> serializer() {
                    return serializer;
                }
            };

    private static final Sketch<DistinctCount> NEW =
            new Sketch<>() {
                private final TypeSerializer<DistinctCount> serializer =
                        TypeInformation.of(DistinctCount.class)
                                .createSerializer(new SerializerConfigImpl());

                @Override
                public DistinctCount create() {
                    return new DistinctCount();
                }

                @Override
                public void add(DistinctCount sketch, String member) {
                    sketch.add(member);
                }

                @Override
                public void merge(DistinctCount into, DistinctCount other) {
                    into.merge(other);
                }

                @Override
                public long estimate(DistinctCount sketch) {
                    return sketch.estimate();
                }

                @Override
                public TypeSerializer<DistinctCount> serializer() {
                    return serializer;
                }
            };

    public static void main(String[] args) {
        BenchOptions options =
                new BenchOptions(args, Map.of("seconds", "5", "small", "20", "dense", "20000"));
        String loadBefore = BenchOptions.loadAverage();
        double seconds = Double.parseDouble(options.get("seconds"));
        int small = options.intValue("small");
        int dense = options.intValue("dense");

        Figures old = measure("hand-written HyperLogLog", OLD, seconds, small, dense);
        Figures now = measure("DataSketches HLL_4", NEW, seconds, small, dense);
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "RESULT old_add_rt_small_ns=%.0f new_add_rt_small_ns=%.0f"
                                + " old_add_rt_dense_ns=%.0f new_add_rt_dense_ns=%.0f"
                                + " old_merge24_us=%.1f new_merge24_us=%.1f"
                                + " old_bytes_small=%d new_bytes_small=%d old_bytes_dense=%d"
                                + " new_bytes_dense=%d old_error_dense=%.4f new_error_dense=%.4f"
                                + " load_before=%s load_after=%s",
                        old.addSmallNanos,
                        now.addSmallNanos,
                        old.addDenseNanos,
                        now.addDenseNanos,
                        old.merge24Micros,
                        now.merge24Micros,
                        old.bytesSmall,
                        now.bytesSmall,
                        old.bytesDense,
                        now.bytesDense,
                        old.errorDense,
                        now.errorDense,
                        loadBefore,
                        BenchOptions.loadAverage()));
    }

    private record Figures(
            double addSmallNanos,
            double addDenseNanos,
            double merge24Micros,
            int bytesSmall,
            int bytesDense,
            double errorDense) {}

    private static <S> Figures measure(
            String name, Sketch<S> impl, double seconds, int small, int dense) {
        S smallSketch = filled(impl, "s", 0, small);
        S denseSketch = filled(impl, "d", 0, dense);
        byte[][] smallState = {bytes(impl, smallSketch)};
        byte[][] denseState = {bytes(impl, denseSketch)};
        // Members cycle through the window's own set, as a window's counterparties repeat; the
        // dense one also meets new members (one in ten), as a busy hour does.
        int[] counter = {0};
        Runnable addSmall =
                () -> {
                    int i = counter[0]++;
                    smallState[0] =
                            addRoundTrip(
                                    impl,
                                    smallState[0],
                                    "s" + (i % small),
                                    "s" + ((i + 1) % small));
                };
        Runnable addDense =
                () -> {
                    int i = counter[0]++;
                    String other = i % 10 == 0 ? "new-" + i : "d" + ((i + 7) % dense);
                    denseState[0] = addRoundTrip(impl, denseState[0], "d" + (i % dense), other);
                };
        List<byte[]> children = new ArrayList<>();
        for (int hour = 0; hour < 24; hour++) {
            children.add(bytes(impl, filled(impl, "h" + hour + "-", 0, dense)));
        }
        Runnable merge24 =
                () -> {
                    S day = impl.create();
                    for (byte[] child : children) {
                        impl.merge(day, read(impl, child));
                    }
                    bytes(impl, day);
                };

        double addSmallNanos = time(addSmall, seconds);
        double addDenseNanos = time(addDense, seconds);
        double merge24Nanos = time(merge24, seconds);
        int bytesSmall = bytes(impl, smallSketch).length;
        int bytesDense = bytes(impl, denseSketch).length;
        double error = Math.abs(impl.estimate(denseSketch) - dense) / (double) dense;
        System.out.printf(
                Locale.ROOT,
                "%-26s add+round trip: small %,.0f ns, dense %,.0f ns; day from 24 hours %,.1f µs;"
                        + " bytes small %d, dense %d; error at %d: %.4f; load %s%n",
                name,
                addSmallNanos,
                addDenseNanos,
                merge24Nanos / 1000,
                bytesSmall,
                bytesDense,
                dense,
                error,
                BenchOptions.loadAverage());
        return new Figures(
                addSmallNanos, addDenseNanos, merge24Nanos / 1000, bytesSmall, bytesDense, error);
    }

    private static <S> S filled(Sketch<S> impl, String prefix, int from, int to) {
        S sketch = impl.create();
        for (int i = from; i < to; i++) {
            impl.add(sketch, prefix + i);
        }
        return sketch;
    }

    private static <S> byte[] addRoundTrip(Sketch<S> impl, byte[] state, String a, String b) {
        S sketch = read(impl, state);
        impl.add(sketch, a);
        impl.add(sketch, b);
        return bytes(impl, sketch);
    }

    /** Mean nanoseconds per call: a warm-up of half the time, then the measured time. */
    private static double time(Runnable call, double seconds) {
        run(call, seconds / 2);
        return run(call, seconds);
    }

    private static double run(Runnable call, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long calls = 0;
        long start = System.nanoTime();
        long now = start;
        while (now < end) {
            for (int i = 0; i < 64; i++) {
                call.run();
            }
            calls += 64;
            now = System.nanoTime();
        }
        return (now - start) / (double) calls;
    }

    private static <S> byte[] bytes(Sketch<S> impl, S sketch) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            impl.serializer().serialize(sketch, out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <S> S read(Sketch<S> impl, byte[] bytes) {
        try {
            return impl.serializer().deserialize(new DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
