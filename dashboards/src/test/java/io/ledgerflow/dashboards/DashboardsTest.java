package io.ledgerflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ledgerflow.dashboards.testutils.AlertRules;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Dashboard;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards.Panel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboards are valid Grafana JSON that the provisioning files load, use only the provisioned
 * data sources and the variables they define, and every alert's runbook section points to a panel
 * that shows what the alert watches.
 */
class DashboardsTest {

    /** Grafana 12's dashboard schema version: what a dashboard saved by it carries. */
    static final int SCHEMA_VERSION = 42;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern VARIABLE_REFERENCE =
            Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)[:}]|\\$([A-Za-z][A-Za-z0-9_]*)");

    @Test
    void everyDashboardIsWellFormed() {
        List<Dashboard> dashboards = GrafanaDashboards.all();
        assertThat(dashboards)
                .extracting(Dashboard::uid)
                .containsExactlyInAnyOrder("ledgerflow-analysts", "ledgerflow-sre");
        assertThat(dashboards).extracting(Dashboard::title).doesNotHaveDuplicates();
        for (Dashboard d : dashboards) {
            assertThat(d.json().path("schemaVersion").asInt())
                    .as(d.toString())
                    .isEqualTo(SCHEMA_VERSION);
            assertThat(d.uid()).as(d.toString()).matches("[a-z0-9-]{1,40}");
            // Ids of rows and panels together: Grafana keys panel state and links by them.
            List<Integer> ids = new ArrayList<>();
            d.json()
                    .path("panels")
                    .forEach(
                            p -> {
                                ids.add(p.path("id").asInt());
                                p.path("panels")
                                        .forEach(inner -> ids.add(inner.path("id").asInt()));
                            });
            assertThat(ids).as(d + " panel ids").doesNotHaveDuplicates().doesNotContain(0);
            assertThat(d.panels()).as(d + " panels").hasSizeGreaterThan(10);
            assertThat(d.panels())
                    .extracting(Panel::title)
                    .as(d + " panel titles")
                    .doesNotHaveDuplicates();
            for (Panel p : d.panels()) {
                JsonNode grid = p.json().path("gridPos");
                assertThat(grid.path("w").asInt()).as(p + " width").isPositive();
                assertThat(grid.path("h").asInt()).as(p + " height").isPositive();
                assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                        .as(p + " fits 24 columns")
                        .isLessThanOrEqualTo(24);
                assertThat(p.json().path("description").asText())
                        .as(p + " description")
                        .isNotBlank();
                assertThat(p.datasourceType())
                        .as(p.toString())
                        .isIn(GrafanaDashboards.CLICKHOUSE, GrafanaDashboards.PROMETHEUS);
                assertThat(p.targets()).as(p + " queries").isNotEmpty();
                assertThat(p.targets())
                        .extracting(t -> t.path("refId").asText())
                        .as(p.toString())
                        .doesNotHaveDuplicates();
                for (JsonNode t : p.targets()) {
                    assertThat(t.path("datasource"))
                            .as(p + " query data source")
                            .isEqualTo(p.json().path("datasource"));
                    if (p.datasourceType().equals(GrafanaDashboards.CLICKHOUSE)) {
                        assertThat(t.path("editorType").asText()).as(p.toString()).isEqualTo("sql");
                        assertThat(t.path("rawSql").asText()).as(p.toString()).isNotBlank();
                        // Time series panels need the plugin's time series format (0): it turns
                        // the long result (time, label columns, value) into one series per label.
                        int format = p.type().equals("timeseries") ? 0 : 1;
                        assertThat(t.path("format").asInt(-1)).as(p + " format").isEqualTo(format);
                        assertThat(t.path("queryType").asText())
                                .as(p + " queryType")
                                .isEqualTo(format == 0 ? "timeSeries" : "table");
                    } else {
                        assertThat(t.path("expr").asText()).as(p.toString()).isNotBlank();
                    }
                }
            }
        }
    }

    @Test
    void panelsDoNotOverlap() {
        // Grafana pushes overlapping panels down on load, so the layout in the file would not be
        // the one people see (rows included: they take a grid line each).
        for (Dashboard d : GrafanaDashboards.all()) {
            List<JsonNode> all = new ArrayList<>();
            d.json().path("panels").forEach(all::add);
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    JsonNode a = all.get(i).path("gridPos");
                    JsonNode b = all.get(j).path("gridPos");
                    boolean apart =
                            a.path("x").asInt() + a.path("w").asInt() <= b.path("x").asInt()
                                    || b.path("x").asInt() + b.path("w").asInt()
                                            <= a.path("x").asInt()
                                    || a.path("y").asInt() + a.path("h").asInt()
                                            <= b.path("y").asInt()
                                    || b.path("y").asInt() + b.path("h").asInt()
                                            <= a.path("y").asInt();
                    assertThat(apart)
                            .as(
                                    d
                                            + ": "
                                            + all.get(i).path("title").asText()
                                            + " and "
                                            + all.get(j).path("title").asText()
                                            + " overlap")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void panelsAndVariablesUseTheProvisionedDataSources() throws IOException {
        JsonNode provisioning =
                YAML.readTree(
                        GrafanaDashboards.grafanaDirectory()
                                .resolve("provisioning/datasources/ledgerflow.yaml")
                                .toFile());
        Map<String, String> types = new HashMap<>();
        provisioning
                .path("datasources")
                .forEach(ds -> types.put(ds.path("uid").asText(), ds.path("type").asText()));
        assertThat(types)
                .containsEntry("ledgerflow-clickhouse", GrafanaDashboards.CLICKHOUSE)
                .containsEntry("ledgerflow-prometheus", GrafanaDashboards.PROMETHEUS);
        for (Dashboard d : GrafanaDashboards.all()) {
            for (Panel p : d.panels()) {
                assertThat(types)
                        .as(p + " data source")
                        .containsEntry(p.datasourceUid(), p.datasourceType());
            }
            for (JsonNode v : d.variables()) {
                if (v.has("datasource")) {
                    assertThat(types)
                            .as(d + " variable " + v.path("name").asText())
                            .containsEntry(
                                    v.at("/datasource/uid").asText(),
                                    v.at("/datasource/type").asText());
                }
            }
        }
        // Every analyst panel on ClickHouse, every SRE panel on Prometheus.
        assertThat(GrafanaDashboards.byUid("ledgerflow-analysts").panels())
                .allMatch(p -> p.datasourceType().equals(GrafanaDashboards.CLICKHOUSE));
        assertThat(GrafanaDashboards.byUid("ledgerflow-sre").panels())
                .allMatch(p -> p.datasourceType().equals(GrafanaDashboards.PROMETHEUS));
    }

    @Test
    void theDashboardProviderReadsFiles() throws IOException {
        JsonNode provisioning =
                YAML.readTree(
                        GrafanaDashboards.grafanaDirectory()
                                .resolve("provisioning/dashboards/ledgerflow.yaml")
                                .toFile());
        assertThat(provisioning.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = provisioning.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.at("/options/path").asText()).startsWith("/");
        // The repository is the source of truth: the tests only check what is in the files.
        assertThat(provider.path("allowUiUpdates").asBoolean(true)).isFalse();
    }

    @Test
    void everyAnalystPanelFollowsTheTimeRangePartnerAndCurrency() {
        // A panel that ignored the picker or the variables would show figures the person did not
        // ask for, next to panels that follow them.
        for (Panel p : GrafanaDashboards.panelsOf(GrafanaDashboards.CLICKHOUSE)) {
            String sql = p.targets().get(0).path("rawSql").asText();
            assertThat(sql)
                    .as(p.toString())
                    .contains("$__timeFilter(")
                    .contains("$__conditionalAll(partner_id IN (${partner:singlequote}), $partner)")
                    .contains(
                            "$__conditionalAll(currency IN (${currency:singlequote}), $currency)");
        }
    }

    @Test
    void everyVariableUsedIsDefinedAndEveryDefinedOneIsUsed() {
        for (Dashboard d : GrafanaDashboards.all()) {
            Set<String> defined = new TreeSet<>();
            d.variables().forEach(v -> defined.add(v.path("name").asText()));
            Set<String> used = new TreeSet<>();
            List<String> texts = new ArrayList<>();
            for (Panel p : d.panels()) {
                texts.add(p.title());
                p.targets()
                        .forEach(
                                t ->
                                        texts.add(
                                                t.path("rawSql").asText()
                                                        + " "
                                                        + t.path("expr").asText()));
            }
            d.json().path("panels").forEach(p -> texts.add(p.path("title").asText()));
            for (String text : texts) {
                Matcher m = VARIABLE_REFERENCE.matcher(text);
                while (m.find()) {
                    used.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
            assertThat(used).as(d + " variables used").isEqualTo(defined);
        }
    }

    @Test
    void everyAlertPointsToAPanelThatShowsItsMetric() throws IOException {
        Path root = GrafanaDashboards.root();
        String runbook = GrafanaDashboards.read(root.resolve("docs/runbook.md"));
        Pattern link = Pattern.compile("Dashboard: \\*([^*]+)\\*, panel \\*([^*]+)\\*");
        // The metric names (MetricNamesTest's prefixes), with or without a selector after them;
        // label values are strings, not metrics.
        Pattern metric =
                Pattern.compile(
                        "\\b((?:ingest|webhook|notifier|flink|kafka|kube|ledgerflow)_[A-Za-z0-9_:]+)");
        Set<String> alerts = new HashSet<>();
        for (JsonNode alert : AlertRules.alerts()) {
            String name = alert.path("alert").asText();
            alerts.add(name);
            String section = section(runbook, name);
            Matcher m = link.matcher(section);
            assertThat(m.find())
                    .as(
                            "runbook section "
                                    + name
                                    + " names its dashboard panel as"
                                    + " 'Dashboard: *<dashboard>*, panel *<panel>*'")
                    .isTrue();
            Dashboard dashboard =
                    GrafanaDashboards.all().stream()
                            .filter(d -> d.title().equals(m.group(1)))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    name + ": no dashboard " + m.group(1)));
            Panel panel = dashboard.panel(m.group(2));
            Set<String> metrics = new TreeSet<>();
            Matcher mm =
                    metric.matcher(alert.path("expr").asText().replaceAll("\"[^\"]*\"", "\"\""));
            while (mm.find()) {
                metrics.add(mm.group(1));
            }
            String panelExprs =
                    String.join(
                            " ",
                            panel.targets().stream().map(t -> t.path("expr").asText()).toList());
            assertThat(metrics).as(name + " queries a metric").isNotEmpty();
            assertThat(metrics)
                    .as(name + " metrics shown by " + panel)
                    .anyMatch(panelExprs::contains);
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
    }

    /** The text under {@code ### name} up to the next heading of level 2 or 3. */
    private static String section(String markdown, String name) {
        Matcher start =
                Pattern.compile("(?m)^### " + Pattern.quote(name) + "\\s*$").matcher(markdown);
        assertThat(start.find()).as("runbook heading ### " + name).isTrue();
        Matcher end = Pattern.compile("(?m)^#{2,3} ").matcher(markdown);
        int to = end.find(start.end()) ? end.start() : markdown.length();
        return markdown.substring(start.end(), to);
    }
}
