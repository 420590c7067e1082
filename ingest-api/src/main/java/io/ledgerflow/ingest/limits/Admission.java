package io.ledgerflow.ingest.limits;

/**
 * The answer to "may this partner send this now?", with what the {@code RateLimit} and {@code
 * RateLimit-Policy} headers tell the client.
 *
 * @param limit which limit was checked
 * @param admitted whether the request (or the batch's movements) may proceed
 * @param quota the partner's limit per second (its whole limit, not this instance's share)
 * @param remaining what the partner may still send at once, estimated for all instances (this
 *     instance's tokens times the live instances), between 0 and {@code quota}
 * @param resetSeconds admitted: whole seconds until the allowance is full again; refused: whole
 *     seconds until the same request would be admitted (at least 1), the {@code Retry-After}
 */
public record Admission(
        Limit limit, boolean admitted, int quota, long remaining, long resetSeconds) {

    /** The two limits, named as their {@code RateLimit-Policy} items. */
    public enum Limit {
        REQUESTS("requests"),
        MOVEMENTS("movements");

        private final String policy;

        Limit(String policy) {
            this.policy = policy;
        }

        /** The policy name in the headers and the {@code limit} label of the metrics. */
        public String policy() {
            return policy;
        }
    }
}
