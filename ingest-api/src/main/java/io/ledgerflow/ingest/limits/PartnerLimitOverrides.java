package io.ledgerflow.ingest.limits;

import java.util.Optional;

/**
 * Where a partner's own limits come from, when it has any; partners without overrides get the
 * configured defaults. The partner directory (partners in PostgreSQL, managed through the admin
 * API) implements it.
 *
 * <p>Called on every request, on an event loop: an implementation must answer from memory (a map
 * refreshed in the background), never from the database.
 */
@FunctionalInterface
public interface PartnerLimitOverrides {

    /** No partner has overrides: everyone gets the defaults. */
    PartnerLimitOverrides NONE = partnerId -> Optional.empty();

    /**
     * The partner's complete limits (defaults already merged with its overrides, e.g. with {@link
     * PartnerLimits#overriddenBy}), or empty for the defaults.
     */
    Optional<PartnerLimits> limitsOf(String partnerId);
}
