package io.ledgerflow.ingest.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The notifier: records partner events from the ledger's committed results ({@link EventRecorder}),
 * delivers them to webhook endpoints ({@link WebhookDispatcher}), keeps the per-partner backlog
 * visible (metrics) and bounded, and deletes events past the retention. Any number of notifiers may
 * run against one database: they share the consumer group's partitions and lease deliveries with
 * {@code FOR UPDATE SKIP LOCKED}.
 *
 * <p>Metrics ({@code /metrics}, Prometheus): {@code webhook_delivery_attempts_total{partner,
 * outcome}}, {@code webhook_deliveries_failed_total{partner}}, {@code
 * webhook_delivery_lag_seconds{partner}} (decision to 2xx), {@code
 * webhook_backlog_deliveries{partner}} and {@code webhook_backlog_oldest_age_seconds{partner}}
 * (pending deliveries; refreshed every 5 s), {@code notifier_events_recorded_total}.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Notifier.class);

    private final NotifierConfig config;
    private final PrometheusMeterRegistry metrics =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;
    private final EventRecorder recorder;
    private final ScheduledExecutorService chores =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "notifier-chores");
                        t.setDaemon(true);
                        return t;
                    });
    private final Map<String, long[]> backlogByPartner = new ConcurrentHashMap<>();
    private volatile Set<String> fullEndpoints = Set.of();
    private HttpServer http;

    public Notifier(NotifierConfig config, Clock clock) {
        this.config = config;
        if (config.migrate()) {
            PostgresMigrations.apply(
                    config.database().url(),
                    config.database().user(),
                    config.database().password().reveal());
        }
        this.store =
                new WebhookStore(
                        config.database().url(),
                        config.database().user(),
                        config.database().password().reveal(),
                        4,
                        "ledgerflow-notifier");
        this.dispatcher =
                new WebhookDispatcher(
                        store,
                        config.webhooks().secretBox(),
                        new EndpointUrls(config.webhooks().urlPolicy()),
                        new WebhookDispatcher.Options(
                                config.poll(),
                                config.attemptTimeout(),
                                config.endpointConcurrency(),
                                new RetrySchedule(
                                        config.backoffBase(),
                                        config.backoffMax(),
                                        () -> ThreadLocalRandom.current().nextDouble())),
                        clock,
                        metrics);
        this.recorder =
                new EventRecorder(
                        config.kafka().bootstrapServers(),
                        config.group(),
                        config.startFrom(),
                        config.kafka().topic(Topics.TRANSACTION_RESULTS),
                        config.kafka().topic(Topics.ACCOUNT_COMMAND_RESULTS),
                        SchemaRegistryClient.forUrl(config.registry().url()),
                        store,
                        clock,
                        config.webhooks().retryPeriod(),
                        config.webhooks().retention(),
                        () -> fullEndpoints,
                        dispatcher::wakeUp,
                        metrics);
    }

    /** Starts reading, delivering and the chores; returns the metrics port. */
    public int start() {
        refreshBacklog();
        dispatcher.start();
        recorder.start();
        chores.scheduleWithFixedDelay(this::refreshBacklog, 5, 5, TimeUnit.SECONDS);
        long purge = config.purgeInterval().toMillis();
        chores.scheduleWithFixedDelay(this::purge, purge, purge, TimeUnit.MILLISECONDS);
        try {
            http = HttpServer.create(new InetSocketAddress(config.httpPort()), 16);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        http.createContext("/metrics", ex -> answer(ex, 200, metrics.scrape()));
        http.createContext("/health/live", ex -> answer(ex, 200, "live\n"));
        http.createContext(
                "/health/ready",
                ex -> {
                    boolean ready =
                            Duration.between(recorder.lastCommit(), Instant.now()).toSeconds() < 60;
                    answer(ex, ready ? 200 : 503, ready ? "ready\n" : "not reading results\n");
                });
        http.start();
        return http.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void refreshBacklog() {
        try {
            Map<String, long[]> now = new java.util.HashMap<>();
            Set<String> full = new java.util.HashSet<>();
            Instant at = Instant.now();
            for (WebhookStore.Backlog b : store.backlogs()) {
                long[] sum = now.computeIfAbsent(b.partnerId(), k -> new long[2]);
                sum[0] += b.pending();
                sum[1] = Math.max(sum[1], Duration.between(b.oldestPendingSince(), at).toSeconds());
                if (b.pending() >= config.maxBacklog()) {
                    full.add(b.endpointId());
                }
            }
            fullEndpoints = Set.copyOf(full);
            for (String partner : backlogByPartner.keySet()) {
                if (!now.containsKey(partner)) {
                    backlogByPartner.get(partner)[0] = 0;
                    backlogByPartner.get(partner)[1] = 0;
                }
            }
            now.forEach(
                    (partner, sum) -> {
                        long[] held =
                                backlogByPartner.computeIfAbsent(
                                        partner,
                                        p -> {
                                            long[] fresh = new long[2];
                                            Gauge.builder(
                                                            "webhook.backlog.deliveries",
                                                            fresh,
                                                            a -> a[0])
                                                    .description(
                                                            "Pending deliveries of the partner's endpoints.")
                                                    .tag("partner", p)
                                                    .register(metrics);
                                            Gauge.builder(
                                                            "webhook.backlog.oldest.age.seconds",
                                                            fresh,
                                                            a -> a[1])
                                                    .description(
                                                            "Age of the partner's oldest pending delivery.")
                                                    .tag("partner", p)
                                                    .register(metrics);
                                            return fresh;
                                        });
                        held[0] = sum[0];
                        held[1] = sum[1];
                    });
        } catch (RuntimeException e) {
            LOG.warn("refreshing the webhook backlog failed", e);
        }
    }

    private void purge() {
        try {
            int deleted = store.purge(Instant.now().minus(config.webhooks().retention()));
            if (deleted > 0) {
                LOG.info("deleted {} partner events past the retention", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("purging old partner events failed", e);
        }
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
        chores.shutdownNow();
        recorder.close();
        dispatcher.close();
        store.close();
    }
}
