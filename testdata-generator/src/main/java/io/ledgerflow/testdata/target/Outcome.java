package io.ledgerflow.testdata.target;

/**
 * What a target answered to one request.
 *
 * @param accepted the platform took the request (HTTP 202/200, Kafka acknowledged, line written)
 * @param errorType when refused or failed: {@code HTTP_400/INVALID_AMOUNT}, {@code
 *     HTTP_503/KAFKA_UNAVAILABLE}, {@code TIMEOUT}, {@code IO/ConnectException}, ...; null when
 *     accepted
 */
public record Outcome(boolean accepted, String errorType) {

    private static final Outcome SUCCESS = new Outcome(true, null);

    public static Outcome success() {
        return SUCCESS;
    }

    public static Outcome failed(String errorType) {
        return new Outcome(false, errorType);
    }

    /** A failure type for an exception: its simple class name, unwrapped from completion. */
    public static Outcome failed(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.http.HttpTimeoutException
                || cause instanceof java.util.concurrent.TimeoutException) {
            return new Outcome(false, "TIMEOUT");
        }
        return new Outcome(false, "IO/" + cause.getClass().getSimpleName());
    }
}
