package io.ledgerflow.ingest.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * <p>Metrics ({@code /metrics}, Prometheus): {@link NotifierMetrics}, the partner label capped like
 * the API's; the backlog figures are refreshed every 5 s.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Notifier.class);

    private final NotifierConfig config;
    private final NotifierMetrics metrics;
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
    private volatile Set<String> fullEndpoints = Set.of();
    private HttpServer http;

    public Notifier(NotifierConfig config, Clock clock) {
        this.config = config;
        this.metrics = new NotifierMetrics(config.metricsMaxPartners());
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
                                config.runLength(),
                                config.maxInFlight(),
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
                        metrics.registry());
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
            Map<String, long[]> byPartner = new HashMap<>();
            Set<String> full = new HashSet<>();
            Instant at = Instant.now();
            for (WebhookStore.Backlog b : store.backlogs()) {
                long[] sum = byPartner.computeIfAbsent(b.partnerId(), k -> new long[2]);
                sum[0] += b.pending();
                sum[1] = Math.max(sum[1], Duration.between(b.oldestPendingSince(), at).toSeconds());
                if (b.pending() >= config.maxBacklog()) {
                    full.add(b.endpointId());
                }
            }
            fullEndpoints = Set.copyOf(full);
            Map<String, NotifierMetrics.PartnerBacklog> backlog = new HashMap<>();
            byPartner.forEach(
                    (partner, sum) ->
                            backlog.put(
                                    partner, new NotifierMetrics.PartnerBacklog(sum[0], sum[1])));
            metrics.backlog(backlog);
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
        return metrics.registry();
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
