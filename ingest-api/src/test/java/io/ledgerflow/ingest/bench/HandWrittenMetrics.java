package io.ledgerflow.ingest.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The hand-written metrics that Micrometer replaced in issue 19 ({@code IngestMetrics} and its
 * {@code LatencyHistogram}, as they were at commit 4c1dba7): only the baseline of {@link
 * MetricsRecordingBenchmark}, never used by the API.
 *
 * <p>The original's comment: The API's metrics in the Prometheus text format (version 0.0.4),
 * served at {@code /metrics}.
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
final class HandWrittenMetrics {

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

    public void acknowledged(long nanos) {
        produce.record(nanos);
    }

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

    /**
     * A Prometheus histogram of durations with fixed buckets, lock-free ({@link LongAdder} per
     * bucket: two event loops and the Kafka callback thread record into it concurrently).
     */
    static final class LatencyHistogram {

        /** Upper bounds in seconds: fine below 10 ms, where the accept-latency target lies. */
        static final double[] BOUNDS = {
            0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10
        };

        private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

        static {
            for (int i = 0; i < BOUNDS.length; i++) {
                BOUNDS_NANOS[i] = (long) (BOUNDS[i] * 1e9);
            }
        }

        private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
        private final LongAdder sumNanos = new LongAdder();

        LatencyHistogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            int i = 0;
            while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
                i++;
            }
            buckets[i].increment();
            sumNanos.add(nanos);
        }

        /**
         * Appends the _bucket, _sum and _count lines; {@code labels} without braces, may be empty.
         */
        void render(StringBuilder out, String name, String labels) {
            String sep = labels.isEmpty() ? "" : ",";
            long cumulative = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                cumulative += buckets[i].sum();
                out.append(name)
                        .append("_bucket{")
                        .append(labels)
                        .append(sep)
                        .append("le=\"")
                        .append(formatBound(BOUNDS[i]))
                        .append("\"} ")
                        .append(cumulative)
                        .append('\n');
            }
            cumulative += buckets[BOUNDS.length].sum();
            out.append(name)
                    .append("_bucket{")
                    .append(labels)
                    .append(sep)
                    .append("le=\"+Inf\"} ")
                    .append(cumulative)
                    .append('\n');
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name)
                    .append("_sum")
                    .append(braces)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.6f", sumNanos.sum() / 1e9))
                    .append('\n');
            out.append(name)
                    .append("_count")
                    .append(braces)
                    .append(' ')
                    .append(cumulative)
                    .append('\n');
        }

        private static String formatBound(double bound) {
            String s = Double.toString(bound);
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
    }
}
