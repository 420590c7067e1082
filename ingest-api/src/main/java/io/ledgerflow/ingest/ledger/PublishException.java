package io.ledgerflow.ingest.ledger;

/**
 * A ledger request could not be written: Kafka did not acknowledge it in time, or the schema id is
 * not known yet because the registry has not been reachable since start. The client may retry with
 * the same transaction id.
 */
public final class PublishException extends RuntimeException {

    /** What was unavailable. */
    public enum Cause {
        KAFKA,
        SCHEMA_REGISTRY
    }

    private final Cause cause;

    public PublishException(Cause cause, String message, Throwable error) {
        super(message, error, false, false);
        this.cause = cause;
    }

    public Cause unavailable() {
        return cause;
    }
}
