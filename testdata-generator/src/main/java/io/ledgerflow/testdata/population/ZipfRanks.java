package io.ledgerflow.testdata.population;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Zipf-distributed ranks 0..n-1: rank k is drawn with probability proportional to 1/(k+1)^s, so a
 * few "hot" items take most of the draws (s = 1.1: the top 1% of 10,000 accounts see about 65% of
 * the traffic). Sampling is a binary search in the precomputed cumulative distribution: O(log n), 8
 * bytes per item.
 */
public final class ZipfRanks {

    private final double exponent;
    private final double[] cumulative;

    public ZipfRanks(int n, double exponent) {
        if (n < 1 || exponent < 0) {
            throw new IllegalArgumentException("need n >= 1 and exponent >= 0");
        }
        this.exponent = exponent;
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        cumulative[n - 1] = 1.0;
    }

    /** A rank, 0 the most frequent. */
    public int draw(RandomGenerator random) {
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        return i >= 0 ? i : Math.min(cumulative.length - 1, -i - 1);
    }

    /** Probability of rank {@code k}. */
    public double probability(int k) {
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    public int size() {
        return cumulative.length;
    }

    public double exponent() {
        return exponent;
    }
}
