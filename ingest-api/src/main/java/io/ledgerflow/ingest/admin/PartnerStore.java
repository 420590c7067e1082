package io.ledgerflow.ingest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.ingest.auth.NewApiKey;
import io.ledgerflow.ingest.auth.PartnerDatabase;
import io.ledgerflow.ingest.auth.Scope;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.ingest.http.Problem;
import io.ledgerflow.ingest.settlement.SettlementJson;
import io.ledgerflow.readmodel.settlement.FeeRule;
import io.ledgerflow.readmodel.settlement.FeeSchedule;
import io.ledgerflow.readmodel.settlement.PostgresSettlements;
import io.ledgerflow.readmodel.settlement.SettlementCalendar;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Partners, API keys and the admin audit trail in PostgreSQL (migration V7). Every change runs in
 * one transaction that (1) bumps {@code partner_directory_version}, which serialises admin writes
 * and tells every API instance's {@link io.ledgerflow.ingest.auth.PostgresPartnerDirectory} that
 * something changed, (2) checks and writes the rows, stamped with the new version, and (3) appends
 * the {@code admin_audit} row with the resource before and after. A refused action (4xx) rolls back
 * all three, so it changes nothing, not even the audit trail. Blocking JDBC: callers run it off the
 * event loops.
 */
public final class PartnerStore {

    private static final Logger LOG = LogManager.getLogger(PartnerStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PARTNER_COLUMNS =
            "partner_id, display_name, status, requests_per_second, request_burst,"
                    + " movements_per_second, movement_burst, contact_name, contact_email,"
                    + " created_at, updated_at, version";
    private static final String KEY_COLUMNS =
            "key_id, partner_id, scope, prefix, created_at, expires_at, revoked_at, rotated_from,"
                    + " overlap_ends_at";

    private final PartnerDatabase database;
    private final Clock clock;

    public PartnerStore(PartnerDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A page of a list and the cursor of the next one (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {}

    /** A key just issued: its metadata and the key itself, shown once. */
    public record IssuedKey(ApiKeyRecord record, String key) {
        @Override
        public String toString() {
            return "IssuedKey[" + record.keyId() + "]";
        }
    }

    /** The database failed (not the request): the caller answers 503. */
    public static final class StoreUnavailableException extends RuntimeException {
        StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ---------------------------------------------------------------- partners

    /** Creates an active partner; 409 when the id is taken. */
    public PartnerRecord createPartner(Actor actor, PartnerRecord wanted) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    if (findPartner(c, wanted.partnerId()).isPresent()) {
                        throw problem(
                                ErrorCode.PARTNER_ALREADY_EXISTS,
                                "partnerId",
                                "partner " + wanted.partnerId() + " already exists");
                    }
                    PartnerRecord created = PartnerRecord.created(wanted, now());
                    insertPartner(c, created, seq);
                    audit(
                            c,
                            actor,
                            "PARTNER_CREATED",
                            created.partnerId(),
                            null,
                            null,
                            created.toJson());
                    return created;
                });
    }

    // ---------------------------------------------------------------- fees and settlement

    /**
     * Adds the next version of a partner's fee schedule, audited as {@code FEE_SCHEDULE_ADDED}. 409
     * {@code VERSION_CONFLICT} when a version already takes effect at that instant.
     */
    public FeeSchedule addFeeSchedule(
            Actor actor, String partnerId, Instant effectiveFrom, List<FeeRule> rules) {
        return inTransaction(
                c -> {
                    // The directory version's row lock serialises admin writes: two versions
                    // added at once cannot both take "latest + 1".
                    bump(c);
                    requirePartner(c, partnerId);
                    if (PostgresSettlements.feeSchedules(c, partnerId).stream()
                            .anyMatch(v -> v.effectiveFrom().equals(effectiveFrom))) {
                        throw problem(
                                ErrorCode.VERSION_CONFLICT,
                                "effectiveFrom",
                                "a version of this fee schedule already takes effect at "
                                        + effectiveFrom);
                    }
                    FeeSchedule added =
                            PostgresSettlements.addFeeSchedule(
                                    c, partnerId, effectiveFrom, rules, actor.keyId());
                    audit(
                            c,
                            actor,
                            "FEE_SCHEDULE_ADDED",
                            partnerId,
                            null,
                            null,
                            SettlementJson.feeSchedule(added));
                    return added;
                });
    }

    /** Every version of the partner's fee schedule, oldest first; 404 for an unknown partner. */
    public List<FeeSchedule> feeSchedules(String partnerId) {
        return inTransaction(
                c -> {
                    requirePartner(c, partnerId);
                    return PostgresSettlements.feeSchedules(c, partnerId);
                });
    }

    /** Sets the partner's settlement period, audited as {@code SETTLEMENT_SETTINGS_CHANGED}. */
    public SettlementCalendar setSettlementCalendar(
            Actor actor, String partnerId, SettlementCalendar calendar) {
        return inTransaction(
                c -> {
                    bump(c);
                    requirePartner(c, partnerId);
                    SettlementCalendar before = PostgresSettlements.calendar(c, partnerId);
                    PostgresSettlements.setCalendar(c, partnerId, calendar, actor.keyId());
                    audit(
                            c,
                            actor,
                            "SETTLEMENT_SETTINGS_CHANGED",
                            partnerId,
                            null,
                            SettlementJson.calendar(before),
                            SettlementJson.calendar(calendar));
                    return calendar;
                });
    }

    /** The partner's settlement period (daily at 00:00 UTC unless set). */
    public SettlementCalendar settlementCalendar(String partnerId) {
        return inTransaction(
                c -> {
                    requirePartner(c, partnerId);
                    return PostgresSettlements.calendar(c, partnerId);
                });
    }

    public Optional<PartnerRecord> partner(String partnerId) {
        return inTransaction(c -> findPartner(c, partnerId));
    }

    /** Partners in id order after {@code afterId} (keyset pagination: stable under inserts). */
    public Page<PartnerRecord> partners(String afterId, int limit) {
        return inTransaction(
                c -> {
                    List<PartnerRecord> found = new ArrayList<>();
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT "
                                            + PARTNER_COLUMNS
                                            + " FROM partners WHERE partner_id > ?"
                                            + " ORDER BY partner_id LIMIT ?")) {
                        s.setString(1, afterId == null ? "" : afterId);
                        s.setInt(2, limit + 1);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                found.add(partner(rs));
                            }
                        }
                    }
                    if (found.size() <= limit) {
                        return new Page<>(found, null);
                    }
                    List<PartnerRecord> page = found.subList(0, limit);
                    return new Page<>(
                            List.copyOf(page),
                            Cursors.partner(page.get(page.size() - 1).partnerId()));
                });
    }

    /**
     * Applies {@code change} to the partner if its version is still {@code expectedVersion}
     * (optimistic concurrency: 409 VERSION_CONFLICT otherwise); the version goes up by one.
     */
    public PartnerRecord updatePartner(
            Actor actor,
            String partnerId,
            long expectedVersion,
            UnaryOperator<PartnerRecord> change) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    PartnerRecord before = requirePartner(c, partnerId);
                    if (before.version() != expectedVersion) {
                        throw problem(
                                ErrorCode.VERSION_CONFLICT,
                                "version",
                                "partner "
                                        + partnerId
                                        + " is at version "
                                        + before.version()
                                        + ", not "
                                        + expectedVersion
                                        + "; read it again and reapply the change");
                    }
                    PartnerRecord after = before.next(change.apply(before), before.status(), now());
                    writePartner(c, after, seq);
                    audit(
                            c,
                            actor,
                            "PARTNER_UPDATED",
                            partnerId,
                            null,
                            before.toJson(),
                            after.toJson());
                    return after;
                });
    }

    /** Suspends or resumes a partner; 409 when it already has that status. */
    public PartnerRecord setStatus(Actor actor, String partnerId, boolean suspend) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    PartnerRecord before = requirePartner(c, partnerId);
                    String wanted = suspend ? PartnerRecord.SUSPENDED : PartnerRecord.ACTIVE;
                    if (before.status().equals(wanted)) {
                        throw problem(
                                ErrorCode.PARTNER_STATUS_CONFLICT,
                                null,
                                "partner " + partnerId + " is already " + wanted.toLowerCase());
                    }
                    if (suspend && partnerId.equals(actor.partnerId())) {
                        throw problem(
                                ErrorCode.SELF_LOCKOUT,
                                null,
                                "an admin key cannot suspend its own partner; use another"
                                        + " partner's admin key");
                    }
                    PartnerRecord after = before.next(before, wanted, now());
                    writePartner(c, after, seq);
                    audit(
                            c,
                            actor,
                            suspend ? "PARTNER_SUSPENDED" : "PARTNER_RESUMED",
                            partnerId,
                            null,
                            before.toJson(),
                            after.toJson());
                    return after;
                });
    }

    // ---------------------------------------------------------------- keys

    /** Issues a new key for the partner; the answer is the only place the key ever appears. */
    public IssuedKey issueKey(Actor actor, String partnerId, Scope scope, Instant expiresAt) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    requirePartner(c, partnerId);
                    NewApiKey key = NewApiKey.generate();
                    ApiKeyRecord issued =
                            new ApiKeyRecord(
                                    key.keyId(),
                                    partnerId,
                                    scope.name(),
                                    key.prefix(),
                                    now(),
                                    expiresAt,
                                    null,
                                    null,
                                    null);
                    insertKey(c, issued, key.hash(), seq);
                    audit(
                            c,
                            actor,
                            "API_KEY_ISSUED",
                            partnerId,
                            key.keyId(),
                            null,
                            issued.toJson(now()));
                    return new IssuedKey(issued, key.key());
                });
    }

    /** The partner's keys (metadata only), oldest first; 404 for an unknown partner. */
    public List<ApiKeyRecord> keys(String partnerId) {
        return inTransaction(
                c -> {
                    requirePartner(c, partnerId);
                    List<ApiKeyRecord> keys = new ArrayList<>();
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT "
                                            + KEY_COLUMNS
                                            + " FROM api_keys WHERE partner_id = ?"
                                            + " ORDER BY created_at, key_id")) {
                        s.setString(1, partnerId);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                keys.add(key(rs));
                            }
                        }
                    }
                    return keys;
                });
    }

    /**
     * Rotates a key: a new key of the same partner and scope is issued, and the old one keeps
     * working until {@code overlap} from now, so the partner can deploy the new key without a gap.
     */
    public IssuedKey rotateKey(
            Actor actor, String partnerId, String keyId, Duration overlap, Instant newExpiresAt) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    ApiKeyRecord old = requireActiveKey(c, partnerId, keyId);
                    Instant now = now();
                    Instant overlapEnd = now.plus(overlap);
                    ApiKeyRecord oldAfter = old.withEnds(old.revokedAt(), overlapEnd);
                    updateKeyEnds(c, oldAfter, seq);
                    NewApiKey key = NewApiKey.generate();
                    ApiKeyRecord issued =
                            new ApiKeyRecord(
                                    key.keyId(),
                                    partnerId,
                                    old.scope(),
                                    key.prefix(),
                                    now,
                                    newExpiresAt,
                                    null,
                                    old.keyId(),
                                    null);
                    insertKey(c, issued, key.hash(), seq);
                    ObjectNode after = JsonNodeFactory.instance.objectNode();
                    after.set("rotatedKey", oldAfter.toJson(now));
                    after.set("newKey", issued.toJson(now));
                    audit(c, actor, "API_KEY_ROTATED", partnerId, keyId, old.toJson(now), after);
                    return new IssuedKey(issued, key.key());
                });
    }

    /** Revokes a key at once; 409 when it no longer works anyway. */
    public ApiKeyRecord revokeKey(Actor actor, String partnerId, String keyId) {
        return inTransaction(
                c -> {
                    long seq = bump(c);
                    ApiKeyRecord before = requireKey(c, partnerId, keyId);
                    Instant now = now();
                    String status = before.statusAt(now);
                    if (status.equals("REVOKED")) {
                        throw problem(
                                ErrorCode.API_KEY_NOT_ACTIVE,
                                null,
                                "key " + keyId + " is already revoked");
                    }
                    if (keyId.equals(actor.keyId())) {
                        throw problem(
                                ErrorCode.SELF_LOCKOUT,
                                null,
                                "an admin key cannot revoke itself; use another admin key");
                    }
                    ApiKeyRecord after = before.withEnds(now, before.overlapEndsAt());
                    updateKeyEnds(c, after, seq);
                    audit(
                            c,
                            actor,
                            "API_KEY_REVOKED",
                            partnerId,
                            keyId,
                            before.toJson(now),
                            after.toJson(now));
                    return after;
                });
    }

    // ---------------------------------------------------------------- audit

    /** One row of the audit trail. */
    public record AuditEntry(
            long auditId,
            Instant at,
            String actorKeyId,
            String actorPartnerId,
            String action,
            String targetPartnerId,
            String targetKeyId,
            JsonNode before,
            JsonNode after,
            String requestId) {

        public ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("auditId", auditId);
            json.put("at", at.toString());
            ObjectNode actor = json.putObject("actor");
            actor.put("keyId", actorKeyId);
            actor.put("partnerId", actorPartnerId);
            json.put("action", action);
            json.put("partnerId", targetPartnerId);
            json.put("keyId", targetKeyId);
            json.set("before", before == null ? JsonNodeFactory.instance.nullNode() : before);
            json.set("after", after == null ? JsonNodeFactory.instance.nullNode() : after);
            json.put("requestId", requestId);
            return json;
        }
    }

    /** The audit trail, newest first, optionally of one partner, before {@code beforeId}. */
    public Page<AuditEntry> audit(String partnerId, Long beforeId, int limit) {
        return inTransaction(
                c -> {
                    List<AuditEntry> found = new ArrayList<>();
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "SELECT audit_id, at, actor_key_id, actor_partner_id, action,"
                                            + " target_partner_id, target_key_id, before::text,"
                                            + " after::text, request_id FROM admin_audit"
                                            + " WHERE (?::text IS NULL OR target_partner_id = ?)"
                                            + " AND audit_id < ? ORDER BY audit_id DESC LIMIT ?")) {
                        s.setString(1, partnerId);
                        s.setString(2, partnerId);
                        s.setLong(3, beforeId == null ? Long.MAX_VALUE : beforeId);
                        s.setInt(4, limit + 1);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                found.add(
                                        new AuditEntry(
                                                rs.getLong(1),
                                                instant(rs, 2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5),
                                                rs.getString(6),
                                                rs.getString(7),
                                                parse(rs.getString(8)),
                                                parse(rs.getString(9)),
                                                rs.getString(10)));
                            }
                        }
                    }
                    if (found.size() <= limit) {
                        return new Page<>(found, null);
                    }
                    List<AuditEntry> page = List.copyOf(found.subList(0, limit));
                    return new Page<>(page, Cursors.audit(page.get(page.size() - 1).auditId()));
                });
    }

    // ---------------------------------------------------------------- start-up imports

    /**
     * Imports the keys of a keys file (or the development keys) that PostgreSQL does not hold yet:
     * their partners are created active with their id as display name, their keys get the id {@code
     * file-<first 16 hex digits of the hash>}. Idempotent: every instance does it at start, and
     * only the first one changes anything.
     */
    public int importKeys(ApiKeys keys) {
        int imported = 0;
        for (ApiKeys.Seed seed : keys.seeds()) {
            String hex = HexFormat.of().formatHex(seed.hash());
            if (importKey(
                    seed.partnerId(), seed.scope(), seed.hash(), "file-" + hex.substring(0, 16))) {
                imported++;
            }
        }
        return imported;
    }

    /**
     * Makes the bootstrap admin key (from {@code LEDGERFLOW_BOOTSTRAP_ADMIN_KEY} or its {@code
     * _FILE}) an admin key of the platform partner, creating the partner if needed; nothing when
     * the key is already known. Returns whether anything was written.
     */
    public boolean importBootstrapAdminKey(String platformPartnerId, String key) {
        byte[] hash = ApiKeys.sha256(key);
        String hex = HexFormat.of().formatHex(hash);
        return importKey(platformPartnerId, Scope.ADMIN, hash, "bootstrap-" + hex.substring(0, 16));
    }

    private boolean importKey(String partnerId, Scope scope, byte[] hash, String keyId) {
        return inTransaction(
                c -> {
                    if (keyKnown(c, hash)) {
                        return false;
                    }
                    long seq = bump(c);
                    // Checked again under the version lock: another instance may have won.
                    if (keyKnown(c, hash)) {
                        return false;
                    }
                    Instant now = now();
                    if (findPartner(c, partnerId).isEmpty()) {
                        PartnerRecord created =
                                PartnerRecord.created(
                                        new PartnerRecord(
                                                partnerId, partnerId, null, null, null, null, null,
                                                null, null, null, null, 0),
                                        now);
                        insertPartner(c, created, seq);
                        audit(
                                c,
                                Actor.SYSTEM,
                                "PARTNER_IMPORTED",
                                partnerId,
                                null,
                                null,
                                created.toJson());
                    }
                    ApiKeyRecord imported =
                            new ApiKeyRecord(
                                    keyId,
                                    partnerId,
                                    scope.name(),
                                    "(imported)",
                                    now,
                                    null,
                                    null,
                                    null,
                                    null);
                    insertKey(c, imported, hash, seq);
                    audit(
                            c,
                            Actor.SYSTEM,
                            "API_KEY_IMPORTED",
                            partnerId,
                            keyId,
                            null,
                            imported.toJson(now));
                    LOG.info("imported {} key {} of partner {}", scope, keyId, partnerId);
                    return true;
                });
    }

    // ---------------------------------------------------------------- SQL

    private static boolean keyKnown(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT 1 FROM api_keys WHERE key_hash = ?")) {
            s.setBytes(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = database.open()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("partner database: " + e.getMessage(), e);
        }
    }

    /** Takes the directory version's row lock and returns the new version (this change's seq). */
    private static long bump(Connection c) throws SQLException {
        try (PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE partner_directory_version SET version = version + 1"
                                        + " RETURNING version");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Instant now() {
        // Microseconds: what PostgreSQL keeps, so a record reads back equal to what was written.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static InvalidRequestException problem(ErrorCode code, String field, String detail) {
        return new InvalidRequestException(new Problem(code, detail, field));
    }

    private static PartnerRecord requirePartner(Connection c, String partnerId)
            throws SQLException {
        return findPartner(c, partnerId)
                .orElseThrow(
                        () ->
                                problem(
                                        ErrorCode.PARTNER_NOT_FOUND,
                                        null,
                                        "no partner " + partnerId));
    }

    private static Optional<PartnerRecord> findPartner(Connection c, String partnerId)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT " + PARTNER_COLUMNS + " FROM partners WHERE partner_id = ?")) {
            s.setString(1, partnerId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(partner(rs)) : Optional.empty();
            }
        }
    }

    /** A key of this partner; another partner's key id answers 404 like an unknown one. */
    private static ApiKeyRecord requireKey(Connection c, String partnerId, String keyId)
            throws SQLException {
        requirePartner(c, partnerId);
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT "
                                + KEY_COLUMNS
                                + " FROM api_keys WHERE key_id = ? AND partner_id = ?")) {
            s.setString(1, keyId);
            s.setString(2, partnerId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw problem(
                            ErrorCode.API_KEY_NOT_FOUND,
                            null,
                            "partner " + partnerId + " has no key " + keyId);
                }
                return key(rs);
            }
        }
    }

    private ApiKeyRecord requireActiveKey(Connection c, String partnerId, String keyId)
            throws SQLException {
        ApiKeyRecord key = requireKey(c, partnerId, keyId);
        String status = key.statusAt(now());
        if (!status.equals("ACTIVE")) {
            throw problem(
                    ErrorCode.API_KEY_NOT_ACTIVE,
                    null,
                    "key " + keyId + " is " + status.toLowerCase() + "; only active keys rotate");
        }
        return key;
    }

    private static void insertPartner(Connection c, PartnerRecord p, long seq) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO partners ("
                                + PARTNER_COLUMNS
                                + ", change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, p.partnerId());
            s.setString(2, p.displayName());
            s.setString(3, p.status());
            setInt(s, 4, p.requestsPerSecond());
            setInt(s, 5, p.requestBurst());
            setInt(s, 6, p.movementsPerSecond());
            setInt(s, 7, p.movementBurst());
            s.setString(8, p.contactName());
            s.setString(9, p.contactEmail());
            setInstant(s, 10, p.createdAt());
            setInstant(s, 11, p.updatedAt());
            s.setLong(12, p.version());
            s.setLong(13, seq);
            s.executeUpdate();
        }
    }

    private static void writePartner(Connection c, PartnerRecord p, long seq) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE partners SET display_name = ?, status = ?,"
                                + " requests_per_second = ?, request_burst = ?,"
                                + " movements_per_second = ?, movement_burst = ?,"
                                + " contact_name = ?, contact_email = ?, updated_at = ?,"
                                + " version = ?, change_seq = ? WHERE partner_id = ?")) {
            s.setString(1, p.displayName());
            s.setString(2, p.status());
            setInt(s, 3, p.requestsPerSecond());
            setInt(s, 4, p.requestBurst());
            setInt(s, 5, p.movementsPerSecond());
            setInt(s, 6, p.movementBurst());
            s.setString(7, p.contactName());
            s.setString(8, p.contactEmail());
            setInstant(s, 9, p.updatedAt());
            s.setLong(10, p.version());
            s.setLong(11, seq);
            s.setString(12, p.partnerId());
            s.executeUpdate();
        }
    }

    private static void insertKey(Connection c, ApiKeyRecord k, byte[] hash, long seq)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO api_keys ("
                                + KEY_COLUMNS
                                + ", key_hash, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?)")) {
            s.setString(1, k.keyId());
            s.setString(2, k.partnerId());
            s.setString(3, k.scope());
            s.setString(4, k.prefix());
            setInstant(s, 5, k.createdAt());
            setInstant(s, 6, k.expiresAt());
            setInstant(s, 7, k.revokedAt());
            s.setString(8, k.rotatedFrom());
            setInstant(s, 9, k.overlapEndsAt());
            s.setBytes(10, hash);
            s.setLong(11, seq);
            s.executeUpdate();
        }
    }

    private static void updateKeyEnds(Connection c, ApiKeyRecord k, long seq) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE api_keys SET revoked_at = ?, overlap_ends_at = ?, change_seq = ?"
                                + " WHERE key_id = ?")) {
            setInstant(s, 1, k.revokedAt());
            setInstant(s, 2, k.overlapEndsAt());
            s.setLong(3, seq);
            s.setString(4, k.keyId());
            s.executeUpdate();
        }
    }

    private void audit(
            Connection c,
            Actor actor,
            String action,
            String partnerId,
            String keyId,
            JsonNode before,
            JsonNode after)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO admin_audit (at, actor_key_id, actor_partner_id, action,"
                                + " target_partner_id, target_key_id, before, after, request_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            setInstant(s, 1, now());
            s.setString(2, actor.keyId());
            s.setString(3, actor.partnerId());
            s.setString(4, action);
            s.setString(5, partnerId);
            s.setString(6, keyId);
            s.setString(7, before == null ? null : before.toString());
            s.setString(8, after == null ? null : after.toString());
            s.setString(9, actor.requestId());
            s.executeUpdate();
        }
    }

    private static PartnerRecord partner(ResultSet rs) throws SQLException {
        return new PartnerRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                integer(rs, 4),
                integer(rs, 5),
                integer(rs, 6),
                integer(rs, 7),
                rs.getString(8),
                rs.getString(9),
                instant(rs, 10),
                instant(rs, 11),
                rs.getLong(12));
    }

    private static ApiKeyRecord key(ResultSet rs) throws SQLException {
        return new ApiKeyRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                instant(rs, 5),
                instant(rs, 6),
                instant(rs, 7),
                rs.getString(8),
                instant(rs, 9));
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant value)
            throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("admin_audit holds invalid JSON", e);
        }
    }
}
