package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.SinksConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * The windowed aggregates' settings, given to the sinks job as {@code --aggregates-*} arguments
 * (the rest of the arguments are {@link SinksConfig}'s). Immutable.
 *
 * @param enabled whether the sinks job computes the aggregates at all ({@code --aggregates false}:
 *     the benchmark's baseline)
 * @param outOfOrderness how far behind the newest decision's event time one may arrive and still be
 *     on time: the watermark trails the largest event time seen by this much
 * @param idleness a source subtask without decisions for this long stops holding the watermark back
 *     (an idle Kafka partition must not stall every window)
 * @param allowedLateness how long after the watermark passed a window's end a late decision still
 *     updates it (and every level above it); later ones go to {@code late_transactions}. Also how
 *     long each window's state is kept after its end
 * @param earlyFigures how often (processing time) an hour or a day of a partner that received
 *     decisions emits its figures so far, marked open, before it closes; zero for never
 */
public record AggregatesConfig(
        boolean enabled,
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration earlyFigures)
        implements Serializable {

    public static AggregatesConfig defaults() {
        return new AggregatesConfig(
                true,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(5));
    }

    /**
     * Reads {@code --aggregates true|false} (nothing else: {@code yes} is refused, not read as
     * false), {@code --aggregates-out-of-orderness 10s} (zero or more), {@code
     * --aggregates-idleness 30s} (positive), {@code --aggregates-allowed-lateness 10m} (zero or
     * more) and {@code --aggregates-early-figures 5s} (zero: none); {@link Settings#check} then
     * reports what was wrong.
     */
    public static AggregatesConfig read(Settings s) {
        AggregatesConfig d = defaults();
        return new AggregatesConfig(
                s.bool("aggregates", d.enabled),
                s.nonNegativeDuration("aggregates-out-of-orderness", d.outOfOrderness),
                s.duration("aggregates-idleness", d.idleness),
                s.nonNegativeDuration("aggregates-allowed-lateness", d.allowedLateness),
                s.nonNegativeDuration("aggregates-early-figures", d.earlyFigures));
    }

    /** Same settings with other watermark and lateness bounds. */
    public AggregatesConfig withTimeBounds(
            Duration outOfOrderness, Duration idleness, Duration allowedLateness) {
        return new AggregatesConfig(
                enabled, outOfOrderness, idleness, allowedLateness, earlyFigures);
    }

    /** Same settings, aggregates on or off. */
    public AggregatesConfig withEnabled(boolean on) {
        return new AggregatesConfig(on, outOfOrderness, idleness, allowedLateness, earlyFigures);
    }

    /** Same settings with early figures this often (zero: none). */
    public AggregatesConfig withEarlyFigures(Duration every) {
        return new AggregatesConfig(enabled, outOfOrderness, idleness, allowedLateness, every);
    }
}
