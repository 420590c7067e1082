package io.ledgerflow.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names, labels and semantics that the alert rules ({@code k8s/manifests/monitoring}), the
 * runbook, the README and the benchmark read from {@code /metrics}, checked on the scraped text.
 */
class IngestMetricsTest {

    /** A sample line: name, labels (without braces, may be absent), value. */
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void requestsAreCountedByRouteMethodAndStatus() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.request("/api/v1/transactions", "POST", 202, 1_000_000);
        metrics.request("/api/v1/transactions", "POST", 202, 2_000_000);
        metrics.request("/api/v1/transactions", "POST", 503, 3_000_000);
        metrics.request("unmatched", "GET", 404, 10_000);

        List<Sample> samples = scrape(metrics);
        assertThat(
                        value(
                                samples,
                                "ingest_http_requests_total",
                                route("/api/v1/transactions", "POST", "202")))
                .isEqualTo(2);
        assertThat(
                        value(
                                samples,
                                "ingest_http_requests_total",
                                route("/api/v1/transactions", "POST", "503")))
                .isEqualTo(1);
        assertThat(value(samples, "ingest_http_requests_total", route("unmatched", "GET", "404")))
                .isEqualTo(1);
        // The alert IngestApiServerErrors divides 5xx by all answers.
        double fiveXx =
                samples.stream()
                        .filter(s -> s.name.equals("ingest_http_requests_total"))
                        .filter(s -> s.labels.get("status").startsWith("5"))
                        .mapToDouble(s -> s.value)
                        .sum();
        assertThat(fiveXx).isEqualTo(1);
    }

    @Test
    void latencyHistogramHasTheChosenBucketsCumulativeWithSumAndCount() {
        IngestMetrics metrics = new IngestMetrics();
        // 0.4 ms, 0.9 ms, 2.5 ms, 40 ms, 20 s (beyond the last bound).
        for (long nanos : new long[] {400_000, 900_000, 2_500_000, 40_000_000, 20_000_000_000L}) {
            metrics.request("/api/v1/transactions", "POST", 202, nanos);
        }
        List<Sample> samples = scrape(metrics);
        Map<Double, Double> buckets = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name.equals("ingest_http_request_duration_seconds_bucket")) {
                assertThat(s.labels)
                        .containsEntry("route", "/api/v1/transactions")
                        .containsEntry("method", "POST");
                buckets.put(number(s.labels.get("le")), s.value);
            }
        }
        double[] expectedBounds =
                Arrays.stream(IngestMetrics.LATENCY_BUCKETS)
                        .mapToDouble(d -> d.toNanos() / 1e9)
                        .toArray();
        assertThat(buckets.keySet())
                .containsExactlyElementsOf(
                        () ->
                                java.util.stream.DoubleStream.concat(
                                                Arrays.stream(expectedBounds),
                                                java.util.stream.DoubleStream.of(
                                                        Double.POSITIVE_INFINITY))
                                        .boxed()
                                        .iterator());
        assertThat(buckets.get(0.0005)).isEqualTo(1);
        assertThat(buckets.get(0.001)).isEqualTo(2);
        assertThat(buckets.get(0.002)).isEqualTo(2);
        assertThat(buckets.get(0.003)).isEqualTo(3);
        assertThat(buckets.get(0.05)).isEqualTo(4);
        assertThat(buckets.get(10.0)).isEqualTo(4);
        assertThat(buckets.get(Double.POSITIVE_INFINITY)).isEqualTo(5);
        Map<String, String> labels = Map.of("route", "/api/v1/transactions", "method", "POST");
        assertThat(value(samples, "ingest_http_request_duration_seconds_count", labels))
                .isEqualTo(5);
        assertThat(value(samples, "ingest_http_request_duration_seconds_sum", labels))
                .isCloseTo(20.0438, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void produceLatencyFailuresAcceptedKindsAndGaugesKeepTheirNames() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.acknowledged(4_000_000);
        metrics.acknowledged(6_000_000);
        metrics.failed();
        metrics.accepted("TRANSFER", 1);
        metrics.accepted("TRANSFER", 2);
        metrics.accepted("OPEN", 1);
        AtomicLong entries = new AtomicLong(7);
        metrics.gauge("ingest_idempotency_entries", "Idempotency entries held.", entries::get);
        entries.set(9);

        List<Sample> samples = scrape(metrics);
        // IngestBenchmark reads the mean produce latency from these two unlabelled lines.
        assertThat(value(samples, "ingest_kafka_produce_duration_seconds_count", Map.of()))
                .isEqualTo(2);
        assertThat(value(samples, "ingest_kafka_produce_duration_seconds_sum", Map.of()))
                .isCloseTo(0.010, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(metrics.render()).contains("\ningest_kafka_produce_duration_seconds_sum ");
        assertThat(value(samples, "ingest_kafka_produce_failures_total", Map.of())).isEqualTo(1);
        assertThat(
                        value(
                                samples,
                                "ingest_ledger_requests_accepted_total",
                                Map.of("kind", "TRANSFER")))
                .isEqualTo(3);
        assertThat(value(samples, "ingest_ledger_requests_accepted_total", Map.of("kind", "OPEN")))
                .isEqualTo(1);
        assertThat(value(samples, "ingest_idempotency_entries", Map.of())).isEqualTo(9);
    }

    @Test
    void concurrentRecordersLoseNothing() throws InterruptedException {
        // Two event loops and the Kafka callback thread record at once, first-time meters included.
        IngestMetrics metrics = new IngestMetrics();
        int threads = 4;
        int perThread = 20_000;
        Thread[] recorders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            recorders[t] =
                    new Thread(
                            () -> {
                                for (int i = 0; i < perThread; i++) {
                                    metrics.request(
                                            "/api/v1/transactions", "POST", 202 + i % 2, 1_000);
                                    metrics.acknowledged(2_000);
                                    metrics.accepted("TRANSFER", 1);
                                }
                            });
            recorders[t].start();
        }
        for (Thread recorder : recorders) {
            recorder.join();
        }
        List<Sample> samples = scrape(metrics);
        int total = threads * perThread;
        assertThat(
                        value(
                                samples,
                                "ingest_http_requests_total",
                                route("/api/v1/transactions", "POST", "202")))
                .isEqualTo(total / 2);
        assertThat(
                        value(
                                samples,
                                "ingest_http_requests_total",
                                route("/api/v1/transactions", "POST", "203")))
                .isEqualTo(total / 2);
        assertThat(
                        value(
                                samples,
                                "ingest_http_request_duration_seconds_count",
                                Map.of("route", "/api/v1/transactions", "method", "POST")))
                .isEqualTo(total);
        assertThat(value(samples, "ingest_kafka_produce_duration_seconds_count", Map.of()))
                .isEqualTo(total);
        assertThat(
                        value(
                                samples,
                                "ingest_ledger_requests_accepted_total",
                                Map.of("kind", "TRANSFER")))
                .isEqualTo(total);
    }

    @Test
    void theTextIsPrometheusTextFormat004WithTypesDeclared() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.request("/api/v1/transactions", "POST", 202, 1_000_000);
        metrics.accepted("TRANSFER", 1);
        String text = metrics.render();
        assertThat(IngestMetrics.CONTENT_TYPE)
                .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text)
                .contains("# TYPE ingest_http_requests_total counter")
                .contains("# TYPE ingest_http_request_duration_seconds histogram")
                .contains("# TYPE ingest_kafka_produce_failures_total counter")
                .contains("# TYPE ingest_ledger_requests_accepted_total counter");
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(SAMPLE.matcher(line).matches()).as(line).isTrue();
            }
        }
    }

    private static Map<String, String> route(String route, String method, String status) {
        return Map.of("route", route, "method", method, "status", status);
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> found =
                samples.stream()
                        .filter(s -> s.name.equals(name) && s.labels.equals(labels))
                        .toList();
        assertThat(found).as("%s%s in %s", name, labels, samples).hasSize(1);
        return found.get(0).value;
    }

    private static List<Sample> scrape(IngestMetrics metrics) {
        return Arrays.stream(metrics.render().split("\n"))
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(IngestMetricsTest::parse)
                .toList();
    }

    private static Sample parse(String line) {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        Map<String, String> labels = new TreeMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        return new Sample(m.group(1), labels, number(m.group(3)));
    }

    /** Prometheus writes infinity as {@code +Inf}. */
    private static double number(String text) {
        return text.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(text);
    }

    private record Sample(String name, Map<String, String> labels, double value) {}
}
