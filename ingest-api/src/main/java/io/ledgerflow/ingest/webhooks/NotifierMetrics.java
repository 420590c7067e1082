package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.ingest.metrics.PartnerLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notifier's metrics on {@code /metrics} (Prometheus text format), labelled {@code partner}:
 *
 * <ul>
 *   <li>{@code webhook_delivery_attempts_total{partner,outcome}}: attempts, {@code outcome} being
 *       {@code delivered}, {@code retry} or {@code parked};
 *   <li>{@code webhook_deliveries_failed_total{partner}}: deliveries parked as failed (retry period
 *       over);
 *   <li>{@code webhook_delivery_lag_seconds{partner}}: from the ledger's decision to the endpoint's
 *       2xx, a histogram with {@link #LAG_BUCKETS};
 *   <li>{@code webhook_backlog_deliveries{partner}} and {@code
 *       webhook_backlog_oldest_age_seconds{partner}}: pending deliveries of the partner's endpoints
 *       and the age of the oldest, as of the last {@link #backlog} (every 5 s);
 *   <li>{@code notifier_events_recorded_total} and {@code notifier_records_undecodable_total}
 *       ({@link EventRecorder}).
 * </ul>
 *
 * <p>Cardinality: the partner label is capped like the API's ({@link PartnerLabels}, {@code
 * LEDGERFLOW_PARTNER_METRIC_LABELS}, 2,000 by default); partners beyond the cap share {@code
 * partner="_other"}, whose backlog is the sum of theirs and whose oldest age is the oldest of
 * theirs. Per partner 3 + 1 + 11 (8 buckets with +Inf, count, sum, max) + 2 = 17 series at most.
 */
public final class NotifierMetrics {

    /** From a webhook that leaves at once to one retried for an hour. */
    static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofHours(1)
    };

    /** One partner's pending deliveries: how many, and how old the oldest is. */
    public record PartnerBacklog(long pending, long oldestAgeSeconds) {}

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PartnerLabels partners;
    private final Map<String, long[]> backlogByLabel = new ConcurrentHashMap<>();

    /** {@code maxPartners}: partners with their own label ({@link PartnerLabels}). */
    public NotifierMetrics(int maxPartners) {
        this.partners = new PartnerLabels(maxPartners);
    }

    /** The registry, for the recorder's counters and the scrape. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * One finished attempt: {@code outcome} is {@code delivered}, {@code retry} or {@code parked}.
     */
    public void attempt(String partnerId, String outcome) {
        Counter.builder("webhook.delivery.attempts")
                .description("Delivery attempts by partner and outcome (delivered, retry, parked).")
                .tag("partner", partners.of(partnerId))
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** A delivery the endpoint answered 2xx, {@code lag} after the ledger's decision. */
    public void delivered(String partnerId, Duration lag) {
        Timer.builder("webhook.delivery.lag")
                .description("From the ledger's decision to the endpoint's 2xx.")
                .tag("partner", partners.of(partnerId))
                .publishPercentileHistogram(false)
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry)
                .record(lag);
    }

    /** A delivery parked as failed: its retry period is over. */
    public void parked(String partnerId) {
        Counter.builder("webhook.deliveries.failed")
                .description("Deliveries parked as failed after the retry period, by partner.")
                .tag("partner", partners.of(partnerId))
                .register(registry)
                .increment();
    }

    /**
     * The pending deliveries now, by partner id: replaces the previous figures. A partner no longer
     * in the map shows 0 (its series stay, so a backlog that drained reads 0, not "no data").
     */
    public void backlog(Map<String, PartnerBacklog> byPartner) {
        Map<String, long[]> now = new HashMap<>();
        byPartner.forEach(
                (partner, b) -> {
                    long[] sum = now.computeIfAbsent(partners.of(partner), k -> new long[2]);
                    sum[0] += b.pending();
                    sum[1] = Math.max(sum[1], b.oldestAgeSeconds());
                });
        for (Map.Entry<String, long[]> held : backlogByLabel.entrySet()) {
            if (!now.containsKey(held.getKey())) {
                held.getValue()[0] = 0;
                held.getValue()[1] = 0;
            }
        }
        now.forEach(
                (label, sum) -> {
                    long[] held = backlogByLabel.computeIfAbsent(label, this::backlogGauges);
                    held[0] = sum[0];
                    held[1] = sum[1];
                });
    }

    /** Labels with backlog gauges so far. */
    List<String> backlogLabels() {
        return List.copyOf(backlogByLabel.keySet());
    }

    private long[] backlogGauges(String label) {
        long[] held = new long[2];
        Gauge.builder("webhook.backlog.deliveries", held, a -> a[0])
                .description("Pending deliveries of the partner's endpoints.")
                .tag("partner", label)
                .register(registry);
        Gauge.builder("webhook.backlog.oldest.age.seconds", held, a -> a[1])
                .description("Age of the partner's oldest pending delivery.")
                .tag("partner", label)
                .register(registry);
        return held;
    }
}
