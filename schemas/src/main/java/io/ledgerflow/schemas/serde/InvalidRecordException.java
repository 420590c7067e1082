package io.ledgerflow.schemas.serde;

/**
 * Bytes that could not be decoded into a record. {@link #reason()} says why in a form a job can
 * route on (its name goes into {@code DeadLetter.reason}); the message explains it to a person.
 */
public final class InvalidRecordException extends RuntimeException {

    /** Why the bytes were not decoded. */
    public enum Reason {
        /** Null, shorter than the 5-byte header, or not starting with the magic byte 0. */
        NOT_CONFLUENT_AVRO(false),
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID(false),
        /**
         * The writer schema is not cached and the registry could not be asked. Nothing is wrong
         * with the record: retry (or fail and restart) instead of dead-lettering it.
         */
        REGISTRY_UNAVAILABLE(true),
        /**
         * The Avro body does not decode with its writer schema (truncated, corrupt, trailing
         * bytes), or the writer schema cannot be read as the expected record type.
         */
        UNDECODABLE(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** True if the same bytes may decode later; false if they never will. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;

    InvalidRecordException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
