package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.sinks.columns.Store;
import io.ledgerflow.sinks.reconcile.Finding.Kind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code reconciliation} table in both stores. PostgreSQL is where a mismatch's history is
 * decided (first seen, cleared); every row it changes is then written to ClickHouse as a new
 * version of that row, so both hold the same rows.
 *
 * <p>A round records what it saw: each mismatch is opened (or kept open, {@code last_seen} moves
 * on; reopened with a new {@code first_seen} if it had been cleared), and each open row the round
 * could have seen but did not is CLEARED. "Could have seen": chain breaks and sums are judged over
 * everything kept, window figures only from the oldest window compared on; an open row of a window
 * beyond the horizon is left open for a person to look at, never cleared by time passing.
 */
public final class ReconciliationTables {

    /** A row as stored, after a round changed it. */
    public record Row(
            Finding finding,
            String status,
            Instant firstSeen,
            Instant lastSeen,
            Instant clearedTime) {}

    /** Open mismatches per kind and the oldest first-seen time among them. */
    public record OpenSummary(Map<Kind, Long> open, Instant oldestFirstSeen) {
        public long total() {
            return open.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String COLUMNS =
            "kind, partner_id, currency, window_start, subject, window_end, expected, found,"
                    + " detail, status, first_seen, last_seen, cleared_time";

    private ReconciliationTables() {}

    /**
     * Records one round in PostgreSQL (one transaction) and returns the rows it changed, for
     * ClickHouse.
     *
     * @param comparedFrom the oldest window start the round compared figures for (null: none)
     */
    public static List<Row> record(
            Connection pg, List<Finding> seen, Instant now, Instant comparedFrom)
            throws SQLException {
        boolean autoCommit = pg.getAutoCommit();
        pg.setAutoCommit(false);
        try {
            List<Row> changed = new ArrayList<>();
            String upsert =
                    "INSERT INTO reconciliation ("
                            + COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, NULL)"
                            + " ON CONFLICT (kind, partner_id, currency, window_start, subject)"
                            + " DO UPDATE SET window_end = EXCLUDED.window_end,"
                            + " expected = EXCLUDED.expected, found = EXCLUDED.found,"
                            + " detail = EXCLUDED.detail, last_seen = EXCLUDED.last_seen,"
                            + " first_seen = CASE WHEN reconciliation.status = 'CLEARED'"
                            + " THEN EXCLUDED.first_seen ELSE reconciliation.first_seen END,"
                            + " status = 'OPEN', cleared_time = NULL"
                            + " RETURNING "
                            + COLUMNS;
            try (PreparedStatement ps = pg.prepareStatement(upsert)) {
                for (Finding f : seen) {
                    ps.setString(1, f.kind().name());
                    ps.setString(2, f.partnerId());
                    ps.setString(3, f.currency());
                    ps.setTimestamp(4, Timestamp.from(f.windowStart()));
                    ps.setString(5, f.subject());
                    ps.setTimestamp(6, Timestamp.from(f.windowEnd()));
                    ps.setString(7, f.expected());
                    ps.setString(8, f.found());
                    ps.setString(9, f.detail());
                    ps.setTimestamp(10, Timestamp.from(now));
                    ps.setTimestamp(11, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        changed.add(row(rs));
                    }
                }
            }
            Set<Finding.Key> seenKeys = new HashSet<>();
            seen.forEach(f -> seenKeys.add(f.key()));
            List<Row> toClear = new ArrayList<>();
            try (PreparedStatement ps =
                            pg.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM reconciliation WHERE status = 'OPEN'"
                                            + " FOR UPDATE");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = row(rs);
                    Finding f = r.finding();
                    boolean judged =
                            f.kind() == Kind.CHAIN_BREAK
                                    || f.kind() == Kind.SUM_NOT_ZERO
                                    || (comparedFrom != null
                                            && !f.windowStart().isBefore(comparedFrom));
                    if (judged && !seenKeys.contains(f.key())) {
                        toClear.add(r);
                    }
                }
            }
            try (PreparedStatement ps =
                    pg.prepareStatement(
                            "UPDATE reconciliation SET status = 'CLEARED', cleared_time = ?"
                                    + " WHERE kind = ? AND partner_id = ? AND currency = ?"
                                    + " AND window_start = ? AND subject = ?")) {
                for (Row r : toClear) {
                    Finding f = r.finding();
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, f.kind().name());
                    ps.setString(3, f.partnerId());
                    ps.setString(4, f.currency());
                    ps.setTimestamp(5, Timestamp.from(f.windowStart()));
                    ps.setString(6, f.subject());
                    ps.executeUpdate();
                    changed.add(new Row(f, "CLEARED", r.firstSeen(), r.lastSeen(), now));
                }
            }
            pg.commit();
            return changed;
        } catch (SQLException | RuntimeException e) {
            pg.rollback();
            throw e;
        } finally {
            pg.setAutoCommit(autoCommit);
        }
    }

    /** Writes rows a round changed to ClickHouse, as versions {@code version} of their rows. */
    public static void writeClickHouse(Connection ch, List<Row> rows, long version)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                ch.prepareStatement(
                        "INSERT INTO reconciliation ("
                                + COLUMNS
                                + ", version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, base64Decode(?), ?, ?,"
                                + " ?, ?, ?)")) {
            // As ClickHouseWriter: the driver inlines the values, and JDBC escape rewriting must
            // not touch the texts. The detail travels in base64: the driver (0.9) produced an
            // INSERT the server could not parse for a chain break's detail (an entry's fields and
            // hashes); base64 leaves it nothing to misread.
            ps.setEscapeProcessing(false);
            for (Row r : rows) {
                Finding f = r.finding();
                ps.setString(1, f.kind().name());
                ps.setString(2, f.partnerId());
                ps.setString(3, f.currency());
                ps.setString(4, Store.clickHouseTime(f.windowStart()));
                ps.setString(5, f.subject());
                ps.setString(6, Store.clickHouseTime(f.windowEnd()));
                ps.setString(7, f.expected());
                ps.setString(8, f.found());
                ps.setString(
                        9,
                        Base64.getEncoder()
                                .encodeToString(f.detail().getBytes(StandardCharsets.UTF_8)));
                ps.setString(10, r.status());
                ps.setString(11, Store.clickHouseTime(r.firstSeen()));
                ps.setString(12, Store.clickHouseTime(r.lastSeen()));
                ps.setString(
                        13, r.clearedTime() == null ? null : Store.clickHouseTime(r.clearedTime()));
                ps.setLong(14, version);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** What is open now, from PostgreSQL. */
    public static OpenSummary open(Connection pg) throws SQLException {
        Map<Kind, Long> open = new EnumMap<>(Kind.class);
        Instant oldest = null;
        try (PreparedStatement ps =
                        pg.prepareStatement(
                                "SELECT kind, count(*), min(first_seen) FROM reconciliation"
                                        + " WHERE status = 'OPEN' GROUP BY kind");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.put(Kind.valueOf(rs.getString(1)), rs.getLong(2));
                Instant first = rs.getObject(3, OffsetDateTime.class).toInstant();
                oldest = oldest == null || first.isBefore(oldest) ? first : oldest;
            }
        }
        return new OpenSummary(open, oldest);
    }

    private static Row row(ResultSet rs) throws SQLException {
        Finding f =
                new Finding(
                        Kind.valueOf(rs.getString("kind")),
                        rs.getString("partner_id"),
                        rs.getString("currency"),
                        instant(rs, "window_start"),
                        instant(rs, "window_end"),
                        rs.getString("subject"),
                        rs.getString("expected"),
                        rs.getString("found"),
                        rs.getString("detail"));
        return new Row(
                f,
                rs.getString("status"),
                instant(rs, "first_seen"),
                instant(rs, "last_seen"),
                instant(rs, "cleared_time"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
