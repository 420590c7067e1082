package io.ledgerflow.ingest.auth;

import io.ledgerflow.ingest.limits.PartnerLimits;
import java.util.OptionalInt;

/**
 * A partner's own rate limits as the partner database stores them, where they differ from the
 * configured defaults; an empty value means "the default applies". Stored and validated by the
 * admin API; enforced by the limiter through {@link #over}.
 */
public record StoredLimits(
        OptionalInt requestsPerSecond,
        OptionalInt requestBurst,
        OptionalInt movementsPerSecond,
        OptionalInt movementBurst) {

    public static final StoredLimits NONE =
            new StoredLimits(
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty());

    /** Largest rate a partner may be given, per second. */
    public static final int MAX_PER_SECOND = 100_000;

    /** Largest burst a partner may be given. */
    public static final int MAX_BURST = 1_000_000;

    /** The configured defaults with these overrides where there are any. */
    public PartnerLimits over(PartnerLimits defaults) {
        return defaults.overriddenBy(
                boxed(requestsPerSecond),
                boxed(requestBurst),
                boxed(movementsPerSecond),
                boxed(movementBurst));
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
