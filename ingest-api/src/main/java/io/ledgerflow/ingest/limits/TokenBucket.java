package io.ledgerflow.ingest.limits;

/**
 * One token bucket: {@code rate} tokens per second flow in up to {@code capacity}; taking {@code n}
 * needs {@code n} tokens. Rate and capacity are passed on every take rather than fixed, because the
 * instance's share of a partner's limit changes when instances come and go, and a partner's
 * overrides may change at any time; the bucket simply refills at whatever applies now.
 *
 * <p>A take larger than the capacity (a batch larger than the burst, or larger than this instance's
 * share of it) is admitted from a full bucket and leaves the bucket in debt (negative), so it is
 * paid for before anything else passes: the long-run rate holds, and such a batch is not refused
 * forever.
 *
 * <p>Hand-written rather than Bucket4j: the share changes at run time and must apply without
 * rebuilding buckets, the whole rule is twenty lines, and the request path wants no allocation
 * beyond the answer.
 */
final class TokenBucket {

    private static final double NANOS = 1e9;

    private double tokens;
    private long lastNanos;
    private double lastRate;
    private double lastCapacity;

    TokenBucket(double capacity, long nowNanos) {
        this.tokens = capacity;
        this.lastNanos = nowNanos;
        this.lastCapacity = capacity;
        this.lastRate = 1;
    }

    /**
     * Takes {@code n} tokens if they are there. A take of at most the capacity needs that many
     * tokens; a larger one needs a full bucket.
     */
    synchronized Take take(int n, double rate, double capacity, long nowNanos) {
        refill(rate, capacity, nowNanos);
        double needed = Math.min(n, capacity);
        if (tokens >= needed) {
            tokens -= n;
            return new Take(true, tokens, secondsUntil(capacity, rate));
        }
        return new Take(false, tokens, secondsUntil(needed, rate));
    }

    /** True when the bucket has refilled completely: forgetting it then loses nothing. */
    synchronized boolean isFullAt(long nowNanos) {
        // Read only: the next take refills at whatever rate applies then.
        long elapsed = Math.max(0, nowNanos - lastNanos);
        return tokens + elapsed / NANOS * lastRate >= lastCapacity;
    }

    private void refill(double rate, double capacity, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed / NANOS * rate);
            lastNanos = nowNanos;
        } else {
            tokens = Math.min(capacity, tokens);
        }
        lastRate = rate;
        lastCapacity = capacity;
    }

    /** Seconds until the bucket holds {@code level} tokens (0 when it already does). */
    private double secondsUntil(double level, double rate) {
        return tokens >= level ? 0 : (level - tokens) / rate;
    }

    /**
     * What one take did.
     *
     * @param admitted whether the tokens were taken
     * @param tokens what the bucket holds afterwards (negative: in debt)
     * @param seconds admitted: until the bucket is full again; refused: until the take would fit
     */
    record Take(boolean admitted, double tokens, double seconds) {}
}
