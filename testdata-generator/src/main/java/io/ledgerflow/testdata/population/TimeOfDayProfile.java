package io.ledgerflow.testdata.population;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How activity varies over a day (UTC): a relative weight per hour, interpolated linearly between
 * hour midpoints. Event times are drawn as a non-homogeneous Poisson process by thinning: candidate
 * gaps come from the peak rate and a candidate is kept with probability weight/peak, so the
 * accepted times have exactly the profile's shape and the requested daily mean rate.
 */
public final class TimeOfDayProfile {

    /**
     * Retail payments: quiet at night (03:00-05:00 at 10% of the daily mean), a morning ramp, a
     * lunchtime peak and the evening shopping peak around 19:00-20:00.
     */
    public static final TimeOfDayProfile RETAIL =
            new TimeOfDayProfile(
                    new double[] {
                        0.35, 0.22, 0.15, 0.10, 0.10, 0.15, 0.35, 0.70, 1.05, 1.25, 1.35, 1.45,
                        1.60, 1.50, 1.35, 1.30, 1.35, 1.45, 1.65, 1.75, 1.60, 1.25, 0.85, 0.55
                    });

    /** The same weight at every hour: a stationary Poisson process. */
    public static final TimeOfDayProfile FLAT = new TimeOfDayProfile(filled(1.0));

    private final double[] hourly;
    private final double mean;
    private final double peak;

    public TimeOfDayProfile(double[] hourlyWeights) {
        if (hourlyWeights.length != 24 || Arrays.stream(hourlyWeights).anyMatch(w -> !(w >= 0))) {
            throw new IllegalArgumentException("need 24 non-negative hourly weights");
        }
        hourly = hourlyWeights.clone();
        mean = Arrays.stream(hourly).average().orElseThrow();
        peak = Arrays.stream(hourly).max().orElseThrow();
        if (!(mean > 0)) {
            throw new IllegalArgumentException("at least one hour needs activity");
        }
    }

    /** Relative activity at a second of the day, normalised so the day's average is 1. */
    public double relativeRate(int secondOfDay) {
        double hours = secondOfDay / 3600.0 - 0.5;
        int lower = Math.floorMod((int) Math.floor(hours), 24);
        int upper = (lower + 1) % 24;
        double fraction = hours - Math.floor(hours);
        return (hourly[lower] * (1 - fraction) + hourly[upper] * fraction) / mean;
    }

    /**
     * The next event after {@code previous} for a process whose daily mean rate is {@code
     * meanPerSecond}.
     */
    public Instant next(Instant previous, double meanPerSecond, RandomGenerator random) {
        double peakRate = meanPerSecond * peak / mean;
        double accept = peak / mean;
        long millis = previous.toEpochMilli();
        double carry = 0;
        while (true) {
            // Exponential gap at the peak rate; fractional milliseconds carry over so that high
            // rates do not collapse onto whole milliseconds and bias the mean.
            carry += -Math.log(1 - random.nextDouble()) / peakRate * 1000;
            long whole = (long) carry;
            millis += whole;
            carry -= whole;
            int second = (int) (Math.floorMod(millis, 86_400_000L) / 1000);
            if (random.nextDouble() * accept <= relativeRate(second)) {
                return Instant.ofEpochMilli(millis);
            }
        }
    }

    /** Hour (0-23, UTC) of an instant. */
    public static int hourOf(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).getHour();
    }

    private static double[] filled(double value) {
        double[] weights = new double[24];
        Arrays.fill(weights, value);
        return weights;
    }
}
