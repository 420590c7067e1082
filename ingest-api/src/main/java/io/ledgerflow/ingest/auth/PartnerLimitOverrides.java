package io.ledgerflow.ingest.auth;

import java.util.OptionalInt;

/**
 * A partner's own rate limits, where they differ from the configured defaults; an empty value means
 * "the default applies". Stored and validated by the admin API; enforced by the limiter.
 */
public record PartnerLimitOverrides(
        OptionalInt requestsPerSecond,
        OptionalInt requestBurst,
        OptionalInt movementsPerSecond,
        OptionalInt movementBurst) {

    public static final PartnerLimitOverrides NONE =
            new PartnerLimitOverrides(
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty());

    /** Largest rate a partner may be given, per second. */
    public static final int MAX_PER_SECOND = 100_000;

    /** Largest burst a partner may be given. */
    public static final int MAX_BURST = 1_000_000;
}
