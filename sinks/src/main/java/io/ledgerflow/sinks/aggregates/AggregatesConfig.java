package io.ledgerflow.sinks.aggregates;

import io.ledgerflow.schemas.config.Durations;
import io.ledgerflow.sinks.SinksConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 */
public record AggregatesConfig(
        boolean enabled, Duration outOfOrderness, Duration idleness, Duration allowedLateness)
        implements Serializable {

    private static final String PREFIX = "aggregates";

    public static AggregatesConfig defaults() {
        return new AggregatesConfig(
                true, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    /**
     * Reads {@code --aggregates true|false}, {@code --aggregates-out-of-orderness 10s}, {@code
     * --aggregates-idleness 30s} and {@code --aggregates-allowed-lateness 10m} from {@code args},
     * ignoring every other argument; unknown {@code --aggregates-*} names fail.
     */
    public static AggregatesConfig fromArgs(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (isOwn(args[i])) {
                given.put(args[i].substring(2), args[i + 1]);
            }
        }
        AggregatesConfig d = defaults();
        AggregatesConfig config =
                new AggregatesConfig(
                        Boolean.parseBoolean(
                                given.getOrDefault(PREFIX, "" + d.enabled).toLowerCase()),
                        Durations.parse(given.get(PREFIX + "-out-of-orderness"), d.outOfOrderness),
                        Durations.parse(given.get(PREFIX + "-idleness"), d.idleness),
                        Durations.parse(
                                given.get(PREFIX + "-allowed-lateness"), d.allowedLateness));
        given.keySet()
                .removeAll(
                        List.of(
                                PREFIX,
                                PREFIX + "-out-of-orderness",
                                PREFIX + "-idleness",
                                PREFIX + "-allowed-lateness"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + given.keySet());
        }
        return config;
    }

    /** {@code args} without the pairs {@link #fromArgs} reads: what {@link SinksConfig} parses. */
    public static String[] otherArgs(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (isOwn(args[i]) && i + 1 < args.length) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(new String[0]);
    }

    /** Same settings with other watermark and lateness bounds. */
    public AggregatesConfig withTimeBounds(
            Duration outOfOrderness, Duration idleness, Duration allowedLateness) {
        return new AggregatesConfig(enabled, outOfOrderness, idleness, allowedLateness);
    }

    /** Same settings, aggregates on or off. */
    public AggregatesConfig withEnabled(boolean on) {
        return new AggregatesConfig(on, outOfOrderness, idleness, allowedLateness);
    }

    private static boolean isOwn(String arg) {
        return arg.equals("--" + PREFIX) || arg.startsWith("--" + PREFIX + "-");
    }
}
