package io.ledgerflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ledgerflow.dashboards.testutils.AlertRules;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards;
import io.ledgerflow.dashboards.testutils.GrafanaPromQl;
import io.ledgerflow.dashboards.testutils.GrafanaPromQl.Expression;
import io.ledgerflow.dashboards.testutils.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression the SRE dashboards and the alert rules hold, checked by Prometheus' own
 * parser ({@code promtool check rules}), and the alert rules' unit tests ({@code promtool test
 * rules dashboards/prometheus/alerts.test.yml}). A metric name typo is still valid PromQL, so the
 * unit tests are what prove that the alerts fire on the series the jobs and the API export.
 */
class PromQlExpressionsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where the generated rule files go: {@code dashboards/target/promtool}. */
    private static Path work;

    @BeforeAll
    static void workDirectory() throws IOException {
        work = Path.of(System.getProperty("dashboards.work", "target/promtool")).toAbsolutePath();
        Files.createDirectories(work);
    }

    @Test
    void everyDashboardExpressionParses() throws IOException {
        List<Expression> expressions = GrafanaPromQl.all();
        // Both the panels and the variables of the SRE dashboard: far more than a handful.
        assertThat(expressions).hasSizeGreaterThan(25);
        ObjectNode rules = YAML.createObjectNode();
        ArrayNode group =
                rules.putArray("groups").addObject().put("name", "dashboards").putArray("rules");
        int n = 0;
        for (Expression e : expressions) {
            assertThat(e.promQl()).as(e.origin()).isNotBlank().doesNotContain("$");
            // One recording rule per expression; the record name says where it comes from in
            // promtool's error messages.
            group.addObject()
                    .put("record", "ledgerflow_dashboard_expression_" + n++)
                    .put("expr", e.promQl());
        }
        Path file = work.resolve("dashboards.rules.yml");
        YAML.writeValue(file.toFile(), rules);

        Promtool.Result result =
                Promtool.run(work, "check", "rules", file.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void promtoolRefusesAnExpressionThatDoesNotParse() throws IOException {
        // The check above is only worth something if promtool really parses what it is given.
        Path file = work.resolve("broken.rules.yml");
        Files.writeString(
                file,
                """
                groups:
                  - name: broken
                    rules:
                      - record: broken
                        expr: sum by (job_name) (rate(flink_jobmanager_job_numRestarts[5m])
                """);

        Promtool.Result result =
                Promtool.run(work, "check", "rules", file.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("FAILED");
    }

    @Test
    void alertRulesParse() throws IOException {
        int alerts = writeAlertRules().size();

        Promtool.Result result = Promtool.run(work, "check", "rules", "alerts.rules.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alerts + " rules found");
    }

    @Test
    void alertRulesPassTheirUnitTests() throws IOException {
        Set<String> alerts = writeAlertRules();
        Path tests = GrafanaDashboards.root().resolve("dashboards/prometheus/alerts.test.yml");
        Files.copy(
                tests,
                work.resolve("alerts.test.yml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Promtool.Result result = Promtool.run(work, "test", "rules", "alerts.test.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");

        // Every alert fires in some test, and is quiet at some other moment.
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : YAML.readTree(tests.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String name = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
            }
        }
        assertThat(firing).as("alerts with a test where they fire").isEqualTo(alerts);
        assertThat(quiet).as("alerts with a test where they stay quiet").isEqualTo(alerts);
    }

    /**
     * The alert rules' {@code spec.groups} (rendered for prod: {@link AlertRules}) written to
     * {@code alerts.rules.yml}, the plain rules file promtool reads; the alert names.
     */
    private static Set<String> writeAlertRules() throws IOException {
        JsonNode rule = AlertRules.prometheusRule();
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        ObjectNode rules = YAML.createObjectNode();
        rules.set("groups", rule.at("/spec/groups"));
        YAML.writeValue(work.resolve("alerts.rules.yml").toFile(), rules);
        Set<String> alerts = new TreeSet<>();
        AlertRules.alerts().forEach(r -> alerts.add(r.path("alert").asText()));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        return alerts;
    }
}
