package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.ingest.webhooks.WebhookStore.Attempt;
import io.ledgerflow.ingest.webhooks.WebhookStore.Claimed;
import io.ledgerflow.ingest.webhooks.WebhookStore.Finished;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sends due deliveries to their endpoints, signed, and records every attempt.
 *
 * <p>Isolation: each endpoint has at most {@code perEndpointConcurrency} runs (so attempts) in
 * flight, and attempts are asynchronous with a timeout each, so an endpoint that hangs or refuses
 * holds only its own slots: the loop goes on claiming for every other endpoint. Nothing is held
 * open during a call.
 *
 * <p>Rate: PostgreSQL round trips, not HTTP, bound a notifier, so both sides are batched. One loop
 * thread claims for every endpoint in one statement per round ({@link WebhookStore#claimDue}); one
 * finisher thread records every outcome that arrived meanwhile in one statement ({@link
 * WebhookStore#finishAll}) and then wakes the loop, because slots just freed.
 *
 * <p>Order: one account's events reach an endpoint one at a time, in recording order. They are
 * claimed as a run (the account's oldest pending deliveries, see {@link WebhookStore#claimDue}) and
 * sent one after another, so a busy account is not held to one event per database round trip; a
 * failing event stops its run and holds back the later events of its account on that endpoint
 * (never other accounts') until it is delivered or parked. Different accounts' runs go in parallel,
 * up to the endpoint's slots.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(WebhookDispatcher.class);

    /** Settings of the deliveries. */
    public record Options(
            Duration pollInterval,
            Duration attemptTimeout,
            int perEndpointConcurrency,
            int runLength,
            int maxInFlight,
            RetrySchedule retries) {}

    /** Most outcomes written in one statement. */
    private static final int FINISH_BATCH = 1_000;

    private final WebhookStore store;
    private final SecretBox secrets;
    private final EndpointUrls urls;
    private final Options options;
    private final Clock clock;
    private final HttpClient http;
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final Thread finisher;
    private final ExecutorService httpThreads =
            Executors.newFixedThreadPool(4, daemon("webhook-http"));
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final NotifierMetrics metrics;
    private final Thread loop;
    private final Object wake = new Object();
    private boolean woken;
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
        this.finisher = new Thread(this::finishOutcomes, "webhook-finisher");
        finisher.setDaemon(true);
    }

    public WebhookDispatcher start() {
        loop.start();
        finisher.start();
        return this;
    }

    /** New deliveries may be due: look now rather than at the next poll. */
    public void wakeUp() {
        synchronized (wake) {
            woken = true;
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
                    // A wake-up during the round is not lost: it sets the flag, and the next round
                    // starts at once.
                    if (!woken) {
                        wake.wait(options.pollInterval().toMillis());
                    }
                    woken = false;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void dispatchOnce() {
        int total = inFlight();
        if (total >= options.maxInFlight()) {
            return;
        }
        Instant now = clock.instant();
        // A run stops starting attempts after one attempt timeout, so its last attempt ends within
        // two; the lease adds a second for the bookkeeping. A notifier that dies mid-run makes the
        // run due again when the lease ends, and the redeliveries carry the same ids.
        Instant stopStarting = now.plus(options.attemptTimeout());
        Instant lease = now.plus(options.attemptTimeout().multipliedBy(2)).plusSeconds(1);
        Map<String, Integer> busy = new HashMap<>();
        inFlight.forEach(
                (endpoint, n) -> {
                    if (n.get() > 0) {
                        busy.put(endpoint, n.get());
                    }
                });
        List<Claimed> claimed =
                store.claimDue(
                        busy,
                        options.perEndpointConcurrency(),
                        options.runLength(),
                        options.maxInFlight() - total,
                        now,
                        lease);
        // Claimed in delivery id order, so each run's deliveries are in its account's order.
        Map<List<Object>, List<Claimed>> runs = new LinkedHashMap<>();
        for (Claimed delivery : claimed) {
            List<Object> key =
                    delivery.orderKey() == null
                            ? List.of(delivery.deliveryId())
                            : List.of(delivery.endpointId(), delivery.orderKey());
            runs.computeIfAbsent(key, k -> new ArrayList<>()).add(delivery);
        }
        for (List<Claimed> run : runs.values()) {
            AtomicInteger slots =
                    inFlight.computeIfAbsent(run.get(0).endpointId(), k -> new AtomicInteger());
            slots.incrementAndGet();
            sendRun(run, 0, slots, stopStarting);
        }
    }

    /**
     * Sends a run's deliveries one after another: the next only once the previous one is delivered
     * and while the run has time left. The rest of a run that stops is given back (due again,
     * behind a failed one of the same account). The run's last outcome frees its endpoint slot,
     * after everything before it is recorded.
     */
    private void sendRun(List<Claimed> run, int i, AtomicInteger slots, Instant stopStarting) {
        Claimed delivery = run.get(i);
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
                            boolean last = i == run.size() - 1;
                            if (!last
                                    && a.delivered()
                                    && !closed
                                    && clock.instant().isBefore(stopStarting)) {
                                outcomes.add(new Outcome(delivery, a, null));
                                sendRun(run, i + 1, slots, stopStarting);
                                return;
                            }
                            outcomes.add(new Outcome(delivery, a, last ? slots : null));
                            for (int j = i + 1; j < run.size(); j++) {
                                outcomes.add(
                                        new Outcome(
                                                run.get(j),
                                                null,
                                                j == run.size() - 1 ? slots : null));
                            }
                        });
    }

    /**
     * An attempt's result waiting to be recorded (no attempt: a delivery of a stopped run, given
     * back), and the endpoint slot it frees when it ends its run.
     */
    private record Outcome(Claimed delivery, Attempt attempt, AtomicInteger slots) {}

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

    private void finishOutcomes() {
        List<Outcome> batch = new ArrayList<>();
        while (true) {
            try {
                Outcome first =
                        outcomes.poll(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && inFlight() == 0) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            outcomes.drainTo(batch, FINISH_BATCH - 1);
            // Outcomes in the middle of a run free no slot: claiming again would find nothing new.
            if (finish(batch)) {
                wakeUp();
            }
            batch.clear();
        }
    }

    /** Records the batch; returns whether it freed an endpoint slot. */
    private boolean finish(List<Outcome> batch) {
        List<Finished> finished = new ArrayList<>(batch.size());
        Instant now = clock.instant();
        for (Outcome o : batch) {
            Claimed d = o.delivery();
            Attempt attempt = o.attempt();
            if (attempt == null) {
                finished.add(Finished.released(d.deliveryId(), now));
                continue;
            }
            Instant next =
                    attempt.delivered()
                            ? null
                            : options.retries().next(d.attempt(), now, d.giveUpAt());
            finished.add(new Finished(d.deliveryId(), attempt, next));
        }
        try {
            store.finishAll(finished);
        } catch (RuntimeException e) {
            // The leases run out and the deliveries are tried again: at least once, same ids.
            LOG.warn("recording {} webhook attempts failed", batch.size(), e);
            return freeSlots(batch);
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = batch.get(i);
            Claimed d = o.delivery();
            Attempt attempt = o.attempt();
            if (attempt == null) {
                continue;
            }
            boolean parked = !attempt.delivered() && finished.get(i).nextAttemptAt() == null;
            metrics.attempt(
                    d.partnerId(), attempt.delivered() ? "delivered" : parked ? "parked" : "retry");
            if (attempt.delivered()) {
                metrics.delivered(
                        d.partnerId(),
                        Duration.between(
                                d.occurredAt(), attempt.at().plusMillis(attempt.latencyMillis())));
            } else if (parked) {
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
        }
        return freeSlots(batch);
    }

    private static boolean freeSlots(List<Outcome> batch) {
        boolean freed = false;
        for (Outcome o : batch) {
            if (o.slots() != null) {
                o.slots().decrementAndGet();
                freed = true;
            }
        }
        return freed;
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
        // The finisher records what is still in flight (each attempt ends within its timeout).
        try {
            finisher.join(options.attemptTimeout().toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finisher.interrupt();
        httpThreads.shutdownNow();
    }
}
