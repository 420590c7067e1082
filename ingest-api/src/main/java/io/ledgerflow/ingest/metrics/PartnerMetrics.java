package io.ledgerflow.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each partner's traffic on {@code /metrics}, labelled {@code partner}:
 *
 * <ul>
 *   <li>{@code ingest_partner_requests_accepted_total{partner}}: answers 2xx (a batch is one, even
 *       when some of its items were refused inside the 200; those are not counted by code);
 *   <li>{@code ingest_partner_movements_accepted_total{partner}}: movements written to Kafka (every
 *       accepted batch item counts);
 *   <li>{@code ingest_partner_requests_refused_total{partner,code}}: problem answers by error code
 *       (validation 4xx, 404s, 503s, ...), except rate limiting, counted apart;
 *   <li>{@code ingest_partner_requests_throttled_total{partner,limit}}: 429s, {@code limit} being
 *       {@code requests} or {@code movements};
 *   <li>{@code ingest_partner_request_duration_seconds{partner}}: latency histogram with {@link
 *       #LATENCY_BUCKETS} (coarser than the per-route one: enough to see a partner's p99 move,
 *       cheap enough to keep per partner), plus {@code _count}, {@code _sum} and {@code _max}.
 * </ul>
 *
 * <p>Cardinality: per partner 1 + 1 + 2 + 10 (7 buckets with +Inf, count, sum, max) = 14 series,
 * plus one per error code the partner actually received (at most the 4xx/5xx {@code ErrorCode}s,
 * about 35; in practice a handful). At most {@code maxPartners} partners get their own label; any
 * further partner is counted under {@code partner="_other"} ({@link PartnerLabels}), so the total
 * stays below {@code (maxPartners + 1) x (14 + codes)}: with the default 2,000 partners and a
 * typical 5 codes, about 38,000 series, 1,000 partners about 19,000. Labels are partner ids from
 * the key directory, never anything a request body or an unauthenticated caller chooses.
 */
public final class PartnerMetrics {

    /** The partner label of partners beyond the cap. */
    public static final String OTHER = PartnerLabels.OTHER;

    /** Six buckets (and +Inf): the API's p99 of a few ms and what a slow partner would see. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(2_500_000),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(100),
        Duration.ofSeconds(1)
    };

    private final MeterRegistry registry;
    private final PartnerLabels labels;
    private final ConcurrentHashMap<String, Meters> partners = new ConcurrentHashMap<>();

    public PartnerMetrics(MeterRegistry registry, int maxPartners) {
        this.registry = registry;
        this.labels = new PartnerLabels(maxPartners);
    }

    /**
     * One answered request of an authenticated partner.
     *
     * @param code the problem's error code, or null for a success
     */
    public void answered(String partnerId, int status, String code, long nanos) {
        Meters m = meters(partnerId);
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 200 && status < 300) {
            m.acceptedRequests.increment();
        } else if (status != 429 && code != null) {
            m.refused(code).increment();
        }
    }

    /** Movements of the partner written to Kafka. */
    public void movementsAccepted(String partnerId, int count) {
        meters(partnerId).acceptedMovements.increment(count);
    }

    /** A 429: {@code limit} is the policy name, {@code requests} or {@code movements}. */
    public void throttled(String partnerId, String limit) {
        Meters m = meters(partnerId);
        (limit.equals("movements") ? m.throttledMovements : m.throttledRequests).increment();
    }

    /** Partners with their own label so far (at most the cap, plus {@link #OTHER}). */
    public int labelledPartners() {
        return partners.size();
    }

    private Meters meters(String partnerId) {
        Meters m = partners.get(partnerId);
        if (m != null) {
            return m;
        }
        return partners.computeIfAbsent(labels.of(partnerId), Meters::new);
    }

    /** One partner's meters, built once. */
    private final class Meters {
        private final String partner;
        final Timer duration;
        final Counter acceptedRequests;
        final Counter acceptedMovements;
        final Counter throttledRequests;
        final Counter throttledMovements;
        private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();

        Meters(String partner) {
            this.partner = partner;
            duration =
                    Timer.builder("ingest.partner.request.duration")
                            .description("Time from request to answer, by partner.")
                            .serviceLevelObjectives(LATENCY_BUCKETS)
                            .tag("partner", partner)
                            .register(registry);
            acceptedRequests =
                    Counter.builder("ingest.partner.requests.accepted")
                            .description("Requests answered 2xx, by partner.")
                            .tag("partner", partner)
                            .register(registry);
            acceptedMovements =
                    Counter.builder("ingest.partner.movements.accepted")
                            .description("Movements written to Kafka, by partner.")
                            .tag("partner", partner)
                            .register(registry);
            throttledRequests = throttled("requests");
            throttledMovements = throttled("movements");
        }

        private Counter throttled(String limit) {
            return Counter.builder("ingest.partner.requests.throttled")
                    .description("Requests refused with 429, by partner and limit.")
                    .tags("partner", partner, "limit", limit)
                    .register(registry);
        }

        Counter refused(String code) {
            Counter c = refused.get(code);
            if (c == null) {
                c =
                        refused.computeIfAbsent(
                                code,
                                k ->
                                        Counter.builder("ingest.partner.requests.refused")
                                                .description(
                                                        "Problem answers other than 429, by"
                                                                + " partner and error code.")
                                                .tags("partner", partner, "code", k)
                                                .register(registry));
            }
            return c;
        }
    }
}
