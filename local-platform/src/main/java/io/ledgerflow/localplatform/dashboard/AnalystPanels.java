package io.ledgerflow.localplatform.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analyst panels the local dashboard page draws, with the very SQL of the Grafana dashboard
 * {@code dashboards/grafana/dashboards/ledgerflow-analysts.json} (copied into this module's classes
 * by the build), whose every panel {@code AnalystPanelsITCase} runs against seeded data. The page
 * shows what Grafana would with the selection <em>All partners, all currencies, window level 1m,
 * the last hour</em>: that is how the Grafana macros are expanded here ({@link #expand}).
 */
public final class AnalystPanels {

    /** The panels the page draws, by their title on the Grafana dashboard. */
    static final List<String> TITLES =
            List.of(
                    "Decisions",
                    "Approval rate",
                    "Refusals",
                    "Late decisions",
                    "Decisions by partner",
                    "Value by currency",
                    "Volume and value by partner and currency",
                    "Refusals by reason",
                    "Fraud alerts by rule",
                    "Fraud alerts by partner");

    static final String DASHBOARD = "/dashboard/grafana/ledgerflow-analysts.json";

    /** The window level the page shows: the finest, so a new run has figures within a minute. */
    static final String LEVEL = "1m";

    /** The time range the page shows, in ClickHouse's interval syntax. */
    static final String RANGE = "1 HOUR";

    private static final Pattern MACRO =
            Pattern.compile("\\$__(timeFilter|timeInterval)\\(([^)]+)\\)");

    private final Map<String, String> sqlByTitle;
    private final String jdbcUrl;

    /** The panels of the dashboard, reading ClickHouse at {@code jdbcUrl} (with its database). */
    public AnalystPanels(String jdbcUrl) throws IOException {
        this.jdbcUrl = jdbcUrl;
        this.sqlByTitle = readPanels();
    }

    private static Map<String, String> readPanels() throws IOException {
        JsonNode dashboard;
        try (InputStream in = AnalystPanels.class.getResourceAsStream(DASHBOARD)) {
            if (in == null) {
                throw new IllegalStateException(DASHBOARD + " missing from the class path: build");
            }
            dashboard = new ObjectMapper().readTree(in);
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            JsonNode sql = panel.path("targets").path(0).path("rawSql");
            if (TITLES.contains(title) && sql.isTextual()) {
                found.put(title, expand(sql.asText()));
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String title : TITLES) {
            String sql = found.get(title);
            if (sql == null) {
                throw new IllegalStateException(
                        "the analysts' dashboard has no ClickHouse panel \"" + title + "\"");
            }
            ordered.put(title, sql);
        }
        return ordered;
    }

    /**
     * A panel's SQL as Grafana would send it for All partners and currencies, level {@value
     * #LEVEL}, the last {@value #RANGE}; {@code GrafanaClickHouseMacros} (the dashboards' tests)
     * does the same in full, for any selection. Anything else starting with {@code $} is refused.
     */
    static String expand(String sql) {
        String out = conditionalAll(sql).replace("${level}", LEVEL);
        Matcher m = MACRO.matcher(out);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String column = m.group(2).trim();
            String replacement =
                    m.group(1).equals("timeFilter")
                            ? column + " >= now() - INTERVAL " + RANGE
                            : "toStartOfInterval(toDateTime(" + column + "), INTERVAL 60 second)";
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        out = b.toString();
        if (out.contains("$")) {
            throw new IllegalStateException(
                    "a Grafana macro the local page does not expand: " + sql);
        }
        return out;
    }

    /** {@code $__conditionalAll(condition, $var)} is {@code 1=1}: every variable selects All. */
    private static String conditionalAll(String sql) {
        String marker = "$__conditionalAll(";
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        while ((at = sql.indexOf(marker, from)) >= 0) {
            out.append(sql, from, at).append("1=1");
            int depth = 1;
            int i = at + marker.length();
            while (depth > 0) {
                if (i >= sql.length()) {
                    throw new IllegalStateException("unbalanced $__conditionalAll in: " + sql);
                }
                char c = sql.charAt(i++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            from = i;
        }
        return out.append(sql.substring(from)).toString();
    }

    /** The SQL the page runs for each panel, in the page's order. */
    public Map<String, String> sql() {
        return sqlByTitle;
    }

    /**
     * Runs every panel: per title its columns and rows, or the error ClickHouse gave (the page
     * shows it in the panel's place rather than failing whole).
     */
    public List<Map<String, Object>> run() {
        List<Map<String, Object>> panels = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            for (Map.Entry<String, String> panel : sqlByTitle.entrySet()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("title", panel.getKey());
                try (ResultSet rs = s.executeQuery(panel.getValue())) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i));
                    }
                    List<List<Object>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(json(rs, i, meta.getColumnType(i)));
                        }
                        rows.add(row);
                    }
                    result.put("columns", columns);
                    result.put("rows", rows);
                } catch (SQLException e) {
                    result.put("error", e.getMessage());
                }
                panels.add(result);
            }
        } catch (SQLException e) {
            panels.add(Map.of("title", "ClickHouse", "error", e.getMessage()));
        }
        return panels;
    }

    /**
     * Numbers as numbers (Decimal sums as doubles: the page draws them), times as epoch millis.
     * Times are read as {@code ZonedDateTime}, which keeps the column's time zone: the driver's
     * {@code Timestamp} is the column's wall-clock time in this JVM's zone, an hour or more off the
     * real instant wherever the JVM is not on UTC.
     */
    private static Object json(ResultSet rs, int column, int sqlType) throws SQLException {
        if (sqlType == Types.TIMESTAMP || sqlType == Types.TIMESTAMP_WITH_TIMEZONE) {
            ZonedDateTime time = rs.getObject(column, ZonedDateTime.class);
            return time == null ? null : time.toInstant().toEpochMilli();
        }
        Object value = rs.getObject(column);
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Number n) {
            return n;
        }
        return String.valueOf(value);
    }
}
