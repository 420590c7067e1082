package io.ledgerflow.dashboards.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Dashboard;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Panel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL a Prometheus panel or variable would send, with Grafana's variables replaced so that
 * promtool can parse it: {@code $__rate_interval}, {@code $__interval} and {@code $__range} become
 * durations, a dashboard variable its custom all value (or {@code .*}), which is what All sends.
 * Every variable of the Prometheus dashboards is used inside a label matcher's quotes, so any value
 * keeps the expression's syntax; one used elsewhere would make promtool fail on it, which is the
 * point.
 */
public final class GrafanaPromQl {

    /** One expression and where it comes from. */
    public record Expression(String origin, String promQl) {}

    private static final Pattern VARIABLE =
            Pattern.compile(
                    "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::[A-Za-z]+)?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Grafana's {@code label_values(selector, label)} variable query. */
    private static final Pattern LABEL_VALUES =
            Pattern.compile(
                    "^label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\)$", Pattern.DOTALL);

    private GrafanaPromQl() {}

    /**
     * Every target of every Prometheus panel, and every Prometheus variable query (the selector of
     * {@code label_values(...)}, or a {@code query_result(...)}'s expression), expanded.
     */
    public static List<Expression> all() {
        List<Expression> expressions = new ArrayList<>();
        for (Dashboard d : GrafanaDashboards.all()) {
            for (Panel p : d.panels()) {
                if (!p.datasourceType().equals(GrafanaDashboards.PROMETHEUS)) {
                    continue;
                }
                for (JsonNode t : p.targets()) {
                    expressions.add(
                            new Expression(
                                    p.key() + " [" + t.path("refId").asText() + "]",
                                    expand(d, t.path("expr").asText())));
                }
            }
            for (JsonNode v : d.variables()) {
                if (v.path("type").asText().equals("query")
                        && v.path("datasource")
                                .path("type")
                                .asText()
                                .equals(GrafanaDashboards.PROMETHEUS)) {
                    expressions.add(
                            new Expression(
                                    d.title() + " / variable $" + v.path("name").asText(),
                                    expand(d, variableExpression(v.path("query").asText()))));
                }
            }
        }
        return expressions;
    }

    /** The PromQL inside a variable query. */
    static String variableExpression(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query.strip());
        if (labelValues.matches()) {
            return labelValues.group(1);
        }
        if (query.startsWith("query_result(") && query.endsWith(")")) {
            return query.substring("query_result(".length(), query.length() - 1);
        }
        throw new IllegalArgumentException(
                "not a Prometheus variable query this test knows: " + query);
    }

    /** {@code expr} with Grafana's variables replaced (see the class comment). */
    public static String expand(Dashboard dashboard, String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value =
                    switch (name) {
                        case "__rate_interval", "__interval" -> "1m";
                        case "__range" -> "1h";
                        default -> {
                            JsonNode v = dashboard.variable(name);
                            yield v.hasNonNull("allValue") ? v.path("allValue").asText() : ".*";
                        }
                    };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
