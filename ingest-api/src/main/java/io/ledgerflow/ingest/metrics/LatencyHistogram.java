package io.ledgerflow.ingest.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed buckets, lock-free ({@link LongAdder} per bucket:
 * two event loops and the Kafka callback thread record into it concurrently).
 */
final class LatencyHistogram {

    /** Upper bounds in seconds: fine below 10 ms, where the accept-latency target lies. */
    static final double[] BOUNDS = {
        0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = (long) (BOUNDS[i] * 1e9);
        }
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(nanos);
    }

    /** Appends the _bucket, _sum and _count lines; {@code labels} without braces, may be empty. */
    void render(StringBuilder out, String name, String labels) {
        String sep = labels.isEmpty() ? "" : ",";
        long cumulative = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            cumulative += buckets[i].sum();
            out.append(name)
                    .append("_bucket{")
                    .append(labels)
                    .append(sep)
                    .append("le=\"")
                    .append(formatBound(BOUNDS[i]))
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        cumulative += buckets[BOUNDS.length].sum();
        out.append(name)
                .append("_bucket{")
                .append(labels)
                .append(sep)
                .append("le=\"+Inf\"} ")
                .append(cumulative)
                .append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name)
                .append("_sum")
                .append(braces)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.6f", sumNanos.sum() / 1e9))
                .append('\n');
        out.append(name)
                .append("_count")
                .append(braces)
                .append(' ')
                .append(cumulative)
                .append('\n');
    }

    private static String formatBound(double bound) {
        String s = Double.toString(bound);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
