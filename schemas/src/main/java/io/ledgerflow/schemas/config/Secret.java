package io.ledgerflow.schemas.config;

import java.io.Serializable;

/**
 * A password or key: its {@link #toString} masks it, so a configuration that holds one can be
 * logged, printed at start and shown in Flink's UI without leaking it. Only {@link #reveal} gives
 * the value, at the one place that hands it to a driver.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No secret: an empty password. */
    public static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret with this value ({@link #NONE} when empty). */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    /** The value itself: only for the driver or client that needs it. */
    public String reveal() {
        return value;
    }

    /** Whether a value was given (an empty password is a legitimate choice for local servers). */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** {@code ***} when set, {@code (none)} when empty: telling those apart helps an operator. */
    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "***";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
