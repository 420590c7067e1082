package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.ingest.webhooks.WebhookStore.Attempt;
import io.ledgerflow.ingest.webhooks.WebhookStore.Claimed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sends due deliveries to their endpoints, signed, and records every attempt.
 *
 * <p>Isolation: each endpoint has at most {@code perEndpointConcurrency} attempts in flight, and
 * attempts are asynchronous with a timeout each, so an endpoint that hangs or refuses holds only
 * its own slots: the loop goes on claiming for every other endpoint. One loop thread claims (short
 * transactions, no row held during a call); a few threads write the outcomes.
 *
 * <p>Order: one account's events reach an endpoint one at a time, in recording order (see {@link
 * WebhookStore#claim}); a failing event holds back the later events of its account on that endpoint
 * (never other accounts') until it is delivered or parked.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(WebhookDispatcher.class);

    /** Settings of the deliveries. */
    public record Options(
            Duration pollInterval,
            Duration attemptTimeout,
            int perEndpointConcurrency,
            RetrySchedule retries) {}

    private final WebhookStore store;
    private final SecretBox secrets;
    private final EndpointUrls urls;
    private final Options options;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService finishing =
            Executors.newFixedThreadPool(2, daemon("webhook-finish"));
    private final ExecutorService httpThreads =
            Executors.newFixedThreadPool(4, daemon("webhook-http"));
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final NotifierMetrics metrics;
    private final Thread loop;
    private final Object wake = new Object();
    private volatile boolean closed;

    public WebhookDispatcher(
            WebhookStore store,
            SecretBox secrets,
            EndpointUrls urls,
            Options options,
            Clock clock,
            NotifierMetrics metrics) {
        this.store = store;
        this.secrets = secrets;
        this.urls = urls;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
        this.http =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(options.attemptTimeout())
                        .executor(httpThreads)
                        .build();
        this.loop = new Thread(this::run, "webhook-dispatcher");
        loop.setDaemon(true);
    }

    public WebhookDispatcher start() {
        loop.start();
        return this;
    }

    /** New deliveries may be due: look now rather than at the next poll. */
    public void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Attempts in flight now, all endpoints. */
    public int inFlight() {
        return inFlight.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void run() {
        while (!closed) {
            try {
                dispatchOnce();
            } catch (RuntimeException e) {
                LOG.warn("webhook dispatch round failed; trying again", e);
            }
            synchronized (wake) {
                try {
                    wake.wait(options.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void dispatchOnce() {
        Instant now = clock.instant();
        // Long enough for the attempt and its bookkeeping; a notifier that dies mid-attempt makes
        // the delivery due again when the lease ends, and the redelivery carries the same id.
        Instant lease = now.plus(options.attemptTimeout().multipliedBy(2)).plusSeconds(1);
        for (String endpointId : store.endpointsDue(now)) {
            AtomicInteger busy = inFlight.computeIfAbsent(endpointId, k -> new AtomicInteger());
            int free = options.perEndpointConcurrency() - busy.get();
            if (free <= 0) {
                continue;
            }
            List<Claimed> claimed = store.claim(endpointId, free, now, lease);
            for (Claimed delivery : claimed) {
                busy.incrementAndGet();
                send(delivery)
                        .whenComplete(
                                (attempt, error) -> {
                                    Attempt a =
                                            attempt != null
                                                    ? attempt
                                                    : new Attempt(
                                                            clock.instant(),
                                                            null,
                                                            0,
                                                            String.valueOf(error));
                                    finishing.execute(() -> finish(delivery, a, busy));
                                });
            }
        }
    }

    private java.util.concurrent.CompletableFuture<Attempt> send(Claimed d) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        URI uri;
        String signature;
        long timestamp = started.getEpochSecond();
        try {
            uri = urls.check(d.url());
            String secret = secrets.open(d.sealedSecret(), d.endpointId());
            signature = WebhookSignature.sign(secret, d.eventId(), timestamp, d.body());
        } catch (EndpointUrls.RefusedUrlException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    new Attempt(started, null, 0, "URL refused: " + e.getMessage()));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    new Attempt(started, null, 0, e.getMessage()));
        }
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(options.attemptTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Ledgerflow-Webhooks/1")
                        .header("webhook-id", d.eventId())
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8))
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle(
                        (response, error) -> {
                            int latency =
                                    (int)
                                            TimeUnit.NANOSECONDS.toMillis(
                                                    System.nanoTime() - startNanos);
                            if (error != null) {
                                Throwable cause =
                                        error instanceof java.util.concurrent.CompletionException
                                                        && error.getCause() != null
                                                ? error.getCause()
                                                : error;
                                String message =
                                        cause instanceof java.net.http.HttpTimeoutException
                                                ? "timed out after "
                                                        + options.attemptTimeout().toMillis()
                                                        + " ms"
                                                : cause.getClass().getSimpleName()
                                                        + (cause.getMessage() == null
                                                                ? ""
                                                                : ": " + cause.getMessage());
                                return new Attempt(started, null, latency, message);
                            }
                            int status = response.statusCode();
                            return new Attempt(
                                    started,
                                    status,
                                    latency,
                                    status >= 200 && status < 300
                                            ? null
                                            : "HTTP "
                                                    + status
                                                    + (status >= 300 && status < 400
                                                            ? " (redirects are not followed)"
                                                            : ""));
                        });
    }

    private void finish(Claimed d, Attempt attempt, AtomicInteger busy) {
        try {
            Instant next =
                    attempt.delivered()
                            ? null
                            : options.retries().next(d.attempt(), clock.instant(), d.giveUpAt());
            store.finish(d.deliveryId(), attempt, next);
            String outcome = attempt.delivered() ? "delivered" : next == null ? "parked" : "retry";
            metrics.attempt(d.partnerId(), outcome);
            if (attempt.delivered()) {
                metrics.delivered(
                        d.partnerId(),
                        Duration.between(
                                d.occurredAt(), attempt.at().plusMillis(attempt.latencyMillis())));
            } else if (next == null) {
                metrics.parked(d.partnerId());
                LOG.warn(
                        "webhook delivery {} of event {} to endpoint {} parked as failed after {}"
                                + " attempts: {}",
                        d.deliveryId(),
                        d.eventId(),
                        d.endpointId(),
                        d.attempt(),
                        attempt.error());
            }
        } catch (RuntimeException e) {
            // The lease runs out and the delivery is tried again: at least once, same id.
            LOG.warn("recording webhook attempt of delivery {} failed", d.deliveryId(), e);
        } finally {
            busy.decrementAndGet();
            wakeUp();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishing.shutdown();
        try {
            finishing.awaitTermination(
                    options.attemptTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
    }
}
