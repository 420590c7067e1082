package io.ledgerflow.ingest.webhooks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.webhooks.WebhookStore.Endpoint;
import io.ledgerflow.readmodel.ReadModelConnections;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A partner's webhook endpoints ({@code /api/v1/webhooks/endpoints}): create (the signing secret is
 * in that answer only), list, get (with its backlog), change (URL, event types, description, {@code
 * status} ENABLED or DISABLED: a disabled endpoint keeps its pending deliveries and gets them when
 * enabled again), delete, send a test event, the delivery log (every attempt) and replay (one
 * event, or every event since a time, as new deliveries with the events' own ids).
 *
 * <p>Another partner's endpoint answers 404 exactly like an unknown one. Database work runs on a
 * few threads of its own (never on an event loop), with a bounded queue: 503 beyond it.
 */
public final class WebhookEndpoints implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(WebhookEndpoints.class);
    private static final Pattern ENDPOINT_ID = Pattern.compile("ep_[0-9a-f]{24}");
    private static final Pattern EVENT_ID = Pattern.compile("evt_[0-9a-f]{32}");
    private static final int MAX_ENDPOINTS = 20;
    private static final int MAX_REPLAY = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final SecretBox secrets;
    private final EndpointUrls urls;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Map<String, String> retryAfter;
    private final ThreadPoolExecutor workers;

    /** {@code store} null: every route answers 503 (no database configured). */
    public WebhookEndpoints(
            WebhookStore store,
            WebhookSettings settings,
            EndpointUrls urls,
            Clock clock,
            int retryAfterSeconds) {
        this.store = store;
        this.settings = settings;
        this.secrets = settings.secretBox();
        this.urls = urls;
        this.clock = clock;
        this.retryAfter = Map.of("Retry-After", Integer.toString(retryAfterSeconds));
        this.workers =
                new ThreadPoolExecutor(
                        2,
                        2,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(256),
                        r -> {
                            Thread t = new Thread(r, "webhook-routes");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public WebhookStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ routes

    /** {@code POST /api/v1/webhooks/endpoints}. */
    public void create(ApiExchange ex) {
        JsonNode body = object(ex);
        allowOnly(body, "url", "eventTypes", "description");
        String url = text(body, "url", true);
        List<String> types = eventTypes(body);
        String description = description(body);
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    checkUrl(url);
                    if (store.endpoints(partnerId).size() >= MAX_ENDPOINTS) {
                        throw new InvalidRequestException(
                                Problem.of(
                                        ErrorCode.INVALID_BODY,
                                        "a partner has at most " + MAX_ENDPOINTS + " endpoints"));
                    }
                    String id = "ep_" + HexFormat.of().formatHex(random(12));
                    String secret = WebhookSignature.newSecret();
                    Instant now = clock.instant();
                    Endpoint e =
                            new Endpoint(
                                    id,
                                    partnerId,
                                    url,
                                    types,
                                    description,
                                    secrets.seal(secret, id),
                                    "ENABLED",
                                    now,
                                    now);
                    store.createEndpoint(e);
                    return Map.entry(e, secret);
                },
                created ->
                        ex.json(
                                201,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            endpointFields(json, created.getKey());
                                            // Shown once: only its ciphertext is stored.
                                            json.writeStringField("secret", created.getValue());
                                            json.writeEndObject();
                                        }),
                                Map.of(
                                        "Location",
                                        "/api/v1/webhooks/endpoints/"
                                                + created.getKey().endpointId())));
    }

    /** {@code GET /api/v1/webhooks/endpoints}. */
    public void list(ApiExchange ex) {
        list(ex, ex.partner().partnerId());
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/webhooks/endpoints}: any partner's. */
    public void anyList(ApiExchange ex) {
        list(ex, adminPartnerId(ex));
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/webhooks/endpoints/{endpointId}/attempts}. */
    public void anyAttempts(ApiExchange ex) {
        attempts(ex, adminPartnerId(ex));
    }

    private static String adminPartnerId(ApiExchange ex) {
        String partnerId = ex.pathParam("partnerId");
        if (!partnerId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return partnerId;
    }

    private void list(ApiExchange ex, String partnerId) {
        run(
                ex,
                () -> store.endpoints(partnerId),
                list ->
                        ex.json(
                                200,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            json.writeArrayFieldStart("endpoints");
                                            for (Endpoint e : list) {
                                                json.writeStartObject();
                                                endpointFields(json, e);
                                                json.writeEndObject();
                                            }
                                            json.writeEndArray();
                                            json.writeEndObject();
                                        })));
    }

    /** {@code GET /api/v1/webhooks/endpoints/{endpointId}}: with its backlog. */
    public void get(ApiExchange ex) {
        String endpointId = endpointId(ex);
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    Endpoint e = owned(partnerId, endpointId);
                    return Map.entry(e, store.counts(endpointId));
                },
                found ->
                        ex.json(
                                200,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            endpointFields(json, found.getKey());
                                            WebhookStore.EndpointCounts c = found.getValue();
                                            json.writeObjectFieldStart("backlog");
                                            json.writeNumberField("pending", c.pending());
                                            json.writeNumberField("failed", c.failed());
                                            if (c.oldestPendingSince() != null) {
                                                json.writeStringField(
                                                        "oldestPendingSince",
                                                        c.oldestPendingSince().toString());
                                            }
                                            json.writeEndObject();
                                            json.writeEndObject();
                                        })));
    }

    /** {@code PATCH /api/v1/webhooks/endpoints/{endpointId}}. */
    public void update(ApiExchange ex) {
        String endpointId = endpointId(ex);
        JsonNode body = object(ex);
        allowOnly(body, "url", "eventTypes", "description", "status");
        String url = body.has("url") ? text(body, "url", true) : null;
        List<String> types = body.has("eventTypes") ? eventTypes(body) : null;
        String description = body.has("description") ? description(body) : null;
        String status = body.has("status") ? text(body, "status", true) : null;
        if (status != null && !status.equals("ENABLED") && !status.equals("DISABLED")) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, "status", "status must be ENABLED or DISABLED");
        }
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    Endpoint e = owned(partnerId, endpointId);
                    if (url != null) {
                        checkUrl(url);
                    }
                    Endpoint changed =
                            new Endpoint(
                                    e.endpointId(),
                                    e.partnerId(),
                                    url == null ? e.url() : url,
                                    types == null ? e.eventTypes() : types,
                                    body.has("description") ? description : e.description(),
                                    e.sealedSecret(),
                                    status == null ? e.status() : status,
                                    e.createdAt(),
                                    clock.instant());
                    if (!store.updateEndpoint(changed)) {
                        throw notFound(endpointId);
                    }
                    return changed;
                },
                changed ->
                        ex.json(
                                200,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            endpointFields(json, changed);
                                            json.writeEndObject();
                                        })));
    }

    /** {@code DELETE /api/v1/webhooks/endpoints/{endpointId}}: with its deliveries and log. */
    public void delete(ApiExchange ex) {
        String endpointId = endpointId(ex);
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    if (!store.deleteEndpoint(partnerId, endpointId)) {
                        throw notFound(endpointId);
                    }
                    return true;
                },
                done -> ex.respond(204, "application/json", new byte[0], null));
    }

    /** {@code POST /api/v1/webhooks/endpoints/{endpointId}/test}: a test event to this endpoint. */
    public void test(ApiExchange ex) {
        String endpointId = endpointId(ex);
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    owned(partnerId, endpointId);
                    Instant now = clock.instant();
                    PartnerEvent event =
                            PartnerEvents.test(
                                    partnerId,
                                    endpointId,
                                    HexFormat.of().formatHex(random(16)),
                                    now);
                    store.recordTest(event, endpointId, now, settings.retryPeriod());
                    return event.eventId();
                },
                eventId ->
                        ex.json(
                                202,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            json.writeStringField("eventId", eventId);
                                            json.writeStringField("type", PartnerEvents.TEST);
                                            json.writeEndObject();
                                        })));
    }

    /**
     * {@code GET /api/v1/webhooks/endpoints/{endpointId}/attempts?eventId=&limit=&before=}: every
     * attempt, newest first; {@code before} is the {@code attemptId} the previous page ended at.
     */
    public void attempts(ApiExchange ex) {
        attempts(ex, ex.partner().partnerId());
    }

    private void attempts(ApiExchange ex, String partnerId) {
        String endpointId = endpointId(ex);
        String eventId = ex.request().getParam("eventId");
        if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_QUERY_PARAMETER,
                    "eventId",
                    "eventId must be evt_ and 32 hex digits");
        }
        int limit = intParam(ex, "limit", 50, 1, 200);
        long before = intParam(ex, "before", 0, 0, Integer.MAX_VALUE);
        run(
                ex,
                () -> {
                    owned(partnerId, endpointId);
                    return store.log(endpointId, eventId, before, limit);
                },
                log ->
                        ex.json(
                                200,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            json.writeArrayFieldStart("attempts");
                                            for (WebhookStore.LogEntry a : log) {
                                                json.writeStartObject();
                                                json.writeNumberField("attemptId", a.attemptId());
                                                json.writeNumberField("deliveryId", a.deliveryId());
                                                json.writeStringField("eventId", a.eventId());
                                                json.writeStringField("eventType", a.eventType());
                                                json.writeStringField("cause", a.cause());
                                                json.writeStringField(
                                                        "deliveryStatus", a.deliveryStatus());
                                                json.writeStringField(
                                                        "attemptedAt", a.attemptedAt().toString());
                                                if (a.statusCode() != null) {
                                                    json.writeNumberField(
                                                            "statusCode", a.statusCode());
                                                }
                                                json.writeNumberField(
                                                        "latencyMillis", a.latencyMillis());
                                                if (a.error() != null) {
                                                    json.writeStringField("error", a.error());
                                                }
                                                json.writeEndObject();
                                            }
                                            json.writeEndArray();
                                            if (log.size() == limit) {
                                                json.writeNumberField(
                                                        "nextBefore",
                                                        log.get(log.size() - 1).attemptId());
                                            }
                                            json.writeEndObject();
                                        })));
    }

    /**
     * {@code POST /api/v1/webhooks/endpoints/{endpointId}/replay} with {@code {"eventId": ...}} or
     * {@code {"since": "<instant>"}}: new deliveries of those events (their own ids), at most
     * {@value #MAX_REPLAY} per call ({@code truncated} says when more remain: call again from the
     * last event's time).
     */
    public void replay(ApiExchange ex) {
        String endpointId = endpointId(ex);
        JsonNode body = object(ex);
        allowOnly(body, "eventId", "since");
        String eventId = body.has("eventId") ? text(body, "eventId", true) : null;
        String sinceText = body.has("since") ? text(body, "since", true) : null;
        if ((eventId == null) == (sinceText == null)) {
            throw new InvalidRequestException(
                    Problem.of(ErrorCode.INVALID_BODY, "give exactly one of eventId and since"));
        }
        if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID, "eventId", "eventId must be evt_ and 32 hex digits");
        }
        Instant since;
        try {
            since = sinceText == null ? null : Instant.parse(sinceText);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_TIMESTAMP, "since", "since must be an ISO-8601 instant");
        }
        String partnerId = ex.partner().partnerId();
        run(
                ex,
                () -> {
                    owned(partnerId, endpointId);
                    int n =
                            store.replay(
                                    partnerId,
                                    endpointId,
                                    eventId,
                                    since,
                                    MAX_REPLAY,
                                    clock.instant(),
                                    settings.retryPeriod());
                    if (eventId != null && n == 0) {
                        throw new InvalidRequestException(
                                Problem.of(
                                        ErrorCode.EVENT_NOT_FOUND,
                                        "no event "
                                                + eventId
                                                + " of this partner within the retention of "
                                                + settings.retention().toDays()
                                                + " days"));
                    }
                    return n;
                },
                n ->
                        ex.json(
                                202,
                                Json.write(
                                        json -> {
                                            json.writeStartObject();
                                            json.writeNumberField("deliveries", n);
                                            json.writeBooleanField("truncated", n >= MAX_REPLAY);
                                            json.writeEndObject();
                                        })));
    }

    // ------------------------------------------------------------------ plumbing

    private static void endpointFields(JsonGenerator json, Endpoint e) throws IOException {
        json.writeStringField("endpointId", e.endpointId());
        json.writeStringField("url", e.url());
        json.writeArrayFieldStart("eventTypes");
        for (String t : e.eventTypes()) {
            json.writeString(t);
        }
        json.writeEndArray();
        if (e.description() != null) {
            json.writeStringField("description", e.description());
        }
        json.writeStringField("status", e.status());
        json.writeStringField("createdAt", e.createdAt().toString());
        json.writeStringField("updatedAt", e.updatedAt().toString());
    }

    private Endpoint owned(String partnerId, String endpointId) {
        return store.endpoint(partnerId, endpointId).orElseThrow(() -> notFound(endpointId));
    }

    private static InvalidRequestException notFound(String endpointId) {
        return new InvalidRequestException(
                Problem.of(
                        ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, "no webhook endpoint " + endpointId));
    }

    private void checkUrl(String url) {
        try {
            urls.check(url);
        } catch (EndpointUrls.RefusedUrlException e) {
            throw new InvalidRequestException(
                    ErrorCode.WEBHOOK_URL_REFUSED,
                    "url",
                    e.getMessage() + " (URL policy " + urls.policy().name().toLowerCase() + ")");
        }
    }

    private static String endpointId(ApiExchange ex) {
        String id = ex.pathParam("endpointId");
        if (!ENDPOINT_ID.matcher(id).matches()) {
            throw new InvalidRequestException(
                    Problem.of(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, "no webhook endpoint " + id));
        }
        return id;
    }

    private static JsonNode object(ApiExchange ex) {
        JsonNode body = Json.parse(ex.body());
        if (!body.isObject()) {
            throw new InvalidRequestException(
                    Problem.of(ErrorCode.INVALID_BODY, "the body must be a JSON object"));
        }
        return body;
    }

    private static void allowOnly(JsonNode body, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new InvalidRequestException(
                        ErrorCode.UNKNOWN_FIELD, name, "unknown field " + name);
            }
        }
    }

    private static String text(JsonNode body, String name, boolean required) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException(
                        ErrorCode.MISSING_FIELD, name, name + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, name, name + " must be a string");
        }
        return node.asText();
    }

    private static String description(JsonNode body) {
        String d = text(body, "description", false);
        if (d != null && d.length() > 500) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, "description", "description is at most 500 characters");
        }
        return d;
    }

    /** Absent or empty: every type. */
    private static List<String> eventTypes(JsonNode body) {
        JsonNode node = body.get("eventTypes");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, "eventTypes", "eventTypes must be an array");
        }
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            if (!t.isTextual() || !PartnerEvents.TYPES.contains(t.asText())) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_EVENT_TYPE,
                        "eventTypes[" + i + "]",
                        "unknown event type; one of " + String.join(", ", PartnerEvents.TYPES));
            }
            types.add(t.asText());
        }
        return new ArrayList<>(types);
    }

    private static int intParam(ApiExchange ex, String name, int fallback, int min, int max) {
        String value = ex.request().getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(
                ErrorCode.INVALID_QUERY_PARAMETER,
                name,
                name + " must be a whole number from " + min + " to " + max);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Runs blocking work off the event loop, then answers; failures become problems. */
    <T> void run(ApiExchange ex, Supplier<T> work, Consumer<T> answer) {
        if (store == null) {
            ex.problem(
                    Problem.of(
                            ErrorCode.WEBHOOKS_UNAVAILABLE,
                            "this instance has no partner database (LEDGERFLOW_PARTNERS_JDBC_URL"
                                    + " unset), where webhooks and events live"),
                    retryAfter);
            return;
        }
        try {
            workers.execute(
                    () -> {
                        T result;
                        try {
                            result = work.get();
                        } catch (InvalidRequestException e) {
                            ex.problem(e.problem());
                            return;
                        } catch (ReadModelConnections.ReadModelUnavailableException e) {
                            LOG.warn(
                                    "request {}: webhook database: {}",
                                    ex.requestId(),
                                    e.toString());
                            ex.problem(
                                    Problem.of(
                                            ErrorCode.WEBHOOKS_UNAVAILABLE,
                                            "the webhook database did not answer; retry later"),
                                    retryAfter);
                            return;
                        } catch (RuntimeException e) {
                            LOG.error("request {}: webhook route failed", ex.requestId(), e);
                            ex.problem(Problem.of(ErrorCode.INTERNAL_ERROR, "internal error"));
                            return;
                        }
                        answer.accept(result);
                    });
        } catch (RejectedExecutionException e) {
            ex.problem(
                    Problem.of(
                            ErrorCode.WEBHOOKS_UNAVAILABLE,
                            "too many webhook requests queued on this instance; retry later"),
                    retryAfter);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        if (store != null) {
            store.close();
        }
    }
}
