package io.ledgerflow.schemas.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every Ledgerflow command line and job argument: ISO-8601 ({@code
 * PT1S}) or a whole number with a unit, {@code 500ms}, {@code 10s}, {@code 5m} (or {@code 5min}),
 * {@code 1h}, {@code 7d}.
 */
public final class Durations {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h|d)");

    private Durations() {}

    /** Parses {@code text}; fails naming the text when it is neither form. */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        Matcher m = NUMBER_AND_UNIT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a duration (like 500ms, 10s, 5m, 1h, 7d or PT1S): \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * The shortest form {@link #parse} reads back: {@code 200ms}, {@code 10s}, {@code 5m}, {@code
     * 7d}; ISO-8601 for what has no whole unit (below a millisecond, negative).
     */
    public static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** {@link #parse} of {@code text}, or {@code fallback} when {@code text} is null. */
    public static Duration parse(String text, Duration fallback) {
        return text == null ? fallback : parse(text);
    }
}
