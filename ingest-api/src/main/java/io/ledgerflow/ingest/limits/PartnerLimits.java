package io.ledgerflow.ingest.limits;

/**
 * A partner's rate limits: requests per second and movements per second (every item of a batch
 * counts), each with a burst allowance, the most a partner may send at once after being idle. The
 * figures are the partner's whole limit across every API instance; each instance enforces its share
 * ({@link PartnerRateLimiter}).
 *
 * @param requestsPerSecond sustained requests per second, any authenticated route
 * @param requestBurst requests admitted at once from an idle start
 * @param movementsPerSecond sustained movements per second (single or batch items)
 * @param movementBurst movements admitted at once from an idle start; a batch larger than this is
 *     admitted only from a full allowance and leaves a debt, so that it is never refused forever
 */
public record PartnerLimits(
        int requestsPerSecond, int requestBurst, int movementsPerSecond, int movementBurst) {

    /** The largest figure a limit may take (admin API, configuration). */
    public static final int MAX = 1_000_000;

    public PartnerLimits {
        check("requestsPerSecond", requestsPerSecond);
        check("requestBurst", requestBurst);
        check("movementsPerSecond", movementsPerSecond);
        check("movementBurst", movementBurst);
    }

    private static void check(String name, int value) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException(
                    name + " must be between 1 and " + MAX + ", got " + value);
        }
    }

    /**
     * The defaults with a partner's overrides where it has one: the partners table holds each of
     * the four figures as a nullable column, null meaning "the configured default".
     */
    public PartnerLimits overriddenBy(
            Integer requestsPerSecond,
            Integer requestBurst,
            Integer movementsPerSecond,
            Integer movementBurst) {
        return new PartnerLimits(
                requestsPerSecond == null ? this.requestsPerSecond : requestsPerSecond,
                requestBurst == null ? this.requestBurst : requestBurst,
                movementsPerSecond == null ? this.movementsPerSecond : movementsPerSecond,
                movementBurst == null ? this.movementBurst : movementBurst);
    }
}
