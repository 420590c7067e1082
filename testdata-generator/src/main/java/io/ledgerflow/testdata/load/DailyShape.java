package io.ledgerflow.testdata.load;

import io.ledgerflow.testdata.population.TimeOfDayProfile;
import java.time.Duration;

/**
 * A day compressed into {@code dayLength}: the open-loop rate follows a time-of-day profile (the
 * plan's rate is the day's mean), so ten minutes of load show the night lull and the evening peak.
 * The schedule still depends only on the clock, never on answers, so the latency stays corrected
 * for coordinated omission.
 */
public record DailyShape(TimeOfDayProfile profile, Duration dayLength) {

    /** Below this share of the mean rate, the gap between requests stops growing. */
    private static final double MIN_RELATIVE_RATE = 0.01;

    public DailyShape {
        if (dayLength == null || dayLength.isZero() || dayLength.isNegative()) {
            throw new IllegalArgumentException("a compressed day needs a positive length");
        }
    }

    /**
     * The rate relative to the mean, {@code elapsedNanos} into the run (the run starts at 00:00).
     */
    double relativeRate(long elapsedNanos) {
        long day = dayLength.toNanos();
        int secondOfDay = (int) (Math.floorMod(elapsedNanos, day) / (double) day * 86_400);
        return Math.max(MIN_RELATIVE_RATE, profile.relativeRate(secondOfDay));
    }
}
