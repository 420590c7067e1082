package io.ledgerflow.ingest.limits;

import io.ledgerflow.ingest.limits.Admission.Limit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-partner rate limits of one API instance: a token bucket for requests and one for movements
 * per partner, each refilled at this instance's share of the partner's limit ({@code limit / live
 * instances}, burst likewise). The partner's limits are its overrides, or the defaults.
 *
 * <p>Rules, in the order the API applies them:
 *
 * <ol>
 *   <li>every authenticated request takes one request token, right after authentication and before
 *       its body is parsed; without one it is refused (429) and costs nothing more;
 *   <li>a movement route then takes one movement token per movement (every item of a batch, valid
 *       or not, because each is parsed and validated); without enough the whole request is refused
 *       and none of its movements is written. A batch larger than the burst is admitted only from a
 *       full allowance and leaves a debt ({@link TokenBucket}).
 * </ol>
 *
 * <p>Memory: buckets exist only for partners that sent something (authenticated, so at most the
 * partners in the directory), and a partner's buckets are forgotten once both have refilled
 * completely, which is exactly the state a new bucket starts in: forgetting them changes no answer.
 * The sweep runs at most once a second, on whichever request finds it due.
 *
 * <p>Thread-safe; a bucket is locked only for its own arithmetic, so partners never wait on each
 * other.
 */
public final class PartnerRateLimiter {

    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PartnerLimits defaults;
    private final PartnerLimitOverrides overrides;
    private final LiveInstances instances;
    private final Ticker ticker;
    private final ConcurrentHashMap<String, PartnerBuckets> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    public PartnerRateLimiter(
            PartnerLimits defaults,
            PartnerLimitOverrides overrides,
            LiveInstances instances,
            Ticker ticker) {
        this.defaults = defaults;
        this.overrides = overrides;
        this.instances = instances;
        this.ticker = ticker;
        this.nextSweep = new AtomicLong(ticker.nanos() + SWEEP_EVERY_NANOS);
    }

    /** One request of the partner, any route. */
    public Admission admitRequest(String partnerId) {
        PartnerLimits limits = limitsOf(partnerId);
        return admit(
                partnerId, Limit.REQUESTS, 1, limits.requestsPerSecond(), limits.requestBurst());
    }

    /** {@code count} movements of the partner: 1 for a single movement, a batch's item count. */
    public Admission admitMovements(String partnerId, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        PartnerLimits limits = limitsOf(partnerId);
        return admit(
                partnerId,
                Limit.MOVEMENTS,
                count,
                limits.movementsPerSecond(),
                limits.movementBurst());
    }

    /** The limits that apply to the partner: its overrides, or the defaults. */
    public PartnerLimits limitsOf(String partnerId) {
        return overrides.limitsOf(partnerId).orElse(defaults);
    }

    /** Partners whose buckets are held (for the gauge and the memory test). */
    public int trackedPartners() {
        return buckets.size();
    }

    /** The instances sharing each limit now, as this instance counts them. */
    public int liveInstances() {
        return Math.max(1, instances.count());
    }

    private Admission admit(String partnerId, Limit limit, int n, int perSecond, int burst) {
        long now = ticker.nanos();
        sweepIfDue(now);
        int live = liveInstances();
        double rate = (double) perSecond / live;
        double capacity = (double) burst / live;
        PartnerBuckets partner = buckets.get(partnerId);
        if (partner == null) {
            partner = buckets.computeIfAbsent(partnerId, id -> new PartnerBuckets(now));
        }
        TokenBucket bucket = limit == Limit.REQUESTS ? partner.requests : partner.movements;
        TokenBucket.Take take = bucket.take(n, rate, capacity, now);
        long remaining = (long) Math.min(perSecond, Math.max(0, Math.floor(take.tokens() * live)));
        long seconds = (long) Math.ceil(take.seconds());
        if (!take.admitted()) {
            seconds = Math.max(1, seconds);
        }
        return new Admission(limit, take.admitted(), perSecond, remaining, seconds);
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
            return;
        }
        buckets.entrySet()
                .removeIf(
                        e ->
                                e.getValue().requests.isFullAt(now)
                                        && e.getValue().movements.isFullAt(now));
    }

    /** A partner's two buckets, created full (a new partner may send its burst at once). */
    private static final class PartnerBuckets {
        final TokenBucket requests;
        final TokenBucket movements;

        PartnerBuckets(long now) {
            // Created with an infinite capacity, they are clamped to the real one on first take.
            this.requests = new TokenBucket(Double.MAX_VALUE, now);
            this.movements = new TokenBucket(Double.MAX_VALUE, now);
        }
    }
}
