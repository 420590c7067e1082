package io.ledgerflow.dashboards.testutils;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana and the ClickHouse data source plugin ({@code grafana-clickhouse-datasource} 4.x) do
 * to a panel's SQL before ClickHouse sees it, so that the tests run the very statement a dashboard
 * would send. The three steps, in the plugin's order:
 *
 * <ol>
 *   <li>{@code $__conditionalAll(condition, $var)} (the plugin's front end): {@code 1=1} when the
 *       variable selects All (or nothing), else the condition.
 *   <li>Template variables (Grafana): {@code $var}, {@code ${var}} and {@code ${var:format}} with
 *       the formats {@code singlequote} ({@code 'a','b'}, quotes escaped with a backslash) and
 *       {@code sqlstring} ({@code 'a','b'}, quotes doubled). Without a format, one value is
 *       inserted as it is and several as {@code 'a','b'} (the plugin's own formatter). All, with no
 *       custom all value, stands for every option of the variable, as in Grafana.
 *   <li>The plugin's server-side macros (pkg/macros), with the selection's time range and interval:
 *       {@code $__timeFilter(c)} ({@code c >= toDateTime(from) AND c <= toDateTime(to)}, seconds),
 *       {@code $__timeFilter_ms(c)} (milliseconds, {@code fromUnixTimestamp64Milli}), {@code
 *       $__dateFilter(c)}, {@code $__fromTime}, {@code $__toTime}, {@code $__fromTime_ms}, {@code
 *       $__toTime_ms}, {@code $__timeInterval(c)} ({@code toStartOfInterval(toDateTime(c), INTERVAL
 *       n second)}), {@code $__timeInterval_ms(c)} and {@code $__interval_s}.
 * </ol>
 *
 * <p>Anything else that starts with {@code $} is refused: a macro this class does not know would
 * otherwise reach ClickHouse as text and fail there with a less helpful message, or worse, a
 * misspelt variable would silently stay in a string literal.
 */
public final class GrafanaClickHouseMacros {

    /** A variable's state in a {@link Selection}: what is selected and what it could select. */
    public record Variable(List<String> selected, boolean all, List<String> options) {

        /** All selected (Grafana's {@code $__all}); {@code options} are what All stands for. */
        public static Variable all(List<String> options) {
            return new Variable(List.of(), true, options);
        }

        /** These values selected. */
        public static Variable of(String... values) {
            return new Variable(List.of(values), false, List.of(values));
        }

        List<String> values() {
            return all ? options : selected;
        }
    }

    /** A dashboard's state when it runs a panel: time range, interval, variables. */
    public record Selection(
            Instant from, Instant to, Duration interval, Map<String, Variable> variables) {

        public Selection {
            variables = new LinkedHashMap<>(variables);
        }

        /** The same selection with one variable changed. */
        public Selection with(String name, Variable variable) {
            Map<String, Variable> changed = new LinkedHashMap<>(variables);
            changed.put(name, variable);
            return new Selection(from, to, interval, changed);
        }

        Variable variable(String name) {
            Variable v = variables.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no value for variable $" + name);
            }
            return v;
        }
    }

    private static final String CONDITIONAL_ALL = "$__conditionalAll(";
    private static final Pattern VARIABLE =
            Pattern.compile(
                    "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?}|\\$([A-Za-z][A-Za-z0-9_]*)");
    private static final Pattern MACRO = Pattern.compile("\\$__([A-Za-z_]+)");
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private GrafanaClickHouseMacros() {}

    /** The statement ClickHouse would receive for {@code sql} under {@code selection}. */
    public static String expand(String sql, Selection selection) {
        String expanded = macros(variables(conditionalAll(sql, selection), selection), selection);
        if (expanded.contains("$")) {
            throw new IllegalArgumentException(
                    "left unexpanded (unknown macro or variable syntax): " + expanded);
        }
        return expanded;
    }

    /** Step 1. Innermost-last like the plugin: it scans from the last occurrence backwards. */
    static String conditionalAll(String sql, Selection selection) {
        int at = sql.lastIndexOf(CONDITIONAL_ALL);
        while (at >= 0) {
            int open = at + CONDITIONAL_ALL.length() - 1;
            int close = closingParenthesis(sql, open);
            List<String> args = arguments(sql.substring(open + 1, close));
            if (args.size() != 2) {
                throw new IllegalArgumentException(
                        "$__conditionalAll takes a condition and a variable: "
                                + sql.substring(at, close + 1));
            }
            String reference = args.get(1).strip();
            String name = reference.replaceAll("^\\$\\{?|}$", "");
            Variable v = selection.variable(name);
            String replacement = v.all() || v.selected().isEmpty() ? "1=1" : args.get(0).strip();
            sql = sql.substring(0, at) + replacement + sql.substring(close + 1);
            at = sql.lastIndexOf(CONDITIONAL_ALL, at - 1);
        }
        return sql;
    }

    /** Step 2. {@code $__name} is a macro, left for step 3. */
    static String variables(String sql, Selection selection) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            if (name.startsWith("__")) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            List<String> values = selection.variable(name).values();
            String value = format(values, m.group(2), name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String format(List<String> values, String format, String name) {
        if (format == null) {
            return values.size() == 1
                    ? values.get(0)
                    : values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(","));
        }
        return switch (format) {
            case "singlequote" ->
                    values.stream()
                            .map(v -> "'" + v.replace("'", "\\'") + "'")
                            .collect(Collectors.joining(","));
            case "sqlstring" ->
                    values.stream()
                            .map(v -> "'" + v.replace("'", "''") + "'")
                            .collect(Collectors.joining(","));
            default ->
                    throw new IllegalArgumentException(
                            "format " + format + " of $" + name + " is not supported here");
        };
    }

    /** Step 3. */
    static String macros(String sql, Selection selection) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        Matcher m = MACRO.matcher(sql);
        while (m.find(from)) {
            out.append(sql, from, m.start());
            String name = m.group(1);
            List<String> args = List.of();
            int end = m.end();
            if (end < sql.length() && sql.charAt(end) == '(') {
                int close = closingParenthesis(sql, end);
                args = arguments(sql.substring(end + 1, close));
                end = close + 1;
            }
            out.append(macro(name, args, selection));
            from = end;
        }
        out.append(sql.substring(from));
        return out.toString();
    }

    private static String macro(String name, List<String> args, Selection s) {
        long fromSeconds = s.from().getEpochSecond();
        long toSeconds = s.to().getEpochSecond();
        long intervalSeconds = Math.max(s.interval().toSeconds(), 1);
        long intervalMillis = Math.max(s.interval().toMillis(), 1);
        return switch (name) {
            case "fromTime" -> "toDateTime(" + fromSeconds + ")";
            case "toTime" -> "toDateTime(" + toSeconds + ")";
            case "fromTime_ms" -> "fromUnixTimestamp64Milli(" + s.from().toEpochMilli() + ")";
            case "toTime_ms" -> "fromUnixTimestamp64Milli(" + s.to().toEpochMilli() + ")";
            case "timeFilter" ->
                    between(
                            one(name, args),
                            "toDateTime(" + fromSeconds + ")",
                            "toDateTime(" + toSeconds + ")");
            case "timeFilter_ms" ->
                    between(
                            one(name, args),
                            "fromUnixTimestamp64Milli(" + s.from().toEpochMilli() + ")",
                            "fromUnixTimestamp64Milli(" + s.to().toEpochMilli() + ")");
            case "dateFilter" ->
                    between(
                            one(name, args),
                            "toDate('" + DATE.format(s.from()) + "')",
                            "toDate('" + DATE.format(s.to()) + "')");
            case "timeInterval" ->
                    "toStartOfInterval(toDateTime("
                            + one(name, args)
                            + "), INTERVAL "
                            + intervalSeconds
                            + " second)";
            case "timeInterval_ms" ->
                    "toStartOfInterval(toDateTime64("
                            + one(name, args)
                            + ", 3), INTERVAL "
                            + intervalMillis
                            + " millisecond)";
            case "interval_s" -> Long.toString(intervalSeconds);
            default -> throw new IllegalArgumentException("unknown macro $__" + name);
        };
    }

    private static String between(String column, String from, String to) {
        return column + " >= " + from + " AND " + column + " <= " + to;
    }

    private static String one(String macro, List<String> args) {
        if (args.size() != 1 || args.get(0).isBlank()) {
            throw new IllegalArgumentException("$__" + macro + " takes one argument: " + args);
        }
        return args.get(0).strip();
    }

    /** The index of the parenthesis closing the one at {@code open}, skipping quoted text. */
    private static int closingParenthesis(String sql, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses after: " + sql.substring(open));
    }

    /** Top-level, comma-separated arguments (commas inside parentheses or quotes stay). */
    private static List<String> arguments(String inside) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(inside.substring(start, i));
                start = i + 1;
            }
        }
        args.add(inside.substring(start));
        return args;
    }
}
