package io.ledgerflow.readmodel.history;

import io.ledgerflow.readmodel.ReadModelConnections;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconciliation's results for the admin routes (issue 17; tables of migration V12, written by
 * the sinks module's reconcile and import-statement commands): mismatches between the ledger and
 * the stores, and a statement's matches and exceptions, each with its age as of now. Rows come back
 * as ordered maps of camel-case names to values (text, numbers, or null), in the order the API
 * shows them.
 */
public final class PostgresReconciliation {

    /** Most rows one answer holds. */
    public static final int MAX_ROWS = 1_000;

    private static final String MISMATCHES =
            "SELECT kind, partner_id AS \"partnerId\", currency,"
                    + " to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                    + " AS \"windowStart\","
                    + " to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                    + " AS \"windowEnd\", subject, expected, found, detail, status,"
                    + " to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                    + " AS \"firstSeen\","
                    + " to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                    + " AS \"lastSeen\","
                    + " to_char(cleared_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                    + " AS \"clearedTime\","
                    + " floor(extract(epoch FROM (coalesce(cleared_time, now()) - first_seen)))::bigint"
                    + " AS \"ageSeconds\""
                    + " FROM reconciliation WHERE (? OR status = ?)"
                    + " ORDER BY first_seen, kind, partner_id, currency, window_start, subject LIMIT ?";

    private static final String MATCHES =
            "SELECT item, result, matched_by AS \"matchedBy\", line_number AS \"lineNumber\","
                    + " partner_id AS \"partnerId\", transaction_id AS \"transactionId\","
                    + " movement_type AS \"movementType\", amount_minor AS \"amountMinor\","
                    + " trim(currency) AS currency, to_char(item_date, 'YYYY-MM-DD') AS \"itemDate\","
                    + " reference, CASE WHEN result = 'MATCHED' THEN NULL"
                    + " ELSE (current_date - item_date) END AS \"ageDays\""
                    + " FROM statement_matches WHERE statement_id = ? AND (? OR result = ?)"
                    + " ORDER BY item LIMIT ?";

    private final ReadModelConnections connections;

    public PostgresReconciliation(ReadModelConnections connections) {
        this.connections = connections;
    }

    /** Mismatches with {@code status} (OPEN or CLEARED), or all when null; oldest first. */
    public List<Map<String, Object>> mismatches(String status) {
        return rows(MISMATCHES, status == null, status == null ? "" : status);
    }

    /** A statement's results with {@code result}, or all when null; by item. */
    public List<Map<String, Object>> statementMatches(String statementId, String result) {
        return connections.run(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(MATCHES)) {
                        ps.setString(1, statementId);
                        ps.setBoolean(2, result == null);
                        ps.setString(3, result == null ? "" : result);
                        ps.setInt(4, MAX_ROWS);
                        return read(ps);
                    }
                });
    }

    private List<Map<String, Object>> rows(String sql, boolean all, String status) {
        return connections.run(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setBoolean(1, all);
                        ps.setString(2, status);
                        ps.setInt(3, MAX_ROWS);
                        return read(ps);
                    }
                });
    }

    private static List<Map<String, Object>> read(PreparedStatement ps) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
