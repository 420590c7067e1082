package io.ledgerflow.jobs.bench;

import java.util.Arrays;

/** Exact percentiles of a set of values (sorted copy; the benchmark's sets fit in memory). */
final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    static Percentiles of(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The smallest value with at least {@code q} of all values at or below it; -1 if empty. */
    long p(double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    int size() {
        return sorted.length;
    }

    /** The median of a few per-run figures. */
    static double median(double... values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        int n = copy.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
    }
}
