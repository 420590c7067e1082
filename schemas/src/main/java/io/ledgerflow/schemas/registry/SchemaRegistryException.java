package io.ledgerflow.schemas.registry;

/**
 * The schema registry could not be reached or answered with an error. Carries the HTTP status and
 * body so an operator sees what the registry said (for example 409 and the incompatibility it
 * found).
 */
public final class SchemaRegistryException extends RuntimeException {

    /** {@link #status()} when no HTTP response arrived (connection refused, timeout). */
    public static final int NO_RESPONSE = 0;

    private final int status;
    private final String responseBody;

    SchemaRegistryException(String message, int status, String responseBody, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.responseBody = responseBody;
    }

    /** The HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** The response body as the registry sent it; empty without a response. */
    public String responseBody() {
        return responseBody;
    }

    /** True for 404: the subject, version or schema id does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** True for 409: the schema is incompatible with the subject's earlier versions. */
    public boolean isIncompatible() {
        return status == 409;
    }

    /**
     * True when trying again later may succeed: no response at all, a timeout, throttling or a
     * server error.
     */
    public boolean isUnavailable() {
        return status == NO_RESPONSE || status == 408 || status == 429 || status >= 500;
    }
}
