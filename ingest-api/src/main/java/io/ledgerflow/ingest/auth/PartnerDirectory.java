package io.ledgerflow.ingest.auth;

import java.util.Optional;

/**
 * Who a presented API key belongs to, answered from memory in constant time (one SHA-256 and one
 * hash-map lookup, whatever the number of partners), so it can run on the event loop of every
 * request. Two kinds: {@link ApiKeys} (a static keys file, for unit tests and runs without a
 * partner database) and {@link PostgresPartnerDirectory} (partners as data, refreshed from
 * PostgreSQL).
 */
public interface PartnerDirectory {

    /**
     * The caller of a presented key; empty when the key is unknown, malformed, expired or revoked.
     * A known key of a suspended partner is returned with {@link Partner#suspended()} set, so the
     * caller can answer 403 rather than 401.
     */
    Optional<Partner> authenticate(String presentedKey);

    /**
     * A partner's rate limit overrides, for the limiter; {@link StoredLimits#NONE} for partners
     * without any, empty for unknown partners.
     */
    Optional<StoredLimits> limitsOf(String partnerId);
}
