package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.readmodel.ReadModelConnections;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partner events, webhook endpoints, deliveries and attempts in PostgreSQL (migration V13),
 * shared by the notifier and the API. Every method is one short transaction; nothing is held open
 * while an endpoint is called (a delivery is leased instead: its {@code next_attempt_at} moves to
 * the end of the lease, so a notifier that dies mid-attempt leaves it due again when the lease
 * ends).
 */
public final class WebhookStore implements AutoCloseable {

    private final ReadModelConnections db;

    public WebhookStore(String jdbcUrl, String user, String password, int poolSize, String name) {
        this.db =
                new ReadModelConnections(
                        jdbcUrl, user, password, poolSize, Duration.ofSeconds(5), name);
    }

    // ------------------------------------------------------------------ events

    /**
     * Records events not recorded before (by id) and fans each new one out to the partner's enabled
     * endpoints that want its type, in one transaction. An endpoint in {@code full} (its backlog at
     * the bound) gets the delivery parked as FAILED at once, so the event can still be replayed.
     * Returns how many events were new.
     */
    public int record(
            List<PartnerEvent> events, Instant now, Duration retryPeriod, Collection<String> full) {
        if (events.isEmpty()) {
            return 0;
        }
        return db.run(
                c ->
                        inTransaction(
                                c,
                                () -> {
                                    serialize(c);
                                    try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                                        int n = events.size();
                                        String[] ids = new String[n];
                                        String[] partners = new String[n];
                                        String[] orderKeys = new String[n];
                                        String[] types = new String[n];
                                        Timestamp[] occurred = new Timestamp[n];
                                        String[] bodies = new String[n];
                                        for (int i = 0; i < n; i++) {
                                            PartnerEvent e = events.get(i);
                                            ids[i] = e.eventId();
                                            partners[i] = e.partnerId();
                                            orderKeys[i] = e.orderKey();
                                            types[i] = e.type();
                                            occurred[i] = Timestamp.from(e.occurredAt());
                                            bodies[i] = e.body();
                                        }
                                        Array fullIds =
                                                c.createArrayOf(
                                                        "text", full.toArray(String[]::new));
                                        ps.setArray(1, c.createArrayOf("text", ids));
                                        ps.setArray(2, c.createArrayOf("text", partners));
                                        ps.setArray(3, c.createArrayOf("text", orderKeys));
                                        ps.setArray(4, c.createArrayOf("text", types));
                                        ps.setArray(5, c.createArrayOf("timestamptz", occurred));
                                        ps.setArray(6, c.createArrayOf("text", bodies));
                                        ps.setTimestamp(7, Timestamp.from(now));
                                        ps.setArray(8, fullIds);
                                        ps.setTimestamp(9, Timestamp.from(now.plus(retryPeriod)));
                                        try (ResultSet rs = ps.executeQuery()) {
                                            rs.next();
                                            return rs.getInt(1);
                                        }
                                    }
                                }));
    }

    /**
     * One statement for a whole batch: a round trip per batch instead of two per event. The events
     * keep their batch order in {@code seq} (inserted sorted by ordinality) and their deliveries
     * follow {@code seq}, which is the order one account's deliveries are claimed in.
     */
    private static final String RECORD =
            """
            WITH ev AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                     ?::text[])
                    WITH ORDINALITY AS ev(event_id, partner_id, order_key, event_type, occurred_at,
                                          body, ord)),
            params AS (SELECT ?::timestamptz AS now, ?::text[] AS full_endpoints,
                              ?::timestamptz AS give_up_at),
            ins AS (
                INSERT INTO partner_events (event_id, partner_id, order_key, event_type,
                                            occurred_at, recorded_at, body)
                SELECT ev.event_id, ev.partner_id, ev.order_key, ev.event_type, ev.occurred_at,
                       params.now, ev.body
                FROM ev, params ORDER BY ev.ord
                ON CONFLICT (event_id) DO NOTHING
                RETURNING seq, partner_id, order_key, event_type),
            fan AS (
                INSERT INTO webhook_deliveries (endpoint_id, event_seq, partner_id, order_key,
                                                status, created_at, next_attempt_at, give_up_at,
                                                finished_at, last_error, cause)
                SELECT e.endpoint_id, ins.seq, ins.partner_id, ins.order_key,
                       CASE WHEN full_ep THEN 'FAILED' ELSE 'PENDING' END,
                       params.now, params.now, params.give_up_at,
                       CASE WHEN full_ep THEN params.now END,
                       CASE WHEN full_ep
                            THEN 'backlog full: the endpoint has too many pending deliveries' END,
                       'EVENT'
                FROM ins
                JOIN webhook_endpoints e ON e.partner_id = ins.partner_id AND e.status = 'ENABLED'
                     AND (cardinality(e.event_types) = 0 OR ins.event_type = ANY(e.event_types))
                CROSS JOIN params
                CROSS JOIN LATERAL (SELECT e.endpoint_id = ANY(params.full_endpoints) AS full_ep) f
                ORDER BY ins.seq, e.endpoint_id)
            SELECT count(*) FROM ins
            """;

    /** Records a test event and one delivery of it, to that endpoint only. */
    public void recordTest(
            PartnerEvent event, String endpointId, Instant now, Duration retryPeriod) {
        db.run(
                c ->
                        inTransaction(
                                c,
                                () -> {
                                    serialize(c);
                                    long seq;
                                    try (PreparedStatement insert =
                                            c.prepareStatement(
                                                    "INSERT INTO partner_events (event_id,"
                                                            + " partner_id, order_key, event_type,"
                                                            + " occurred_at, recorded_at, body) VALUES"
                                                            + " (?, ?, NULL, ?, ?, ?, ?) RETURNING"
                                                            + " seq")) {
                                        insert.setString(1, event.eventId());
                                        insert.setString(2, event.partnerId());
                                        insert.setString(3, event.type());
                                        insert.setTimestamp(4, Timestamp.from(event.occurredAt()));
                                        insert.setTimestamp(5, Timestamp.from(now));
                                        insert.setString(6, event.body());
                                        try (ResultSet rs = insert.executeQuery()) {
                                            rs.next();
                                            seq = rs.getLong(1);
                                        }
                                    }
                                    insertDelivery(
                                            c, endpointId, seq, null, now, retryPeriod, "TEST");
                                    return null;
                                }));
    }

    /**
     * Every transaction that adds events takes this lock first and holds it to its commit, so seq
     * values become visible in order: a reader that sees seq N will never later see a smaller one
     * appear (what the event stream's resume relies on). Recording transactions are a few ms.
     */
    private static void serialize(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, EVENTS_LOCK);
            ps.executeQuery().close();
        }
    }

    private static final long EVENTS_LOCK = 0x4c46_0015L;

    private static void insertDelivery(
            Connection c,
            String endpointId,
            long seq,
            String orderKey,
            Instant now,
            Duration retryPeriod,
            String cause)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO webhook_deliveries (endpoint_id, event_seq, partner_id,"
                                + " order_key, status, created_at, next_attempt_at, give_up_at,"
                                + " cause) SELECT endpoint_id, ?, partner_id, ?, 'PENDING', ?, ?,"
                                + " ?, ? FROM webhook_endpoints WHERE endpoint_id = ?")) {
            ps.setLong(1, seq);
            ps.setString(2, orderKey);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now.plus(retryPeriod)));
            ps.setString(6, cause);
            ps.setString(7, endpointId);
            ps.executeUpdate();
        }
    }

    /** A recorded event with its stream position. */
    public record StoredEvent(
            long seq, String eventId, String type, Instant recordedAt, String body) {}

    /** The partner's events after {@code afterSeq}, oldest first (test events excluded). */
    public List<StoredEvent> eventsAfter(String partnerId, long afterSeq, int limit) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT seq, event_id, event_type, recorded_at, body FROM"
                                            + " partner_events WHERE partner_id = ? AND seq > ?"
                                            + " AND event_type <> 'webhook.test' ORDER BY seq"
                                            + " LIMIT ?")) {
                        ps.setString(1, partnerId);
                        ps.setLong(2, afterSeq);
                        ps.setInt(3, limit);
                        List<StoredEvent> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new StoredEvent(
                                                rs.getLong(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getTimestamp(4).toInstant(),
                                                rs.getString(5)));
                            }
                        }
                        return out;
                    }
                });
    }

    /** The stream position of one of the partner's events, if it is still kept. */
    public Optional<Long> seqOf(String partnerId, String eventId) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT seq FROM partner_events WHERE event_id = ? AND"
                                            + " partner_id = ?")) {
                        ps.setString(1, eventId);
                        ps.setString(2, partnerId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                        }
                    }
                });
    }

    /** The latest position of all events: a new stream starts after it. */
    public long latestSeq() {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT coalesce(max(seq), 0) FROM partner_events");
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /**
     * Deletes events recorded before {@code before} that no delivery still waits for (their
     * finished deliveries and attempts go with them). Returns how many.
     */
    public int purge(Instant before) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM partner_events p WHERE recorded_at < ? AND NOT"
                                            + " EXISTS (SELECT 1 FROM webhook_deliveries d WHERE"
                                            + " d.event_seq = p.seq AND d.status = 'PENDING')")) {
                        ps.setTimestamp(1, Timestamp.from(before));
                        return ps.executeUpdate();
                    }
                });
    }

    // ------------------------------------------------------------------ endpoints

    /** An endpoint as stored (the secret sealed). */
    public record Endpoint(
            String endpointId,
            String partnerId,
            String url,
            List<String> eventTypes,
            String description,
            byte[] sealedSecret,
            String status,
            Instant createdAt,
            Instant updatedAt) {}

    public void createEndpoint(Endpoint e) {
        db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO webhook_endpoints (endpoint_id, partner_id, url,"
                                            + " event_types, description, secret_ciphertext,"
                                            + " status, created_at, updated_at) VALUES (?, ?, ?,"
                                            + " ?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, e.endpointId());
                        ps.setString(2, e.partnerId());
                        ps.setString(3, e.url());
                        ps.setArray(4, c.createArrayOf("text", e.eventTypes().toArray()));
                        ps.setString(5, e.description());
                        ps.setBytes(6, e.sealedSecret());
                        ps.setString(7, e.status());
                        ps.setTimestamp(8, Timestamp.from(e.createdAt()));
                        ps.setTimestamp(9, Timestamp.from(e.updatedAt()));
                        ps.executeUpdate();
                        return null;
                    }
                });
    }

    private static final String ENDPOINT_COLUMNS =
            "endpoint_id, partner_id, url, event_types, description, secret_ciphertext, status,"
                    + " created_at, updated_at";

    public List<Endpoint> endpoints(String partnerId) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + ENDPOINT_COLUMNS
                                            + " FROM webhook_endpoints WHERE partner_id = ? ORDER"
                                            + " BY created_at, endpoint_id")) {
                        ps.setString(1, partnerId);
                        List<Endpoint> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(endpoint(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /** The endpoint, if it exists and belongs to {@code partnerId}. */
    public Optional<Endpoint> endpoint(String partnerId, String endpointId) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + ENDPOINT_COLUMNS
                                            + " FROM webhook_endpoints WHERE endpoint_id = ? AND"
                                            + " partner_id = ?")) {
                        ps.setString(1, endpointId);
                        ps.setString(2, partnerId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(endpoint(rs)) : Optional.empty();
                        }
                    }
                });
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                List.of((String[]) rs.getArray(4).getArray()),
                rs.getString(5),
                rs.getBytes(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant(),
                rs.getTimestamp(9).toInstant());
    }

    /** Writes the endpoint's changeable fields; false when it is not the partner's. */
    public boolean updateEndpoint(Endpoint e) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE webhook_endpoints SET url = ?, event_types = ?,"
                                            + " description = ?, status = ?, updated_at = ? WHERE"
                                            + " endpoint_id = ? AND partner_id = ?")) {
                        ps.setString(1, e.url());
                        ps.setArray(2, c.createArrayOf("text", e.eventTypes().toArray()));
                        ps.setString(3, e.description());
                        ps.setString(4, e.status());
                        ps.setTimestamp(5, Timestamp.from(e.updatedAt()));
                        ps.setString(6, e.endpointId());
                        ps.setString(7, e.partnerId());
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /**
     * Deletes the endpoint with its deliveries and their log; false when it is not the partner's.
     */
    public boolean deleteEndpoint(String partnerId, String endpointId) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM webhook_endpoints WHERE endpoint_id = ? AND"
                                            + " partner_id = ?")) {
                        ps.setString(1, endpointId);
                        ps.setString(2, partnerId);
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    // ------------------------------------------------------------------ backlog

    /** One endpoint's deliveries waiting, and the oldest of them. */
    public record Backlog(
            String endpointId, String partnerId, long pending, Instant oldestPendingSince) {}

    /** Every endpoint with deliveries pending. */
    public List<Backlog> backlogs() {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT endpoint_id, min(partner_id), count(*),"
                                                    + " min(created_at) FROM webhook_deliveries"
                                                    + " WHERE status = 'PENDING' GROUP BY"
                                                    + " endpoint_id");
                            ResultSet rs = ps.executeQuery()) {
                        List<Backlog> out = new ArrayList<>();
                        while (rs.next()) {
                            out.add(
                                    new Backlog(
                                            rs.getString(1),
                                            rs.getString(2),
                                            rs.getLong(3),
                                            rs.getTimestamp(4).toInstant()));
                        }
                        return out;
                    }
                });
    }

    /** Pending and parked (FAILED) deliveries of one endpoint. */
    public record EndpointCounts(long pending, long failed, Instant oldestPendingSince) {}

    public EndpointCounts counts(String endpointId) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT count(*) FILTER (WHERE status = 'PENDING'), count(*)"
                                            + " FILTER (WHERE status = 'FAILED'), min(created_at)"
                                            + " FILTER (WHERE status = 'PENDING') FROM"
                                            + " webhook_deliveries WHERE endpoint_id = ?")) {
                        ps.setString(1, endpointId);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            Timestamp oldest = rs.getTimestamp(3);
                            return new EndpointCounts(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    oldest == null ? null : oldest.toInstant());
                        }
                    }
                });
    }

    // ------------------------------------------------------------------ deliveries

    /** A delivery leased for one attempt. */
    public record Claimed(
            long deliveryId,
            String endpointId,
            String partnerId,
            String orderKey,
            String url,
            byte[] sealedSecret,
            String eventId,
            String body,
            Instant occurredAt,
            int attempt,
            Instant giveUpAt) {}

    /**
     * Leases due deliveries of every enabled endpoint until {@code leaseUntil}, in one statement,
     * as runs: a run is the oldest pending deliveries of one account (order key) on one endpoint,
     * at most {@code runLength}, taken only when the account's oldest pending delivery is due and
     * not leased, so one account's events reach the endpoint in the order they were recorded, one
     * run at a time (a delivery without an order key is a run of its own). Per endpoint at most
     * {@code perEndpoint} runs minus what {@code inFlight} says it already has; at most {@code max}
     * runs in all, chosen at random among the endpoints' so that none waits behind the others. Runs
     * another notifier holds are skipped, never waited for. Returned in delivery id order.
     */
    public List<Claimed> claimDue(
            Map<String, Integer> inFlight,
            int perEndpoint,
            int runLength,
            int max,
            Instant now,
            Instant leaseUntil) {
        return db.run(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                        ps.setArray(
                                1,
                                c.createArrayOf("text", inFlight.keySet().toArray(String[]::new)));
                        ps.setArray(
                                2,
                                c.createArrayOf("int4", inFlight.values().toArray(Integer[]::new)));
                        ps.setInt(3, perEndpoint);
                        ps.setTimestamp(4, Timestamp.from(now));
                        ps.setInt(5, runLength);
                        ps.setInt(6, max);
                        ps.setTimestamp(7, Timestamp.from(leaseUntil));
                        List<Claimed> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new Claimed(
                                                rs.getLong(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5),
                                                rs.getBytes(6),
                                                rs.getString(7),
                                                rs.getString(8),
                                                rs.getTimestamp(9).toInstant(),
                                                rs.getInt(10),
                                                rs.getTimestamp(11).toInstant()));
                            }
                        }
                        out.sort(java.util.Comparator.comparingLong(Claimed::deliveryId));
                        return out;
                    }
                });
    }

    /**
     * The claim of a dispatch round. Its cost follows the accounts with pending deliveries, not the
     * deliveries: {@code heads} is a skip scan over {@code webhook_deliveries_ordered} (one index
     * probe per account), and a run is one range of the same index. Only the head is locked ({@code
     * SKIP LOCKED}): every claimer must lock an account's head before it takes the run behind it,
     * so two notifiers never hold parts of one account's queue.
     */
    private static final String CLAIM =
            """
            WITH RECURSIVE
            busy AS (
                SELECT * FROM unnest(?::text[], ?::int4[]) AS b(endpoint_id, in_flight)),
            params AS (SELECT ?::int4 AS per_endpoint, ?::timestamptz AS now,
                              ?::int4 AS run_length),
            endpoints AS (
                SELECT e.endpoint_id, params.per_endpoint - coalesce(b.in_flight, 0) AS free
                FROM webhook_endpoints e
                CROSS JOIN params
                LEFT JOIN busy b ON b.endpoint_id = e.endpoint_id
                WHERE e.status = 'ENABLED'
                  AND coalesce(b.in_flight, 0) < params.per_endpoint),
            heads (endpoint_id, order_key, delivery_id) AS (
                SELECT e.endpoint_id, f.order_key, f.delivery_id
                FROM endpoints e
                CROSS JOIN LATERAL (
                    SELECT d.order_key, d.delivery_id FROM webhook_deliveries d
                    WHERE d.endpoint_id = e.endpoint_id AND d.status = 'PENDING'
                      AND d.order_key IS NOT NULL
                    ORDER BY d.order_key, d.delivery_id LIMIT 1) f
                UNION ALL
                SELECT h.endpoint_id, n.order_key, n.delivery_id
                FROM heads h
                CROSS JOIN LATERAL (
                    SELECT d.order_key, d.delivery_id FROM webhook_deliveries d
                    WHERE d.endpoint_id = h.endpoint_id AND d.status = 'PENDING'
                      AND d.order_key > h.order_key
                    ORDER BY d.order_key, d.delivery_id LIMIT 1) n),
            candidates AS (
                SELECT h.endpoint_id, h.order_key, h.delivery_id FROM heads h
                UNION ALL
                SELECT e.endpoint_id, NULL, u.delivery_id
                FROM endpoints e
                CROSS JOIN LATERAL (
                    SELECT d.delivery_id FROM webhook_deliveries d, params
                    WHERE d.endpoint_id = e.endpoint_id AND d.status = 'PENDING'
                      AND d.order_key IS NULL AND d.next_attempt_at <= params.now
                    ORDER BY d.delivery_id LIMIT e.free) u),
            chosen AS (
                SELECT ranked.delivery_id FROM (
                    SELECT c.delivery_id, e.free,
                           row_number() OVER (PARTITION BY c.endpoint_id
                                              ORDER BY c.delivery_id) AS rn
                    FROM candidates c
                    JOIN webhook_deliveries d ON d.delivery_id = c.delivery_id
                    JOIN endpoints e ON e.endpoint_id = c.endpoint_id
                    CROSS JOIN params
                    WHERE d.status = 'PENDING' AND d.next_attempt_at <= params.now) ranked
                WHERE ranked.rn <= ranked.free
                ORDER BY random()
                LIMIT ?),
            locked AS (
                SELECT d.delivery_id, d.endpoint_id, d.order_key
                FROM webhook_deliveries d
                JOIN chosen c ON c.delivery_id = d.delivery_id
                CROSS JOIN params
                WHERE d.status = 'PENDING' AND d.next_attempt_at <= params.now
                FOR UPDATE OF d SKIP LOCKED),
            runs AS (
                SELECT l.delivery_id FROM locked l WHERE l.order_key IS NULL
                UNION ALL
                SELECT r.delivery_id
                FROM locked l
                CROSS JOIN params
                CROSS JOIN LATERAL (
                    SELECT d.delivery_id FROM webhook_deliveries d
                    WHERE d.endpoint_id = l.endpoint_id AND d.order_key = l.order_key
                      AND d.status = 'PENDING' AND d.delivery_id >= l.delivery_id
                    ORDER BY d.delivery_id LIMIT params.run_length) r
                WHERE l.order_key IS NOT NULL)
            UPDATE webhook_deliveries w SET next_attempt_at = ?, attempts = w.attempts + 1
            FROM runs, partner_events p, webhook_endpoints e
            WHERE w.delivery_id = runs.delivery_id AND p.seq = w.event_seq
              AND e.endpoint_id = w.endpoint_id
            RETURNING w.delivery_id, w.endpoint_id, w.partner_id, w.order_key, e.url,
                      e.secret_ciphertext, p.event_id, p.body, p.occurred_at, w.attempts,
                      w.give_up_at
            """;

    /**
     * What one attempt gave: a status code (null when no answer) and an error (null on success).
     */
    public record Attempt(Instant at, Integer statusCode, int latencyMillis, String error) {
        public boolean delivered() {
            return error == null;
        }
    }

    /**
     * An attempt's outcome to record, with the next attempt's time (null when it is over); or, with
     * no attempt, a delivery of a run that was not tried (an earlier one of its account failed, or
     * the run ran out of time): its lease and attempt count are given back, due at {@code
     * nextAttemptAt}.
     */
    public record Finished(long deliveryId, Attempt attempt, Instant nextAttemptAt) {
        public static Finished released(long deliveryId, Instant dueAt) {
            return new Finished(deliveryId, null, dueAt);
        }

        String status() {
            if (attempt == null) {
                return "RELEASED";
            }
            return attempt.delivered() ? "DELIVERED" : nextAttemptAt == null ? "FAILED" : "PENDING";
        }
    }

    /**
     * Logs attempts and moves their deliveries on, in one statement: DELIVERED, due again at the
     * next attempt's time, or parked as FAILED with the last error. A delivery no longer pending
     * (replayed meanwhile, or its endpoint deleted) only gets its attempt logged.
     */
    public void finishAll(List<Finished> finished) {
        if (finished.isEmpty()) {
            return;
        }
        db.run(
                c -> {
                    int n = finished.size();
                    Long[] ids = new Long[n];
                    Timestamp[] at = new Timestamp[n];
                    Integer[] codes = new Integer[n];
                    Integer[] latencies = new Integer[n];
                    String[] errors = new String[n];
                    String[] statuses = new String[n];
                    Timestamp[] next = new Timestamp[n];
                    for (int i = 0; i < n; i++) {
                        Finished f = finished.get(i);
                        Attempt a = f.attempt();
                        ids[i] = f.deliveryId();
                        at[i] = a == null ? null : Timestamp.from(a.at());
                        codes[i] = a == null ? null : a.statusCode();
                        latencies[i] = a == null ? null : a.latencyMillis();
                        errors[i] = a == null ? null : a.error();
                        statuses[i] = f.status();
                        next[i] =
                                f.nextAttemptAt() == null
                                        ? null
                                        : Timestamp.from(f.nextAttemptAt());
                    }
                    try (PreparedStatement ps = c.prepareStatement(FINISH)) {
                        ps.setArray(1, c.createArrayOf("int8", ids));
                        ps.setArray(2, c.createArrayOf("timestamptz", at));
                        ps.setArray(3, c.createArrayOf("int4", codes));
                        ps.setArray(4, c.createArrayOf("int4", latencies));
                        ps.setArray(5, c.createArrayOf("text", errors));
                        ps.setArray(6, c.createArrayOf("text", statuses));
                        ps.setArray(7, c.createArrayOf("timestamptz", next));
                        ps.executeUpdate();
                    }
                    return null;
                });
    }

    private static final String FINISH =
            """
            WITH f AS (
                SELECT * FROM unnest(?::int8[], ?::timestamptz[], ?::int4[], ?::int4[], ?::text[],
                                     ?::text[], ?::timestamptz[])
                    AS f(delivery_id, attempted_at, status_code, latency_ms, error, status,
                         next_attempt_at)),
            logged AS (
                INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms,
                                              error)
                SELECT delivery_id, attempted_at, status_code, latency_ms, error FROM f
                WHERE f.status <> 'RELEASED'
                ORDER BY delivery_id, attempted_at)
            UPDATE webhook_deliveries d
            SET status = CASE WHEN f.status = 'RELEASED' THEN 'PENDING' ELSE f.status END,
                attempts = CASE WHEN f.status = 'RELEASED' THEN d.attempts - 1
                                ELSE d.attempts END,
                next_attempt_at = coalesce(f.next_attempt_at, d.next_attempt_at),
                finished_at = CASE WHEN f.status IN ('PENDING', 'RELEASED') THEN NULL
                                   ELSE f.attempted_at END,
                last_status_code = CASE WHEN f.status = 'RELEASED' THEN d.last_status_code
                                        ELSE f.status_code END,
                last_error = CASE WHEN f.status = 'RELEASED' THEN d.last_error ELSE f.error END
            FROM f
            WHERE d.delivery_id = f.delivery_id AND d.status = 'PENDING'
            """;

    /** One row of the delivery log: an attempt, with its delivery and event. */
    public record LogEntry(
            long attemptId,
            long deliveryId,
            String eventId,
            String eventType,
            String cause,
            String deliveryStatus,
            Instant attemptedAt,
            Integer statusCode,
            int latencyMillis,
            String error) {}

    /**
     * The endpoint's attempts, newest first, before {@code beforeAttemptId} (0: from the newest).
     */
    public List<LogEntry> log(String endpointId, String eventId, long beforeAttemptId, int limit) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT a.attempt_id, d.delivery_id, p.event_id,"
                                            + " p.event_type, d.cause, d.status, a.attempted_at,"
                                            + " a.status_code, a.latency_ms, a.error FROM"
                                            + " webhook_attempts a JOIN webhook_deliveries d ON"
                                            + " d.delivery_id = a.delivery_id JOIN partner_events"
                                            + " p ON p.seq = d.event_seq WHERE d.endpoint_id = ?"
                                            + " AND (? = 0 OR a.attempt_id < ?) AND (?::text IS"
                                            + " NULL OR p.event_id = ?) ORDER BY a.attempt_id"
                                            + " DESC LIMIT ?")) {
                        ps.setString(1, endpointId);
                        ps.setLong(2, beforeAttemptId);
                        ps.setLong(3, beforeAttemptId);
                        ps.setString(4, eventId);
                        ps.setString(5, eventId);
                        ps.setInt(6, limit);
                        List<LogEntry> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                int code = rs.getInt(8);
                                Integer statusCode = rs.wasNull() ? null : code;
                                out.add(
                                        new LogEntry(
                                                rs.getLong(1),
                                                rs.getLong(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5),
                                                rs.getString(6),
                                                rs.getTimestamp(7).toInstant(),
                                                statusCode,
                                                rs.getInt(9),
                                                rs.getString(10)));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * New deliveries (cause REPLAY) to one endpoint: of the event {@code eventId}, or of every
     * event of the partner the endpoint wants recorded at or after {@code since}, at most {@code
     * max}. Returns how many.
     */
    public int replay(
            String partnerId,
            String endpointId,
            String eventId,
            Instant since,
            int max,
            Instant now,
            Duration retryPeriod) {
        return db.run(
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO webhook_deliveries (endpoint_id, event_seq,"
                                            + " partner_id, order_key, status, created_at,"
                                            + " next_attempt_at, give_up_at, cause) SELECT"
                                            + " e.endpoint_id, p.seq, p.partner_id, p.order_key,"
                                            + " 'PENDING', ?, ?, ?, 'REPLAY' FROM partner_events p"
                                            + " JOIN webhook_endpoints e ON e.partner_id ="
                                            + " p.partner_id WHERE e.endpoint_id = ? AND"
                                            + " p.partner_id = ? AND p.event_type <> 'webhook.test'"
                                            + " AND ((?::text IS NOT NULL AND p.event_id = ?) OR"
                                            + " (?::timestamptz IS NOT NULL AND p.recorded_at >= ?"
                                            + " AND (cardinality(e.event_types) = 0 OR p.event_type ="
                                            + " ANY(e.event_types)))) ORDER BY p.seq LIMIT ?")) {
                        ps.setTimestamp(1, Timestamp.from(now));
                        ps.setTimestamp(2, Timestamp.from(now));
                        ps.setTimestamp(3, Timestamp.from(now.plus(retryPeriod)));
                        ps.setString(4, endpointId);
                        ps.setString(5, partnerId);
                        ps.setString(6, eventId);
                        ps.setString(7, eventId);
                        Timestamp from = since == null ? null : Timestamp.from(since);
                        ps.setTimestamp(8, from);
                        ps.setTimestamp(9, from);
                        ps.setInt(10, max);
                        return ps.executeUpdate();
                    }
                });
    }

    // ------------------------------------------------------------------ plumbing

    private interface TransactionWork<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection c, TransactionWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
