package io.ledgerflow.localplatform;

import io.ledgerflow.localservers.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The webhook notifier of the local run (issue 15) in its own JVM ({@link
 * IngestApiProcess#startNotifier}, 384 MB heap), with the URL policy {@code development} so that
 * endpoints on {@code http://127.0.0.1} work, and a tiny receiver next to it ({@link
 * LocalWebhookReceiver}): an endpoint pointed at {@link #receiverUrl()} gets every webhook answered
 * 204, each written as one line (time, {@code webhook-id}, body) to {@link #receivedLog()}.
 */
final class LocalNotifier implements AutoCloseable {

    /**
     * {@code LEDGERFLOW_WEBHOOK_URL_POLICY} of the local run, the API's too: it accepts the
     * receiver's {@code http://127.0.0.1} URL only with it.
     */
    static final String DEVELOPMENT_URL_POLICY = "development";

    private final Process process;
    private final LocalWebhookReceiver receiver;
    private final int metricsPort;
    private final Path log;

    private LocalNotifier(
            Process process, LocalWebhookReceiver receiver, int metricsPort, Path log) {
        this.process = process;
        this.receiver = receiver;
        this.metricsPort = metricsPort;
        this.log = log;
    }

    /** Starts the receiver, then the notifier on {@code metricsPort}; waits until it is live. */
    static LocalNotifier start(Path dir, int metricsPort, RunningPlatform platform)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        LocalWebhookReceiver receiver =
                LocalWebhookReceiver.start(dir.resolve("received-webhooks.log"));
        Process process;
        try {
            process =
                    IngestApiProcess.startNotifier(
                            dir,
                            Map.of(
                                    "LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS",
                                    platform.servers.kafka().bootstrapServers(),
                                    "LEDGERFLOW_SCHEMA_REGISTRY_URL",
                                    platform.servers.schemaRegistry().url(),
                                    "LEDGERFLOW_NOTIFIER_JDBC_URL",
                                    platform.readModelUrl(),
                                    "LEDGERFLOW_NOTIFIER_USER",
                                    PostgresServer.USER,
                                    "LEDGERFLOW_NOTIFIER_PASSWORD",
                                    PostgresServer.PASSWORD,
                                    "LEDGERFLOW_NOTIFIER_HTTP_PORT",
                                    Integer.toString(metricsPort),
                                    "LEDGERFLOW_WEBHOOK_URL_POLICY",
                                    DEVELOPMENT_URL_POLICY));
        } catch (IOException | RuntimeException e) {
            receiver.close();
            throw e;
        }
        LocalNotifier notifier =
                new LocalNotifier(process, receiver, metricsPort, dir.resolve("notifier.log"));
        try {
            notifier.awaitLive();
        } catch (RuntimeException | InterruptedException e) {
            notifier.close();
            throw e;
        }
        return notifier;
    }

    private void awaitLive() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the notifier exited; see " + log);
            }
            try {
                HttpResponse<Void> live =
                        http.send(
                                HttpRequest.newBuilder(URI.create(metricsUrl("/health/live")))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (live.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the notifier did not start within 60 s; see " + log);
    }

    private String metricsUrl(String path) {
        return "http://127.0.0.1:" + metricsPort + path;
    }

    /** The notifier's Prometheus metrics. */
    String metricsUrl() {
        return metricsUrl("/metrics");
    }

    /** Where the local receiver takes webhooks. */
    String receiverUrl() {
        return receiver.url();
    }

    /** One line per webhook the receiver got. */
    Path receivedLog() {
        return receiver.log();
    }

    /** The notifier's own log. */
    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        receiver.close();
    }
}
