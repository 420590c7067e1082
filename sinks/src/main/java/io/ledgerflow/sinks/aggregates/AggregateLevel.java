package io.ledgerflow.sinks.aggregates;

import java.time.Duration;

/** The tumbling window sizes, each (but the first) computed from the one before it. */
public enum AggregateLevel {
    MINUTE("1m", Duration.ofMinutes(1)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    FIFTEEN_MINUTES("15m", Duration.ofMinutes(15)),
    HOUR("1h", Duration.ofHours(1)),
    DAY("1d", Duration.ofDays(1));

    private final String label;
    private final Duration size;

    AggregateLevel(String label, Duration size) {
        this.label = label;
        this.size = size;
    }

    /** What the stores call the level: {@code 1m}, {@code 5m}, ... */
    public String label() {
        return label;
    }

    public Duration size() {
        return size;
    }

    /** Whether PostgreSQL keeps this level too (the hourly and daily views). */
    public boolean inReadModel() {
        return this == HOUR || this == DAY;
    }
}
