package io.ledgerflow.ingest.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Partners and API keys from PostgreSQL (migration V7), held in memory: keys in a hash map keyed by
 * the SHA-256 of the key, partners by id. Authentication is one hash and two lookups, the same cost
 * with 10 or 100,000 partners, and never touches the database.
 *
 * <p><b>How changes reach every instance (within 5 s; typically about 1 s).</b> Every admin
 * transaction bumps the single row of {@code partner_directory_version} first and stamps the rows
 * it writes with the new value ({@code change_seq}). The row lock serialises admin writes and is
 * held until commit, so versions become visible in order. Each instance polls that one row every
 * {@code refreshInterval} (1 s by default) and, when it moved, reads in the same snapshot only the
 * partners and keys with {@code change_seq} above what it has seen: a poll costs one primary-key
 * read when nothing changed and is proportional to the change when something did. Polling rather
 * than LISTEN/NOTIFY: nothing is lost while a connection is down (the next successful poll catches
 * up from the last version seen), it needs no dedicated listening connection per instance, and one
 * indexed read a second per instance is negligible. Time-based ends (expiry, a rotation's overlap
 * end) need no change at all: they are checked against the clock on every authentication.
 *
 * <p>When PostgreSQL is unreachable the instance keeps authenticating from its last snapshot (a
 * database outage does not lock every partner out) and logs each failed poll; revocations made
 * meanwhile cannot be made anyway, since admin writes need the same database.
 */
public final class PostgresPartnerDirectory implements PartnerDirectory, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(PostgresPartnerDirectory.class);

    /** The default poll interval: well inside the 5-second propagation target. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

    /** A key as authentication needs it. */
    record KeyEntry(
            String keyId,
            String partnerId,
            Scope scope,
            Instant expiresAt,
            Instant revokedAt,
            Instant overlapEndsAt) {

        /** Whether the key works at {@code now}: not revoked, expired or past its overlap end. */
        boolean validAt(Instant now) {
            return before(now, revokedAt) && before(now, expiresAt) && before(now, overlapEndsAt);
        }

        private static boolean before(Instant now, Instant end) {
            return end == null || now.isBefore(end);
        }
    }

    /** A partner as authentication and the limiter need it. */
    record PartnerEntry(String partnerId, boolean suspended, StoredLimits limits) {}

    private static final String VERSION = "SELECT version FROM partner_directory_version";
    private static final String CHANGED_PARTNERS =
            """
            SELECT partner_id, status, requests_per_second, request_burst, movements_per_second,
                   movement_burst
            FROM partners WHERE change_seq > ?
            """;
    private static final String CHANGED_KEYS =
            """
            SELECT key_id, partner_id, scope, key_hash, expires_at, revoked_at, overlap_ends_at
            FROM api_keys WHERE change_seq > ?
            """;

    private final PartnerDatabase database;
    private final Clock clock;
    private final Map<String, KeyEntry> keysByHash = new ConcurrentHashMap<>();
    private final Map<String, PartnerEntry> partners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private Connection connection;
    private volatile long seenVersion = -1;
    private volatile long lastRefreshMillis;

    /**
     * Loads every partner and key (fails when PostgreSQL cannot be read: an instance that cannot
     * authenticate anyone must not start), then refreshes every {@code refreshInterval}.
     */
    public PostgresPartnerDirectory(
            PartnerDatabase database, Clock clock, Duration refreshInterval) {
        this.database = database;
        this.clock = clock;
        try {
            refresh();
        } catch (SQLException e) {
            closeConnection();
            throw new IllegalStateException(
                    "cannot load partners from " + database.jdbcUrl() + ": " + e.getMessage(), e);
        }
        this.poller =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "partner-directory-refresh");
                            t.setDaemon(true);
                            return t;
                        });
        long millis = refreshInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Partner> authenticate(String presentedKey) {
        if (!ApiKeys.plausible(presentedKey)) {
            return Optional.empty();
        }
        KeyEntry key = keysByHash.get(ApiKeys.sha256Hex(presentedKey));
        if (key == null || !key.validAt(clock.instant())) {
            return Optional.empty();
        }
        PartnerEntry partner = partners.get(key.partnerId());
        if (partner == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Partner(key.partnerId(), key.scope(), key.keyId(), partner.suspended()));
    }

    @Override
    public Optional<StoredLimits> limitsOf(String partnerId) {
        PartnerEntry partner = partners.get(partnerId);
        return partner == null ? Optional.empty() : Optional.of(partner.limits());
    }

    /** The version of the newest change this instance has applied. */
    public long seenVersion() {
        return seenVersion;
    }

    /** Keys held (of every state: expiry and revocation are checked per request). */
    public int keyCount() {
        return keysByHash.size();
    }

    /**
     * Seconds since the last successful poll: about the refresh interval when healthy; growing
     * while PostgreSQL is unreachable (the snapshot then ages, an alert can watch it).
     */
    public long secondsSinceRefresh() {
        return (clock.millis() - lastRefreshMillis) / 1000;
    }

    private void poll() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            // Keep the last snapshot; the next poll catches up from seenVersion.
            LOG.warn("refreshing partners failed, keeping the last snapshot: {}", e.toString());
            closeConnection();
        }
    }

    /** Applies every change above the version seen; synchronised with itself only. */
    synchronized void refresh() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = database.open();
            // One snapshot for the version and the rows: rows stamped above the version read are
            // not visible in it, and the ones at or below are all committed (writers hold the
            // version row's lock until they commit).
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
        }
        try {
            long version;
            long polledAt = clock.millis();
            try (PreparedStatement s = connection.prepareStatement(VERSION);
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
            if (version != seenVersion) {
                long after = seenVersion < 0 ? -1 : seenVersion;
                int partnerRows = loadPartners(after);
                int keyRows = loadKeys(after);
                LOG.info(
                        "partner directory at version {}: {} partner and {} key changes applied",
                        version,
                        partnerRows,
                        keyRows);
                seenVersion = version;
            }
            lastRefreshMillis = polledAt;
        } finally {
            connection.rollback();
        }
    }

    private int loadPartners(long after) throws SQLException {
        int rows = 0;
        try (PreparedStatement s = connection.prepareStatement(CHANGED_PARTNERS)) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    String id = rs.getString(1);
                    partners.put(
                            id,
                            new PartnerEntry(
                                    id,
                                    "SUSPENDED".equals(rs.getString(2)),
                                    new StoredLimits(
                                            optionalInt(rs, 3),
                                            optionalInt(rs, 4),
                                            optionalInt(rs, 5),
                                            optionalInt(rs, 6))));
                }
            }
        }
        return rows;
    }

    private int loadKeys(long after) throws SQLException {
        int rows = 0;
        try (PreparedStatement s = connection.prepareStatement(CHANGED_KEYS)) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    // A key's hash never changes; a changed row replaces the entry at its hash.
                    keysByHash.put(
                            HexFormat.of().formatHex(rs.getBytes(4)),
                            new KeyEntry(
                                    rs.getString(1),
                                    rs.getString(2),
                                    Scope.valueOf(rs.getString(3)),
                                    instant(rs.getTimestamp(5)),
                                    instant(rs.getTimestamp(6)),
                                    instant(rs.getTimestamp(7))));
                }
            }
        }
        return rows;
    }

    private static OptionalInt optionalInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the partner directory connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        closeConnection();
    }
}
