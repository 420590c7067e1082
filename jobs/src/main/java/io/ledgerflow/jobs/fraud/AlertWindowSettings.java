package io.ledgerflow.jobs.fraud;

import io.ledgerflow.schemas.config.Durations;
import io.ledgerflow.schemas.config.Settings;
import java.io.Serializable;
import java.time.Duration;

/**
 * When matches belong to one {@link AlertWindow} and how often a growing window is published:
 * settings of the ledger job ({@code --fraud-alert-*}).
 *
 * @param gap the longest quiet spell (event time) within one window
 * @param longest the longest a window lasts (event time) before the next match opens another
 * @param revisionInterval how often, at most, a window's revisions are published while matches keep
 *     joining it (processing time); the first match is published at once
 * @param latestKept how many of the latest matching transaction ids an alert lists
 */
public record AlertWindowSettings(
        Duration gap, Duration longest, Duration revisionInterval, int latestKept)
        implements Serializable {

    public static final AlertWindowSettings DEFAULTS =
            new AlertWindowSettings(
                    Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofSeconds(5), 10);

    public AlertWindowSettings {
        if (gap.isNegative() || gap.isZero()) {
            throw new IllegalArgumentException("alert window gap must be positive: " + gap);
        }
        if (longest.compareTo(gap) < 0) {
            throw new IllegalArgumentException(
                    "an alert window's longest span (" + longest + ") is below its gap " + gap);
        }
        if (revisionInterval.isNegative() || revisionInterval.isZero()) {
            throw new IllegalArgumentException(
                    "alert revision interval must be positive: " + revisionInterval);
        }
        if (latestKept < 1) {
            throw new IllegalArgumentException(
                    "an alert lists at least one transaction: " + latestKept);
        }
    }

    /**
     * Reads {@code --fraud-alert-gap}, {@code --fraud-alert-longest}, {@code
     * --fraud-alert-revision-interval} and {@code --fraud-alert-latest-kept}.
     */
    public static AlertWindowSettings read(Settings s, AlertWindowSettings d) {
        Duration gap = s.duration("fraud-alert-gap", d.gap());
        Duration longest = s.duration("fraud-alert-longest", d.longest());
        Duration revisionInterval =
                s.duration("fraud-alert-revision-interval", d.revisionInterval());
        int latestKept = s.positiveInt("fraud-alert-latest-kept", d.latestKept());
        if (longest.compareTo(gap) < 0) {
            s.problem(
                    "--fraud-alert-longest ("
                            + Durations.format(longest)
                            + ") must be at least --fraud-alert-gap ("
                            + Durations.format(gap)
                            + ")");
            return d;
        }
        return new AlertWindowSettings(gap, longest, revisionInterval, latestKept);
    }
}
