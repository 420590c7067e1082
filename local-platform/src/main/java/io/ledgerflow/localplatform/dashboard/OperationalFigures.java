package io.ledgerflow.localplatform.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The main operational figures of the local run, from the same metrics Prometheus would scrape (the
 * ingest API's {@code /metrics} and each job's Prometheus reporter), read every {@link #EVERY}: API
 * requests and errors per second and latency p99 (what the SRE dashboard's PromQL computes with
 * {@code rate} and {@code histogram_quantile}, here from two consecutive scrapes), and per job the
 * Kafka records still to read and the last checkpoint's duration. The last {@link #KEPT} readings
 * are kept for the page's charts. No Prometheus server is needed.
 */
public final class OperationalFigures implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(5);

    /** Ten minutes of readings. */
    static final int KEPT = 120;

    /** One chart: its title, unit and lines (name to points of [epoch millis, value]). */
    record Chart(String title, String unit, Map<String, Deque<double[]>> lines) {}

    private final String apiMetrics;
    private final Map<String, String> jobMetrics;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Chart> charts = new LinkedHashMap<>();
    private Map<String, Double> previousApi;
    private long previousAt;
    private Thread thread;
    private volatile boolean running = true;

    /**
     * Reads {@code apiMetricsUrl} and each job's metrics URL (name to URL) every {@link #EVERY}
     * from now on, on a daemon thread of its own.
     */
    public static OperationalFigures start(
            String apiMetricsUrl, Map<String, String> jobMetricsUrls) {
        OperationalFigures figures = new OperationalFigures(apiMetricsUrl, jobMetricsUrls);
        figures.thread = new Thread(figures::readEvery, "operational-figures");
        figures.thread.setDaemon(true);
        figures.thread.start();
        return figures;
    }

    /** Reads only when {@link #read} is called. */
    OperationalFigures(String apiMetricsUrl, Map<String, String> jobMetricsUrls) {
        this.apiMetrics = apiMetricsUrl;
        this.jobMetrics = new TreeMap<>(jobMetricsUrls);
        chart("API requests per second", "req/s");
        chart("API latency p99", "ms");
        chart("API errors per second", "req/s");
        chart("Kafka records not yet read, per job", "records");
        chart("Last checkpoint duration, per job", "ms");
    }

    private void chart(String title, String unit) {
        charts.put(title, new Chart(title, unit, new LinkedHashMap<>()));
    }

    private void readEvery() {
        while (running) {
            try {
                read();
            } catch (RuntimeException e) {
                // A reading that fails (a process restarting) is simply missing from the charts.
            }
            try {
                Thread.sleep(EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One reading of every source (the thread's, or a test's). */
    synchronized void read() {
        long now = System.currentTimeMillis();
        List<Sample> api = scrape(apiMetrics);
        if (!api.isEmpty()) {
            Map<String, Double> current = new HashMap<>();
            current.put("requests", sum(api, "ingest_http_requests_total", s -> true));
            current.put(
                    "4xx",
                    sum(api, "ingest_http_requests_total", s -> s.label("status").startsWith("4")));
            current.put(
                    "5xx",
                    sum(api, "ingest_http_requests_total", s -> s.label("status").startsWith("5")));
            for (Sample s : api) {
                if (s.name.equals("ingest_http_request_duration_seconds_bucket")) {
                    current.merge("le=" + s.label("le"), s.value, Double::sum);
                }
            }
            if (previousApi != null && now > previousAt) {
                double seconds = (now - previousAt) / 1000.0;
                add(
                        "API requests per second",
                        "all routes",
                        now,
                        delta(current, "requests") / seconds);
                add(
                        "API errors per second",
                        "4xx (the generator's invalid requests)",
                        now,
                        delta(current, "4xx") / seconds);
                add("API errors per second", "5xx", now, delta(current, "5xx") / seconds);
                double p99 = p99Millis(current);
                if (!Double.isNaN(p99)) {
                    add("API latency p99", "all routes", now, p99);
                }
            }
            previousApi = current;
            previousAt = now;
        }
        for (Map.Entry<String, String> job : jobMetrics.entrySet()) {
            List<Sample> samples = scrape(job.getValue());
            if (samples.isEmpty()) {
                continue;
            }
            // Each Kafka source reader's records still to read: absent until the readers run.
            if (samples.stream()
                    .anyMatch(
                            s ->
                                    s.name.equals(
                                            "flink_taskmanager_job_task_operator_pendingRecords"))) {
                add(
                        "Kafka records not yet read, per job",
                        job.getKey(),
                        now,
                        sum(
                                samples,
                                "flink_taskmanager_job_task_operator_pendingRecords",
                                s -> true));
            }
            double checkpoint = max(samples, "flink_jobmanager_job_lastCheckpointDuration");
            if (!Double.isNaN(checkpoint)) {
                add("Last checkpoint duration, per job", job.getKey(), now, checkpoint);
            }
        }
    }

    private double delta(Map<String, Double> current, String key) {
        return Math.max(0, current.getOrDefault(key, 0.0) - previousApi.getOrDefault(key, 0.0));
    }

    /** The 99th percentile of the requests between the two scrapes, as histogram_quantile does. */
    private double p99Millis(Map<String, Double> current) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Map.Entry<String, Double> e : current.entrySet()) {
            if (e.getKey().startsWith("le=")) {
                String le = e.getKey().substring(3);
                double bound =
                        le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.put(
                        bound,
                        Math.max(0, e.getValue() - previousApi.getOrDefault(e.getKey(), 0.0)));
            }
        }
        if (buckets.isEmpty()) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = 0.99 * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double inBucket = b.getValue() - lowerCount;
                double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (b.getKey() - lowerBound) * share) * 1000;
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return Double.NaN;
    }

    private void add(String chart, String line, long at, double value) {
        Deque<double[]> points =
                charts.get(chart).lines().computeIfAbsent(line, l -> new ArrayDeque<>());
        points.addLast(new double[] {at, value});
        while (points.size() > KEPT) {
            points.removeFirst();
        }
    }

    /** The charts as the page reads them: title, unit, and lines of [epoch millis, value]. */
    public synchronized List<Map<String, Object>> charts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Chart c : charts.values()) {
            Map<String, Object> lines = new LinkedHashMap<>();
            c.lines().forEach((name, points) -> lines.put(name, new ArrayList<>(points)));
            out.add(Map.of("title", c.title(), "unit", c.unit(), "lines", lines));
        }
        return out;
    }

    private List<Sample> scrape(String url) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Sample.parse(response.body()) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static double sum(List<Sample> samples, String name, Predicate<Sample> which) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name.equals(name) && which.test(s) && !Double.isNaN(s.value)) {
                total += s.value;
            }
        }
        return total;
    }

    private static double max(List<Sample> samples, String name) {
        double max = Double.NaN;
        for (Sample s : samples) {
            if (s.name.equals(name) && !Double.isNaN(s.value)) {
                max = Double.isNaN(max) ? s.value : Math.max(max, s.value);
            }
        }
        return max;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /** One line of Prometheus' text format: {@code name{label="value",...} number}. */
    record Sample(String name, Map<String, String> labels, double value) {

        String label(String key) {
            return labels.getOrDefault(key, "");
        }

        static List<Sample> parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space;
                String name;
                Map<String, String> labels = new HashMap<>();
                if (brace >= 0 && brace < line.indexOf(' ')) {
                    name = line.substring(0, brace);
                    int end = line.lastIndexOf('}');
                    parseLabels(line.substring(brace + 1, end), labels);
                    space = end + 1;
                } else {
                    space = line.indexOf(' ');
                    name = line.substring(0, space);
                }
                String[] rest = line.substring(space).trim().split("\\s+");
                try {
                    samples.add(new Sample(name, labels, Double.parseDouble(rest[0])));
                } catch (NumberFormatException e) {
                    // NaN spelled otherwise, or a line this reader does not know: skipped.
                }
            }
            return samples;
        }

        private static void parseLabels(String text, Map<String, String> labels) {
            int i = 0;
            while (i < text.length()) {
                int eq = text.indexOf('=', i);
                if (eq < 0) {
                    return;
                }
                String key = text.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                while (j < text.length() && text.charAt(j) != '"') {
                    char c = text.charAt(j);
                    if (c == '\\' && j + 1 < text.length()) {
                        c = text.charAt(++j);
                        c = c == 'n' ? '\n' : c;
                    }
                    value.append(c);
                    j++;
                }
                labels.put(key, value.toString());
                i = text.indexOf(',', j);
                if (i < 0) {
                    return;
                }
                i++;
            }
        }
    }
}
