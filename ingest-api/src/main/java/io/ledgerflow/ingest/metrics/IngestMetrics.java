package io.ledgerflow.ingest.metrics;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.HttpFront;
import io.ledgerflow.ingest.ledger.KafkaLedgerRequestPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The API's metrics: Micrometer meters in a {@link PrometheusMeterRegistry}, served at {@code
 * /metrics} in the Prometheus text format (version 0.0.4).
 *
 * <ul>
 *   <li>{@code ingest_http_requests_total{route,method,status}}: requests by route template (not
 *       raw path, so ids do not explode the label set) and status;
 *   <li>{@code ingest_http_request_duration_seconds{route,method}}: latency from the first byte of
 *       the request to the answer (histogram, {@link #LATENCY_BUCKETS}), and its {@code _max};
 *   <li>{@code ingest_kafka_produce_duration_seconds}: hand-over to the producer until the
 *       acknowledgement (same buckets), and {@code ingest_kafka_produce_failures_total};
 *   <li>{@code ingest_ledger_requests_accepted_total{kind}}: movements and account commands
 *       written;
 *   <li>gauges registered by the server ({@code ingest_idempotency_entries}, ...);
 *   <li>per-partner traffic, {@code ingest_partner_*} ({@link PartnerMetrics}, with its label
 *       cardinality).
 * </ul>
 *
 * <p>The hot path resolves no tags: a request finds its route's meters in a map keyed by the route
 * template and method strings it already holds (no key object, no tag list), and its status counter
 * in an array indexed by status; meters are built once per route, method and status. What a request
 * then costs is Micrometer's record: a few adds and a bucket search, no allocation.
 */
public final class IngestMetrics
        implements KafkaLedgerRequestPublisher.ProduceLatency, HttpFront.RequestMetrics {

    /**
     * The histogram buckets of both latency histograms, the ones the hand-written histogram had (so
     * recorded series and queries over {@code le} carry on): fine below 10 ms, where the API's p99
     * target of a few ms lies, then coarse up to the 10 s that no answer outlasts. Fixed buckets
     * rather than Micrometer's percentile histogram (about 70 buckets per series) or client-side
     * percentiles (not aggregatable across pods): 17 series per route, quantiles computed in
     * Prometheus over every pod.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(3),
        Duration.ofMillis(5),
        Duration.ofNanos(7_500_000),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    /** What {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Statuses are three-digit HTTP codes; one slot each. */
    private static final int STATUSES = 600;

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Route template, then method: both strings the request already holds. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, RouteMeters>> routes =
            new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Timer produce;
    private final Counter produceFailures;
    private final PartnerMetrics partners;

    /** With the default cap of 2,000 labelled partners. */
    public IngestMetrics() {
        this(2000);
    }

    /** {@code maxPartners}: partners with their own label ({@link PartnerMetrics}). */
    public IngestMetrics(int maxPartners) {
        partners = new PartnerMetrics(registry, maxPartners);
        produce =
                latencyTimer("ingest.kafka.produce.duration")
                        .description(
                                "Hand-over to the Kafka producer until acks=all acknowledgement.")
                        .register(registry);
        produceFailures =
                Counter.builder("ingest.kafka.produce.failures")
                        .description("Writes Kafka did not acknowledge.")
                        .register(registry);
    }

    /** One answered request; {@code route} is the template, or "unmatched". */
    @Override
    public void request(String route, String method, int status, long nanos) {
        RouteMeters meters = meters(route, method);
        meters.duration.record(nanos, TimeUnit.NANOSECONDS);
        meters.requests(status).increment();
    }

    @Override
    public void partnerRequest(String partnerId, int status, ErrorCode code, long nanos) {
        partners.answered(partnerId, status, code == null ? null : code.name(), nanos);
    }

    /** Each partner's meters. */
    public PartnerMetrics partners() {
        return partners;
    }

    /** Ledger requests written, by kind (movement type or account command). */
    public void accepted(String kind, int count) {
        Counter counter = accepted.get(kind);
        if (counter == null) {
            counter =
                    accepted.computeIfAbsent(
                            kind,
                            k ->
                                    Counter.builder("ingest.ledger.requests.accepted")
                                            .description(
                                                    "Ledger requests written to Kafka, by kind.")
                                            .tag("kind", k)
                                            .register(registry));
        }
        counter.increment(count);
    }

    @Override
    public void acknowledged(long nanos) {
        produce.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed() {
        produceFailures.increment();
    }

    /**
     * A value read at scrape time, e.g. the number of idempotency entries; {@code name} in
     * Prometheus form ({@code ingest_idempotency_entries}) or Micrometer's dotted form.
     */
    public void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value, v -> v.getAsLong())
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    /** Every meter in the Prometheus text format, version 0.0.4 ({@link #CONTENT_TYPE}). */
    public String render() {
        return registry.scrape();
    }

    private RouteMeters meters(String route, String method) {
        ConcurrentHashMap<String, RouteMeters> byMethod = routes.get(route);
        if (byMethod == null) {
            byMethod = routes.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        }
        RouteMeters meters = byMethod.get(method);
        if (meters == null) {
            meters = byMethod.computeIfAbsent(method, m -> new RouteMeters(route, m));
        }
        return meters;
    }

    private static Timer.Builder latencyTimer(String name) {
        // No percentiles computed in the process and no Micrometer percentile histogram: the
        // fixed buckets above are the whole distribution.
        return Timer.builder(name).serviceLevelObjectives(LATENCY_BUCKETS);
    }

    /** The meters of one route template and method: built once, then found by two map reads. */
    private final class RouteMeters {
        private final String route;
        private final String method;
        private final Timer duration;
        private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(STATUSES);

        RouteMeters(String route, String method) {
            this.route = route;
            this.method = method;
            this.duration =
                    latencyTimer("ingest.http.request.duration")
                            .description("Time from request to answer, by route.")
                            .tags("route", route, "method", method)
                            .register(registry);
        }

        Counter requests(int status) {
            if (status < 0 || status >= STATUSES) {
                return register(status); // never from Vert.x; not worth a slot
            }
            Counter counter = byStatus.get(status);
            if (counter == null) {
                // Registering twice returns the same meter, so a lost race costs nothing.
                counter = register(status);
                byStatus.compareAndSet(status, null, counter);
            }
            return counter;
        }

        private Counter register(int status) {
            return Counter.builder("ingest.http.requests")
                    .description("HTTP requests by route and status.")
                    .tags("route", route, "method", method, "status", Integer.toString(status))
                    .register(registry);
        }
    }
}
