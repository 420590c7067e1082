package io.ledgerflow.ingest.limits;

/**
 * How many API instances share each partner's limits right now. Each instance admits {@code limit /
 * count}: with a load balancer spreading a partner's requests evenly, the shares add up to the
 * partner's limit.
 */
@FunctionalInterface
public interface LiveInstances {

    /** A single instance (no PostgreSQL configured: unit tests, one development instance). */
    LiveInstances ONE = () -> 1;

    /** At least 1: this instance is always alive. */
    int count();
}
