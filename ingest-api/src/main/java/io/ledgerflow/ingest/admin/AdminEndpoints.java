package io.ledgerflow.ingest.admin;

import static io.ledgerflow.ingest.validation.Fields.optionalString;
import static io.ledgerflow.ingest.validation.Fields.printable;
import static io.ledgerflow.ingest.validation.Fields.rejectUnknown;
import static io.ledgerflow.ingest.validation.Fields.requireObject;
import static io.ledgerflow.ingest.validation.Fields.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.ingest.auth.Scope;
import io.ledgerflow.ingest.auth.StoredLimits;
import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.settlement.FeeScheduleRequest;
import io.ledgerflow.ingest.settlement.SettlementJson;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The admin routes ({@code /api/v1/admin/partners...}, {@code /api/v1/admin/audit}): partners
 * created, read, listed, updated, suspended and resumed; keys issued, listed, rotated and revoked;
 * the audit trail read. Requests are validated on the event loop (every refusal is a 4xx problem
 * that changes nothing); the PostgreSQL work runs on two admin threads of its own, so a slow
 * database never stalls movements, with a short queue (503 beyond it).
 *
 * <p>Without a partner database (a static keys file) the routes exist but answer 503
 * PARTNER_DIRECTORY_UNAVAILABLE: partners are then managed by editing the file.
 */
public final class AdminEndpoints implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(AdminEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Page size of lists when none is asked for, and the most a page may hold. */
    public static final int DEFAULT_PAGE = 50;

    public static final int MAX_PAGE = 200;

    /** A rotated key's overlap when none is asked for, and the bounds of what may be asked. */
    public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);

    public static final Duration MAX_OVERLAP = Duration.ofDays(7);

    /** The furthest expiry a key may be given. */
    public static final Duration MAX_KEY_LIFETIME = Duration.ofDays(5 * 366);

    private static final Set<String> LIMIT_FIELDS =
            Set.of("requestsPerSecond", "requestBurst", "movementsPerSecond", "movementBurst");
    private static final Set<String> CREATE_FIELDS =
            ordered("partnerId", "displayName", "limits", "contactName", "contactEmail");
    private static final Set<String> UPDATE_FIELDS =
            ordered("version", "displayName", "limits", "contactName", "contactEmail");
    private static final Set<String> ISSUE_FIELDS = ordered("scope", "expiresAt");
    private static final Set<String> ROTATE_FIELDS = ordered("overlapSeconds", "expiresAt");

    private final PartnerStore store;
    private final Clock clock;
    private final ThreadPoolExecutor executor;

    /** {@code store} null: no partner database, every admin partner route answers 503. */
    public AdminEndpoints(PartnerStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.executor =
                new ThreadPoolExecutor(
                        2,
                        2,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(64),
                        r -> {
                            Thread t = new Thread(r, "admin-store");
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    // ---------------------------------------------------------------- partners

    public void createPartner(ApiExchange ex) {
        JsonNode body = requireObject(Json.parse(ex.body()), "the body");
        rejectUnknown(body, CREATE_FIELDS);
        String partnerId = requiredString(body, "partnerId");
        if (!PARTNER_ID.matcher(partnerId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        String displayName = displayName(requiredString(body, "displayName"));
        Integer[] limits = new Integer[4];
        if (body.has("limits")) {
            applyLimits(body.get("limits"), limits);
        }
        PartnerRecord wanted =
                new PartnerRecord(
                        partnerId,
                        displayName,
                        PartnerRecord.ACTIVE,
                        limits[0],
                        limits[1],
                        limits[2],
                        limits[3],
                        contactName(body),
                        contactEmail(body),
                        null,
                        null,
                        0);
        run(
                ex,
                () -> store.createPartner(actor(ex), wanted),
                created ->
                        ex.json(
                                201,
                                bytes(created.toJson()),
                                Map.of(
                                        "Location",
                                        "/api/v1/admin/partners/" + created.partnerId(),
                                        "ETag",
                                        "\"" + created.version() + "\"")));
    }

    public void getPartner(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        run(
                ex,
                () ->
                        store.partner(partnerId)
                                .orElseThrow(
                                        () ->
                                                new InvalidRequestException(
                                                        Problem.of(
                                                                ErrorCode.PARTNER_NOT_FOUND,
                                                                "no partner " + partnerId))),
                found ->
                        ex.json(
                                200,
                                bytes(found.toJson()),
                                Map.of("ETag", "\"" + found.version() + "\"")));
    }

    public void listPartners(ApiExchange ex) {
        MultiMap query = query(ex, "limit", "cursor");
        int limit = pageSize(query);
        String cursor = query.get("cursor");
        String after = cursor == null ? null : Cursors.parsePartner(cursor);
        run(
                ex,
                () -> store.partners(after, limit),
                page -> {
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    ArrayNode items = json.putArray("items");
                    page.items().forEach(p -> items.add(p.toJson()));
                    json.put("nextCursor", page.nextCursor());
                    ex.json(200, bytes(json));
                });
    }

    /**
     * Changes display name, limits and contact fields. The body names the {@code version} it was
     * based on (as read from the partner or its ETag); a member absent is left as it is, a limit
     * set to null goes back to the configured default.
     */
    public void updatePartner(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        JsonNode body = requireObject(Json.parse(ex.body()), "the body");
        if (body.has("status")) {
            throw new InvalidRequestException(
                    ErrorCode.FIELD_NOT_ALLOWED,
                    "status",
                    "status changes through POST .../suspend and .../resume");
        }
        rejectUnknown(body, UPDATE_FIELDS);
        long version = expectedVersion(body, ex.request().getHeader("If-Match"));
        String displayName =
                body.has("displayName") ? displayName(requiredString(body, "displayName")) : null;
        Integer[] limits = new Integer[4];
        boolean[] given = new boolean[4];
        if (body.has("limits")) {
            JsonNode limitsNode = body.get("limits");
            applyLimits(limitsNode, limits);
            int i = 0;
            for (String name : LIMIT_ORDER) {
                given[i++] = limitsNode.has(name);
            }
        }
        boolean nameGiven = body.has("contactName");
        boolean emailGiven = body.has("contactEmail");
        String contactName = contactName(body);
        String contactEmail = contactEmail(body);
        run(
                ex,
                () ->
                        store.updatePartner(
                                actor(ex),
                                partnerId,
                                version,
                                p ->
                                        new PartnerRecord(
                                                p.partnerId(),
                                                displayName == null ? p.displayName() : displayName,
                                                p.status(),
                                                given[0] ? limits[0] : p.requestsPerSecond(),
                                                given[1] ? limits[1] : p.requestBurst(),
                                                given[2] ? limits[2] : p.movementsPerSecond(),
                                                given[3] ? limits[3] : p.movementBurst(),
                                                nameGiven ? contactName : p.contactName(),
                                                emailGiven ? contactEmail : p.contactEmail(),
                                                p.createdAt(),
                                                p.updatedAt(),
                                                p.version())),
                updated ->
                        ex.json(
                                200,
                                bytes(updated.toJson()),
                                Map.of("ETag", "\"" + updated.version() + "\"")));
    }

    /**
     * The version an update is based on: the body's {@code version}, or else the {@code If-Match}
     * header with the partner's ETag ({@code "3"}); both given must agree.
     */
    private static long expectedVersion(JsonNode body, String ifMatch) {
        Long fromHeader = null;
        if (ifMatch != null) {
            String tag = ifMatch.strip();
            if (!tag.matches("\"[0-9]{1,18}\"")) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_BODY,
                        "If-Match",
                        "If-Match must be the partner's ETag, e.g. \"3\"");
            }
            fromHeader = Long.parseLong(tag.substring(1, tag.length() - 1));
        }
        JsonNode versionNode = body.get("version");
        if (versionNode == null || versionNode.isNull()) {
            if (fromHeader != null) {
                return fromHeader;
            }
            throw new InvalidRequestException(
                    ErrorCode.MISSING_FIELD,
                    "version",
                    "version (or an If-Match header) is required: the partner's version the"
                            + " change is based on");
        }
        if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, "version", "version must be an integer");
        }
        long version = versionNode.longValue();
        if (fromHeader != null && fromHeader != version) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "version",
                    "version and If-Match name different versions");
        }
        return version;
    }

    public void suspend(ApiExchange ex) {
        setStatus(ex, true);
    }

    public void resume(ApiExchange ex) {
        setStatus(ex, false);
    }

    private void setStatus(ApiExchange ex, boolean suspend) {
        String partnerId = partnerIdParam(ex);
        run(
                ex,
                () -> store.setStatus(actor(ex), partnerId, suspend),
                p -> ex.json(200, bytes(p.toJson())));
    }

    // ---------------------------------------------------------------- keys

    public void issueKey(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        JsonNode body = requireObject(Json.parse(ex.body()), "the body");
        rejectUnknown(body, ISSUE_FIELDS);
        String scopeText = requiredString(body, "scope");
        Scope scope =
                switch (scopeText) {
                    case "read" -> Scope.READ;
                    case "write" -> Scope.WRITE;
                    case "admin" -> Scope.ADMIN;
                    default ->
                            throw new InvalidRequestException(
                                    ErrorCode.INVALID_BODY,
                                    "scope",
                                    "scope must be read, write or admin");
                };
        Instant expiresAt = expiresAt(body);
        run(
                ex,
                () -> store.issueKey(actor(ex), partnerId, scope, expiresAt),
                issued -> ex.json(201, bytes(issuedJson(issued))));
    }

    public void listKeys(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        run(
                ex,
                () -> store.keys(partnerId),
                keys -> {
                    Instant now = clock.instant();
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    ArrayNode items = json.putArray("items");
                    keys.forEach(k -> items.add(k.toJson(now)));
                    ex.json(200, bytes(json));
                });
    }

    /**
     * Issues a successor of a key; the old key keeps working for {@code overlapSeconds} (default 24
     * h, at most 7 days), then stops.
     */
    public void rotateKey(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        String keyId = keyIdParam(ex);
        JsonNode body = requireObject(Json.parse(ex.body()), "the body");
        rejectUnknown(body, ROTATE_FIELDS);
        Duration overlap = DEFAULT_OVERLAP;
        JsonNode seconds = body.get("overlapSeconds");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_FIELD_TYPE,
                        "overlapSeconds",
                        "overlapSeconds must be an integer");
            }
            long value = seconds.longValue();
            if (value < 0 || value > MAX_OVERLAP.toSeconds()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_BODY,
                        "overlapSeconds",
                        "overlapSeconds must be 0 to " + MAX_OVERLAP.toSeconds());
            }
            overlap = Duration.ofSeconds(value);
        }
        Instant expiresAt = expiresAt(body);
        Duration chosen = overlap;
        run(
                ex,
                () -> store.rotateKey(actor(ex), partnerId, keyId, chosen, expiresAt),
                issued -> ex.json(201, bytes(issuedJson(issued))));
    }

    public void revokeKey(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        String keyId = keyIdParam(ex);
        run(
                ex,
                () -> store.revokeKey(actor(ex), partnerId, keyId),
                key -> ex.json(200, bytes(key.toJson(clock.instant()))));
    }

    // ---------------------------------------------------------------- fees and settlement

    /** {@code POST /api/v1/admin/partners/{partnerId}/fee-schedules}: the next version. */
    public void addFeeSchedule(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        FeeScheduleRequest.Schedule wanted = FeeScheduleRequest.schedule(Json.parse(ex.body()));
        run(
                ex,
                () ->
                        store.addFeeSchedule(
                                actor(ex), partnerId, wanted.effectiveFrom(), wanted.rules()),
                added ->
                        ex.json(
                                201,
                                bytes(SettlementJson.feeSchedule(added)),
                                Map.of(
                                        "Location",
                                        "/api/v1/admin/partners/" + partnerId + "/fee-schedules")));
    }

    /**
     * {@code GET /api/v1/admin/partners/{partnerId}/fee-schedules}: every version, oldest first.
     */
    public void listFeeSchedules(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        query(ex);
        run(
                ex,
                () -> store.feeSchedules(partnerId),
                versions -> {
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    ArrayNode items = json.putArray("items");
                    versions.forEach(v -> items.add(SettlementJson.feeSchedule(v)));
                    ex.json(200, bytes(json));
                });
    }

    /** {@code PUT /api/v1/admin/partners/{partnerId}/settlement-settings}. */
    public void setSettlementSettings(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        SettlementCalendar wanted = FeeScheduleRequest.settings(Json.parse(ex.body()));
        run(
                ex,
                () -> store.setSettlementCalendar(actor(ex), partnerId, wanted),
                set -> ex.json(200, bytes(SettlementJson.calendar(set))));
    }

    /** {@code GET /api/v1/admin/partners/{partnerId}/settlement-settings}. */
    public void getSettlementSettings(ApiExchange ex) {
        String partnerId = partnerIdParam(ex);
        query(ex);
        run(
                ex,
                () -> store.settlementCalendar(partnerId),
                set -> ex.json(200, bytes(SettlementJson.calendar(set))));
    }

    // ---------------------------------------------------------------- audit

    public void audit(ApiExchange ex) {
        MultiMap query = query(ex, "partnerId", "limit", "cursor");
        int limit = pageSize(query);
        String partnerId = query.get("partnerId");
        if (partnerId != null && !PARTNER_ID.matcher(partnerId).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_QUERY_PARAMETER,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        String cursor = query.get("cursor");
        Long before = cursor == null ? null : Cursors.parseAudit(cursor);
        run(
                ex,
                () -> store.audit(partnerId, before, limit),
                page -> {
                    ObjectNode json = JsonNodeFactory.instance.objectNode();
                    ArrayNode items = json.putArray("items");
                    page.items().forEach(e -> items.add(e.toJson()));
                    json.put("nextCursor", page.nextCursor());
                    ex.json(200, bytes(json));
                });
    }

    // ---------------------------------------------------------------- plumbing

    /** Runs {@code work} on an admin thread and answers with {@code answer}, or a problem. */
    private <T> void run(ApiExchange ex, Supplier<T> work, java.util.function.Consumer<T> answer) {
        if (store == null) {
            ex.problem(
                    Problem.of(
                            ErrorCode.PARTNER_DIRECTORY_UNAVAILABLE,
                            "this instance has no partner database"
                                    + " (LEDGERFLOW_PARTNERS_JDBC_URL unset): partners come from"
                                    + " its keys file"));
            return;
        }
        try {
            executor.execute(
                    () -> {
                        try {
                            answer.accept(work.get());
                        } catch (InvalidRequestException e) {
                            ex.problem(e.problem());
                        } catch (PartnerStore.StoreUnavailableException e) {
                            LOG.warn("admin request {} failed: {}", ex.requestId(), e.toString());
                            ex.problem(
                                    Problem.of(
                                            ErrorCode.PARTNER_DIRECTORY_UNAVAILABLE,
                                            "the partner database did not answer; nothing was"
                                                    + " changed unless a later read shows it"),
                                    Map.of("Retry-After", "2"));
                        } catch (RuntimeException e) {
                            LOG.error("admin request {} failed", ex.requestId(), e);
                            ex.problem(Problem.of(ErrorCode.INTERNAL_ERROR, "internal error"));
                        }
                    });
        } catch (RejectedExecutionException e) {
            ex.problem(
                    Problem.of(
                            ErrorCode.PARTNER_DIRECTORY_UNAVAILABLE,
                            "too many admin requests in flight"),
                    Map.of("Retry-After", "2"));
        }
    }

    private static Actor actor(ApiExchange ex) {
        return new Actor(ex.partner().keyId(), ex.partner().partnerId(), ex.requestId());
    }

    private static final List<String> LIMIT_ORDER =
            List.of("requestsPerSecond", "requestBurst", "movementsPerSecond", "movementBurst");

    /** Reads the limits object into {@code into} (order of {@link #LIMIT_ORDER}). */
    private static void applyLimits(JsonNode limits, Integer[] into) {
        if (limits == null || !limits.isObject()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_FIELD_TYPE, "limits", "limits must be a JSON object");
        }
        Iterator<String> names = limits.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!LIMIT_FIELDS.contains(name)) {
                throw new InvalidRequestException(
                        ErrorCode.UNKNOWN_FIELD,
                        "limits." + printable(name),
                        "unknown limit; allowed: " + String.join(", ", LIMIT_ORDER));
            }
        }
        for (int i = 0; i < LIMIT_ORDER.size(); i++) {
            String name = LIMIT_ORDER.get(i);
            JsonNode value = limits.get(name);
            if (value == null || value.isNull()) {
                into[i] = null;
                continue;
            }
            String field = "limits." + name;
            if (!value.isIntegralNumber()) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_FIELD_TYPE, field, field + " must be an integer or null");
            }
            long max =
                    name.endsWith("Burst") ? StoredLimits.MAX_BURST : StoredLimits.MAX_PER_SECOND;
            if (!value.canConvertToLong() || value.longValue() < 1 || value.longValue() > max) {
                throw new InvalidRequestException(
                        ErrorCode.LIMIT_OUT_OF_RANGE, field, field + " must be 1 to " + max);
            }
            into[i] = (int) value.longValue();
        }
    }

    private static String displayName(String value) {
        if (value.isBlank() || value.length() > 200) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "displayName",
                    "displayName must be 1 to 200 characters");
        }
        return value;
    }

    private static String contactName(JsonNode body) {
        String value = optionalString(body, "contactName");
        if (value != null && value.length() > 200) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY, "contactName", "contactName is at most 200 characters");
        }
        return value;
    }

    private static String contactEmail(JsonNode body) {
        String value = optionalString(body, "contactEmail");
        if (value != null
                && (value.length() > 254 || !value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_BODY,
                    "contactEmail",
                    "contactEmail must be an e-mail address");
        }
        return value;
    }

    private Instant expiresAt(JsonNode body) {
        String value = optionalString(body, "expiresAt");
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    "expiresAt",
                    "expiresAt must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
        }
        Instant now = clock.instant();
        if (!at.isAfter(now)) {
            throw new InvalidRequestException(
                    ErrorCode.TIMESTAMP_TOO_OLD, "expiresAt", "expiresAt must be in the future");
        }
        if (at.isAfter(now.plus(MAX_KEY_LIFETIME))) {
            throw new InvalidRequestException(
                    ErrorCode.TIMESTAMP_IN_FUTURE, "expiresAt", "expiresAt must be within 5 years");
        }
        return at;
    }

    private static String partnerIdParam(ApiExchange ex) {
        String id = ex.pathParam("partnerId");
        if (!PARTNER_ID.matcher(id).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "partnerId",
                    "partnerId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return id;
    }

    private static String keyIdParam(ApiExchange ex) {
        String id = ex.pathParam("keyId");
        if (!KEY_ID.matcher(id).matches()) {
            throw new InvalidRequestException(
                    ErrorCode.INVALID_ID,
                    "keyId",
                    "keyId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return id;
    }

    /** The query parameters; any other than {@code allowed}, or one given twice, is refused. */
    private static MultiMap query(ApiExchange ex, String... allowed) {
        MultiMap params = ex.request().params();
        Set<String> known = Set.of(allowed);
        for (String name : params.names()) {
            if (!known.contains(name)) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_QUERY_PARAMETER,
                        printable(name),
                        "unknown query parameter; allowed: " + String.join(", ", allowed));
            }
            if (params.getAll(name).size() > 1) {
                throw new InvalidRequestException(
                        ErrorCode.INVALID_QUERY_PARAMETER, name, name + " is given twice");
            }
        }
        return params;
    }

    private static int pageSize(MultiMap query) {
        String text = query.get("limit");
        if (text == null) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(
                ErrorCode.INVALID_QUERY_PARAMETER, "limit", "limit must be 1 to " + MAX_PAGE);
    }

    private ObjectNode issuedJson(PartnerStore.IssuedKey issued) {
        ObjectNode json = issued.record().toJson(clock.instant());
        // The only time the key is ever shown: it is not stored, only its hash.
        json.put("key", issued.key());
        return json;
    }

    private static Set<String> ordered(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
