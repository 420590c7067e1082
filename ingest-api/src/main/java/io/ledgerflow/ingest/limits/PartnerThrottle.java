package io.ledgerflow.ingest.limits;

import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.HttpFront;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.metrics.PartnerMetrics;
import java.util.Map;

/**
 * The rate limits in the request path: {@link PartnerRateLimiter}'s admissions turned into HTTP.
 * The request limit runs in {@link HttpFront} right after authentication ({@link #admit}); the
 * movement limit in the movement routes once the body is parsed ({@link #admitMovements}).
 *
 * <p>Admitted: the answer carries {@code RateLimit-Policy} and {@code RateLimit} (two short strings
 * per request). Refused: {@code 429} problem+json {@code RATE_LIMITED} with {@code Retry-After}
 * (whole seconds until the same request would be admitted) and both headers, nothing is written to
 * Kafka, and the partner's {@code throttled} counter counts it.
 */
public final class PartnerThrottle implements HttpFront.RequestGate {

    private final PartnerRateLimiter limiter;
    private final PartnerMetrics metrics;

    /** {@code limiter} null: limits disabled, every request admitted without headers. */
    public PartnerThrottle(PartnerRateLimiter limiter, PartnerMetrics metrics) {
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /**
     * The throttle the settings ask for (none when disabled), its gauges registered: {@code
     * ingest_rate_limit_partners} (partners whose buckets are held) and {@code
     * ingest_api_instances_live} (the instances sharing each limit).
     */
    public static PartnerThrottle of(
            RateLimitSettings settings,
            PartnerLimitOverrides overrides,
            LiveInstances instances,
            IngestMetrics metrics) {
        if (!settings.enabled()) {
            return disabled(metrics.partners());
        }
        PartnerRateLimiter limiter =
                new PartnerRateLimiter(settings.defaults(), overrides, instances, Ticker.SYSTEM);
        metrics.gauge(
                "ingest_rate_limit_partners",
                "Partners whose rate-limit buckets this instance holds (idle ones are dropped).",
                limiter::trackedPartners);
        metrics.gauge(
                "ingest_api_instances_live",
                "API instances sharing each partner's rate limits, as this instance counts them.",
                limiter::liveInstances);
        return new PartnerThrottle(limiter, metrics.partners());
    }

    /** No limits (LEDGERFLOW_RATE_LIMITS_ENABLED=false). */
    public static PartnerThrottle disabled(PartnerMetrics metrics) {
        return new PartnerThrottle(null, metrics);
    }

    /** The request limit; false when it answered 429. */
    @Override
    public boolean admit(ApiExchange exchange) {
        if (limiter == null) {
            return true;
        }
        return apply(exchange, limiter.admitRequest(exchange.partner().partnerId()));
    }

    /** The movement limit for {@code count} movements; false when it answered 429. */
    public boolean admitMovements(ApiExchange exchange, int count) {
        if (limiter == null) {
            return true;
        }
        return apply(exchange, limiter.admitMovements(exchange.partner().partnerId(), count));
    }

    private boolean apply(ApiExchange exchange, Admission a) {
        String policy =
                RateLimitHeaders.append(
                        exchange.header(RateLimitHeaders.POLICY), RateLimitHeaders.policy(a));
        String state =
                RateLimitHeaders.append(
                        exchange.header(RateLimitHeaders.STATE), RateLimitHeaders.state(a));
        exchange.header(RateLimitHeaders.POLICY, policy);
        exchange.header(RateLimitHeaders.STATE, state);
        if (a.admitted()) {
            return true;
        }
        String partnerId = exchange.partner().partnerId();
        metrics.throttled(partnerId, a.limit().policy());
        exchange.problem(
                Problem.of(
                        ErrorCode.RATE_LIMITED,
                        "partner "
                                + partnerId
                                + " is over its limit of "
                                + a.quota()
                                + " "
                                + a.limit().policy()
                                + " per second; nothing was accepted, retry after "
                                + a.resetSeconds()
                                + " s"),
                Map.of("Retry-After", Long.toString(a.resetSeconds())));
        return false;
    }
}
