package io.ledgerflow.localplatform.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Figures from two readings of metrics a real HTTP server serves in Prometheus' text format. */
class OperationalFiguresTest {

    @Test
    void ratesAndTheP99ComeFromTheDifferenceBetweenTwoReadings() throws Exception {
        AtomicReference<String> api = new AtomicReference<>(api(100, 10, 1, 50, 90, 100));
        AtomicReference<String> ledger =
                new AtomicReference<>(
                        "# TYPE x gauge\n"
                                + "flink_jobmanager_job_lastCheckpointDuration{job_name=\"ledger\"} 42.0\n"
                                + "flink_taskmanager_job_task_operator_pendingRecords{subtask_index=\"0\"} 3.0\n"
                                + "flink_taskmanager_job_task_operator_pendingRecords{subtask_index=\"1\"} 4.0\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        serve(server, "/api", api);
        serve(server, "/ledger", ledger);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (OperationalFigures figures =
                new OperationalFigures(base + "/api", Map.of("ledger", base + "/ledger"))) {
            figures.read();
            // 400 more requests, 20 of them 4xx and 2 5xx; of the 400, 100 within 0.005 s, 360
            // within 0.01 s, all within 0.05 s: p99 (rank 396) lies in (0.01, 0.05].
            api.set(api(500, 30, 3, 150, 450, 500));
            Thread.sleep(1_000);
            figures.read();

            Map<String, Map<String, List<double[]>>> charts = byTitle(figures);
            double seconds = 1.0; // at least: the rate below is bounded, not exact
            double rate = last(charts, "API requests per second", "all routes");
            assertEquals(true, rate > 0 && rate <= 400 / seconds, "rate " + rate);
            double p99 = last(charts, "API latency p99", "all routes");
            // 0.01 + (0.05 - 0.01) * (396 - 360) / (400 - 360) = 0.046 s
            assertEquals(46.0, p99, 1e-6);
            assertEquals(7.0, last(charts, "Kafka records not yet read, per job", "ledger"));
            assertEquals(42.0, last(charts, "Last checkpoint duration, per job", "ledger"));
            double errors4xx =
                    last(charts, "API errors per second", "4xx (the generator's invalid requests)");
            double errors5xx = last(charts, "API errors per second", "5xx");
            assertEquals(10.0, errors4xx / errors5xx, 1e-9);
        } finally {
            server.stop(0);
        }
    }

    private static String api(long total, long e4xx, long e5xx, long le005, long le01, long le05) {
        long ok = total - e4xx - e5xx;
        String route = "route=\"/api/v1/transactions\",method=\"POST\"";
        return "# HELP ingest_http_requests_total Requests.\n"
                + "# TYPE ingest_http_requests_total counter\n"
                + "ingest_http_requests_total{"
                + route
                + ",status=\"202\"} "
                + ok
                + ".0\n"
                + "ingest_http_requests_total{"
                + route
                + ",status=\"422\"} "
                + e4xx
                + ".0\n"
                + "ingest_http_requests_total{"
                + route
                + ",status=\"503\"} "
                + e5xx
                + ".0\n"
                + "ingest_http_request_duration_seconds_bucket{"
                + route
                + ",le=\"0.005\"} "
                + le005
                + ".0\n"
                + "ingest_http_request_duration_seconds_bucket{"
                + route
                + ",le=\"0.01\"} "
                + le01
                + ".0\n"
                + "ingest_http_request_duration_seconds_bucket{"
                + route
                + ",le=\"0.05\"} "
                + le05
                + ".0\n"
                + "ingest_http_request_duration_seconds_bucket{"
                + route
                + ",le=\"+Inf\"} "
                + le05
                + ".0\n";
    }

    private static void serve(HttpServer server, String path, AtomicReference<String> body) {
        server.createContext(
                path,
                exchange -> {
                    byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, List<double[]>>> byTitle(OperationalFigures figures) {
        Map<String, Map<String, List<double[]>>> out = new java.util.HashMap<>();
        for (Map<String, Object> chart : figures.charts()) {
            out.put(
                    (String) chart.get("title"),
                    (Map<String, List<double[]>>) (Map<?, ?>) chart.get("lines"));
        }
        return out;
    }

    private static double last(
            Map<String, Map<String, List<double[]>>> charts, String chart, String line) {
        List<double[]> points = charts.get(chart).get(line);
        return points.get(points.size() - 1)[1];
    }
}
