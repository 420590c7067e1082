package io.ledgerflow.sinks.reconcile;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What each store has per partner, currency and window of {@code posted_time}: the same figures
 * {@link InternalReconciliation} keeps from the topic, computed by each database over its own
 * {@code ledger_entries}. ClickHouse reads {@code FINAL}, so a row the sinks wrote twice counts
 * once.
 */
final class StoreFigures {

    private StoreFigures() {}

    static Map<WindowKey, Figures> postgres(Connection c, Duration window, Instant from, Instant to)
            throws SQLException {
        long seconds = window.toSeconds();
        String sql =
                "SELECT partner_id, currency,"
                        + " floor(extract(epoch FROM posted_time) / ?)::bigint * ? AS window_start,"
                        + " count(*), sum(amount_minor)"
                        + " FROM ledger_entries WHERE posted_time >= ? AND posted_time < ?"
                        + " GROUP BY 1, 2, 3";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seconds);
            ps.setLong(2, seconds);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            return read(ps);
        }
    }

    static Map<WindowKey, Figures> clickHouse(
            Connection c, Duration window, Instant from, Instant to) throws SQLException {
        long seconds = window.toSeconds();
        String sql =
                "SELECT partner_id, toString(currency),"
                        + " intDiv(toUnixTimestamp(posted_time), ?) * ? AS window_start,"
                        + " count(), toString(sum(toInt128(amount_minor)))"
                        + " FROM ledger_entries FINAL"
                        + " WHERE posted_time >= fromUnixTimestamp64Milli(?)"
                        + " AND posted_time < fromUnixTimestamp64Milli(?)"
                        + " GROUP BY partner_id, currency, window_start";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seconds);
            ps.setLong(2, seconds);
            ps.setLong(3, from.toEpochMilli());
            ps.setLong(4, to.toEpochMilli());
            return read(ps);
        }
    }

    private static Map<WindowKey, Figures> read(PreparedStatement ps) throws SQLException {
        Map<WindowKey, Figures> figures = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                figures.put(
                        new WindowKey(
                                rs.getString(1),
                                rs.getString(2).strip(),
                                Instant.ofEpochSecond(rs.getLong(3))),
                        new Figures(rs.getLong(4), new BigInteger(rs.getString(5))));
            }
        }
        return figures;
    }
}
