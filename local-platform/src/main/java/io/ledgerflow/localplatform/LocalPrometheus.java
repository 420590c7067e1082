package io.ledgerflow.localplatform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) that scrapes the local run: the
 * ingest API, both jobs' MiniClusters (Flink's Prometheus reporter) and the webhook notifier, every
 * 5 s, each target labelled {@code namespace="local"} as the SRE dashboard's namespace variable
 * expects. Its data lives in the run's data directory; it stops with the run. {@code bin/run-local
 * --prometheus}.
 */
final class LocalPrometheus implements AutoCloseable {

    /** Where Debian's package puts the server. */
    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final String url;

    private LocalPrometheus(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts it on {@code port}, scraping {@code apiUrl}, the two jobs' and the notifier's metrics
     * ports.
     */
    static LocalPrometheus start(
            Path dir,
            int port,
            String apiUrl,
            int ledgerMetricsPort,
            int sinksMetricsPort,
            int notifierMetricsPort)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(
                    BINARY
                            + " missing: bin/run-local --prometheus installs Debian's prometheus"
                            + " package (dashboards/ensure-promtool)");
        }
        Files.createDirectories(dir.resolve("data"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                config(
                        URI.create(apiUrl).getAuthority(),
                        ledgerMetricsPort,
                        sinksMetricsPort,
                        notifierMetricsPort));
        String url = "http://127.0.0.1:" + port;
        Process process =
                new ProcessBuilder(
                                BINARY.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--storage.tsdb.retention.time=1d",
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("prometheus.log").toFile()))
                        .start();
        LocalPrometheus prometheus = new LocalPrometheus(process, url);
        prometheus.awaitReady(dir.resolve("prometheus.log"));
        return prometheus;
    }

    /** The scrape configuration: one job per process, as on Kubernetes. */
    static String config(
            String api, int ledgerMetricsPort, int sinksMetricsPort, int notifierMetricsPort) {
        return """
                # Written by bin/run-local (LocalPrometheus): the local run's four metric sources.
                global:
                  scrape_interval: 5s
                  evaluation_interval: 5s
                scrape_configs:
                  - job_name: ingest-api
                    static_configs:
                      - targets: ['%s']
                        labels: {namespace: local}
                  - job_name: ledger-job
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: local}
                  - job_name: sinks-job
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: local}
                  - job_name: notifier
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: local}
                """
                .formatted(api, ledgerMetricsPort, sinksMetricsPort, notifierMetricsPort);
    }

    private void awaitReady(Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Prometheus exited; see " + log + ":\n" + tail(log));
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("Prometheus not ready within 30 s; see " + log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
