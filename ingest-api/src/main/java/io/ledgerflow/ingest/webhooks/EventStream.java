package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.webhooks.WebhookStore.StoredEvent;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code GET /api/v1/events}: the partner's own events as Server-Sent Events, the ones its webhooks
 * get, with the same ids ({@code id:} is the event id, {@code event:} its type, {@code data:} the
 * webhook body).
 *
 * <p>Resume: a client that reconnects with {@code Last-Event-ID} (browsers' EventSource do it
 * themselves; or {@code ?lastEventId=}) gets every event after that one, in recording order, with
 * none skipped (event positions become visible in order: {@link WebhookStore}). The bound: events
 * are kept for {@code LEDGERFLOW_EVENT_RETENTION} (7 days by default); an id older than that, or
 * not the partner's, answers 410 {@code LAST_EVENT_ID_UNKNOWN} and the client must catch up through
 * the history routes. Without an id the stream starts at the newest event.
 *
 * <p>Each stream polls the database every {@code poll} (by the partner index, a few rows at a
 * time), writes a {@code : heartbeat} comment every 15 s so proxies keep the connection, and stops
 * reading while the client does not keep up (the write queue is full). Bounded: {@value
 * #MAX_PER_PARTNER} streams per partner and {@code maxStreams} per instance (429 {@code
 * TOO_MANY_STREAMS} beyond).
 */
public final class EventStream implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EventStream.class);
    static final int MAX_PER_PARTNER = 5;
    private static final Pattern EVENT_ID = Pattern.compile("evt_[0-9a-f]{32}");
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final WebhookEndpoints webhooks;
    private final Duration poll;
    private final int maxStreams;
    private final WebhookSettings settings;
    private final ScheduledExecutorService pollers =
            Executors.newScheduledThreadPool(
                    2,
                    r -> {
                        Thread t = new Thread(r, "event-stream");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perPartner = new ConcurrentHashMap<>();

    public EventStream(
            WebhookEndpoints webhooks, WebhookSettings settings, Duration poll, int maxStreams) {
        this.webhooks = webhooks;
        this.settings = settings;
        this.poll = poll;
        this.maxStreams = maxStreams;
    }

    /** Streams open now on this instance (a gauge). */
    public int open() {
        return open.get();
    }

    public void events(ApiExchange ex) {
        String partnerId = ex.partner().partnerId();
        String lastEventId = ex.request().getHeader("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = ex.request().getParam("lastEventId");
        }
        if (lastEventId != null && !EVENT_ID.matcher(lastEventId.strip()).matches()) {
            throw unknown(lastEventId);
        }
        String resumeFrom = lastEventId == null ? null : lastEventId.strip();
        WebhookStore store = webhooks.store();
        webhooks.run(
                ex,
                () ->
                        resumeFrom == null
                                ? store.latestSeq()
                                : store.seqOf(partnerId, resumeFrom)
                                        .orElseThrow(() -> unknown(resumeFrom)),
                start -> ex.onLoop(() -> open(ex, partnerId, start)));
    }

    private InvalidRequestException unknown(String id) {
        return new InvalidRequestException(
                Problem.of(
                        ErrorCode.LAST_EVENT_ID_UNKNOWN,
                        "Last-Event-ID "
                                + (id.length() > 40 ? id.substring(0, 40) + "..." : id)
                                + " is not one of this partner's events of the last "
                                + settings.retention().toDays()
                                + " days (LEDGERFLOW_EVENT_RETENTION); catch up through GET"
                                + " /api/v1/transactions, then connect without it"));
    }

    private void open(ApiExchange ex, String partnerId, long start) {
        AtomicInteger mine = perPartner.computeIfAbsent(partnerId, p -> new AtomicInteger());
        if (open.incrementAndGet() > maxStreams || mine.incrementAndGet() > MAX_PER_PARTNER) {
            open.decrementAndGet();
            mine.decrementAndGet();
            ex.problem(
                    Problem.of(
                            ErrorCode.TOO_MANY_STREAMS,
                            "at most "
                                    + MAX_PER_PARTNER
                                    + " event streams per partner (and "
                                    + maxStreams
                                    + " per API instance); close one first"),
                    Map.of("Retry-After", "5"));
            return;
        }
        HttpServerResponse response = ex.startStream("text/event-stream; charset=utf-8");
        response.putHeader("X-Accel-Buffering", "no");
        Stream stream = new Stream(ex, response, partnerId, start, mine);
        response.closeHandler(v -> stream.stop());
        response.exceptionHandler(e -> stream.stop());
        // The reconnection delay for EventSource clients, and a first line so headers go out.
        response.write("retry: 2000\n: stream of partner " + partnerId + "\n\n");
        stream.task =
                pollers.scheduleWithFixedDelay(
                        stream::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final class Stream {
        final ApiExchange ex;
        final HttpServerResponse response;
        final String partnerId;
        final AtomicInteger mine;
        volatile long after;
        volatile boolean stopped;
        final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();
        volatile ScheduledFuture<?> task;
        long lastWrite = System.nanoTime();

        Stream(
                ApiExchange ex,
                HttpServerResponse response,
                String partnerId,
                long after,
                AtomicInteger mine) {
            this.ex = ex;
            this.response = response;
            this.partnerId = partnerId;
            this.after = after;
            this.mine = mine;
        }

        void poll() {
            if (stopped) {
                ScheduledFuture<?> t = task;
                if (t != null) {
                    t.cancel(false);
                }
                return;
            }
            try {
                if (response.writeQueueFull()) {
                    return;
                }
                List<StoredEvent> events = webhooks.store().eventsAfter(partnerId, after, 100);
                StringBuilder out = new StringBuilder();
                for (StoredEvent e : events) {
                    out.append("id: ").append(e.eventId()).append('\n');
                    out.append("event: ").append(e.type()).append('\n');
                    // The body is one line of JSON (no raw newlines: JSON escapes them).
                    out.append("data: ").append(e.body()).append("\n\n");
                }
                long now = System.nanoTime();
                if (out.length() == 0 && now - lastWrite < HEARTBEAT_NANOS) {
                    return;
                }
                if (out.length() == 0) {
                    out.append(": heartbeat\n\n");
                }
                lastWrite = now;
                if (!events.isEmpty()) {
                    after = events.get(events.size() - 1).seq();
                }
                String chunk = out.toString();
                ex.onLoop(
                        () -> {
                            if (!stopped) {
                                response.write(chunk);
                            }
                        });
            } catch (RuntimeException e) {
                // The database is away: the client reconnects with its Last-Event-ID.
                LOG.warn("event stream of partner {} ended: {}", partnerId, e.toString());
                ex.onLoop(
                        () -> {
                            if (!stopped) {
                                response.end();
                            }
                        });
                stop();
            }
        }

        void stop() {
            stopped = true;
            if (!released.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            open.decrementAndGet();
            mine.decrementAndGet();
        }
    }

    @Override
    public void close() {
        pollers.shutdownNow();
    }
}
