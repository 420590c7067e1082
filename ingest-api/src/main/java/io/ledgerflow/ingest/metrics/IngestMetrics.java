package io.ledgerflow.ingest.metrics;

import io.ledgerflow.ingest.ledger.KafkaLedgerRequestPublisher;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The API's metrics in the Prometheus text format (version 0.0.4), served at {@code /metrics}.
 *
 * <ul>
 *   <li>{@code ingest_http_requests_total{route,method,status}}: requests by route template (not
 *       raw path, so ids do not explode the label set) and status;
 *   <li>{@code ingest_http_request_duration_seconds{route,method}}: latency from the first byte of
 *       the request to the answer;
 *   <li>{@code ingest_kafka_produce_duration_seconds}: hand-over to the producer until the
 *       acknowledgement, and {@code ingest_kafka_produce_failures_total};
 *   <li>{@code ingest_ledger_requests_accepted_total{kind}}: movements and account commands
 *       written;
 *   <li>gauges registered by the server (idempotency entries, ...).
 * </ul>
 *
 * Hand-written rather than a metrics library: a handful of lock-free counters and histograms is all
 * the API needs, and recording costs one map lookup and two adds per request.
 */
public final class IngestMetrics implements KafkaLedgerRequestPublisher.ProduceLatency {

    private record RequestKey(String route, String method, int status) {}

    private record RouteKey(String route, String method) {}

    private final ConcurrentHashMap<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RouteKey, LatencyHistogram> durations =
            new ConcurrentHashMap<>();
    private final LatencyHistogram produce = new LatencyHistogram();
    private final LongAdder produceFailures = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** One answered request; {@code route} is the template, or "unmatched". */
    public void request(String route, String method, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(route, method, status), k -> new LongAdder())
                .increment();
        durations
                .computeIfAbsent(new RouteKey(route, method), k -> new LatencyHistogram())
                .record(nanos);
    }

    /** Ledger requests written, by kind (movement type or account command). */
    public void accepted(String kind, int count) {
        accepted.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    @Override
    public void acknowledged(long nanos) {
        produce.record(nanos);
    }

    @Override
    public void failed() {
        produceFailures.increment();
    }

    /** A value read at scrape time, e.g. the number of idempotency entries. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    public String render() {
        StringBuilder out = new StringBuilder(8192);
        out.append("# HELP ingest_http_requests_total HTTP requests by route and status.\n");
        out.append("# TYPE ingest_http_requests_total counter\n");
        new TreeMap<String, Long>(
                        requests.entrySet().stream()
                                .collect(
                                        java.util.stream.Collectors.toMap(
                                                e ->
                                                        labels(
                                                                        e.getKey().route(),
                                                                        e.getKey().method())
                                                                + ",status=\""
                                                                + e.getKey().status()
                                                                + "\"",
                                                e -> e.getValue().sum())))
                .forEach(
                        (labels, count) ->
                                out.append("ingest_http_requests_total{")
                                        .append(labels)
                                        .append("} ")
                                        .append(count)
                                        .append('\n'));
        out.append(
                "# HELP ingest_http_request_duration_seconds Time from request to answer, by"
                        + " route.\n");
        out.append("# TYPE ingest_http_request_duration_seconds histogram\n");
        new TreeMap<String, LatencyHistogram>(
                        durations.entrySet().stream()
                                .collect(
                                        java.util.stream.Collectors.toMap(
                                                e ->
                                                        labels(
                                                                e.getKey().route(),
                                                                e.getKey().method()),
                                                Map.Entry::getValue)))
                .forEach(
                        (labels, histogram) ->
                                histogram.render(
                                        out, "ingest_http_request_duration_seconds", labels));
        out.append(
                "# HELP ingest_kafka_produce_duration_seconds Hand-over to the Kafka producer"
                        + " until acks=all acknowledgement.\n");
        out.append("# TYPE ingest_kafka_produce_duration_seconds histogram\n");
        produce.render(out, "ingest_kafka_produce_duration_seconds", "");
        out.append(
                "# HELP ingest_kafka_produce_failures_total Writes Kafka did not acknowledge.\n");
        out.append("# TYPE ingest_kafka_produce_failures_total counter\n");
        out.append("ingest_kafka_produce_failures_total ")
                .append(produceFailures.sum())
                .append('\n');
        out.append(
                "# HELP ingest_ledger_requests_accepted_total Ledger requests written to Kafka, by"
                        + " kind.\n");
        out.append("# TYPE ingest_ledger_requests_accepted_total counter\n");
        new TreeMap<>(accepted)
                .forEach(
                        (kind, count) ->
                                out.append("ingest_ledger_requests_accepted_total{kind=\"")
                                        .append(kind)
                                        .append("\"} ")
                                        .append(count.sum())
                                        .append('\n'));
        new TreeMap<>(gauges)
                .forEach(
                        (name, value) ->
                                out.append("# TYPE ")
                                        .append(name)
                                        .append(" gauge\n")
                                        .append(name)
                                        .append(' ')
                                        .append(value.getAsLong())
                                        .append('\n'));
        return out.toString();
    }

    private static String labels(String route, String method) {
        return "route=\"" + escape(route) + "\",method=\"" + method + "\"";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
