package io.ledgerflow.localservers;

/** A server did not come up: the message says why and carries the tail of its log. */
public final class ServerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerStartException(String message) {
        super(message);
    }

    ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
