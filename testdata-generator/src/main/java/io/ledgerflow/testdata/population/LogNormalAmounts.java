package io.ledgerflow.testdata.population;

import java.util.random.RandomGenerator;

/**
 * Payment amounts: log-normal, the classic shape of transaction values (many small payments, a long
 * tail of large ones), parameterised by its median and the standard deviation of the logarithm.
 * Amounts are whole minor units, at least 1 and at most {@link #MAX_MINOR}.
 */
public record LogNormalAmounts(double medianMinor, double sigma) {

    /**
     * Upper bound of a drawn amount: far below the API's 10^15 limit, and small enough that the sum
     * of a long run's amounts cannot overflow a signed 64-bit balance.
     */
    public static final long MAX_MINOR = 1_000_000_000_00L;

    public LogNormalAmounts {
        if (!(medianMinor >= 1) || !(sigma >= 0)) {
            throw new IllegalArgumentException(
                    "median must be >= 1 minor unit and sigma >= 0, got "
                            + medianMinor
                            + ", "
                            + sigma);
        }
    }

    /** One amount in minor units. */
    public long draw(RandomGenerator random) {
        double value = medianMinor * Math.exp(sigma * random.nextGaussian());
        return Math.max(1, Math.min(MAX_MINOR, Math.round(value)));
    }

    /** The distribution's mean, exp(mu + sigma^2/2): what a long run's average converges to. */
    public double mean() {
        return medianMinor * Math.exp(sigma * sigma / 2);
    }
}
