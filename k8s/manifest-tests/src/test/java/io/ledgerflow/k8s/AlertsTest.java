package io.ledgerflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.k8s.testutils.Manifests;
import io.ledgerflow.k8s.testutils.Manifests.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules and scrape targets are well-formed, and every alert is explained in the
 * runbook: an alert nobody can act on at 3 am is noise.
 */
class AlertsTest {

    @Test
    void everyAlertIsWellFormedAndExplainedInTheRunbook() {
        String runbook = Manifests.read(Manifests.root().resolve("docs/runbook.md"));
        Set<String> headings = headings(runbook);
        for (String env : Manifests.ENVIRONMENTS) {
            List<JsonNode> alerts = alerts(env);
            assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
            for (JsonNode rule : alerts) {
                String name = rule.path("alert").asText();
                assertThat(name).matches("[A-Z][A-Za-z0-9]+");
                assertThat(rule.path("expr").asText()).as(name).isNotBlank();
                assertThat(balanced(rule.path("expr").asText())).as(name + " parentheses").isTrue();
                assertThat(rule.path("for").asText()).as(name).matches("\\d+[smh]");
                assertThat(rule.at("/labels/severity").asText()).isIn("warning", "critical");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
                String anchor = name.toLowerCase(Locale.ROOT);
                assertThat(rule.at("/annotations/runbook").asText())
                        .isEqualTo("docs/runbook.md#" + anchor);
                assertThat(headings).as("a runbook heading for " + name).contains(anchor);
            }
        }
    }

    /** The Flink jobs that run (their names in {@code env.execute}, the job_name metric label). */
    private static final Set<String> FLINK_JOBS =
            Set.of(
                    io.ledgerflow.jobs.ledger.LedgerJobConfig.JOB_NAME,
                    io.ledgerflow.sinks.SinksConfig.JOB_NAME);

    @Test
    void flinkAlertsNameTheJobsThatExist() {
        for (JsonNode rule : alerts("prod")) {
            Matcher job =
                    Pattern.compile("job_name=\"([^\"]+)\"").matcher(rule.path("expr").asText());
            while (job.find()) {
                assertThat(job.group(1)).isIn(FLINK_JOBS);
            }
        }
    }

    @Test
    void everyFlinkAlertCoversEveryFlinkJob() {
        for (String env : Manifests.ENVIRONMENTS) {
            for (JsonNode rule : alerts(env)) {
                String expr = rule.path("expr").asText();
                Matcher matcher =
                        Pattern.compile("job_name\\s*(=~|=)\\s*\"([^\"]+)\"").matcher(expr);
                List<String[]> matchers = new ArrayList<>();
                while (matcher.find()) {
                    matchers.add(new String[] {matcher.group(1), matcher.group(2)});
                }
                if (matchers.isEmpty()) {
                    continue; // not about a Flink job (dead letters, ingest API)
                }
                for (String job : FLINK_JOBS) {
                    assertThat(matchers)
                            .as(rule.path("alert").asText() + " covers " + job)
                            .anySatisfy(
                                    m -> {
                                        if (m[0].equals("=")) {
                                            assertThat(job).isEqualTo(m[1]);
                                        } else {
                                            assertThat(job).matches(m[1]);
                                        }
                                    });
                }
            }
        }
    }

    @Test
    void podMonitorsScrapeNamedPortsThatThePodsExpose() {
        for (String env : Manifests.ENVIRONMENTS) {
            List<Manifest> monitors = Manifests.ofKind(env, "PodMonitor");
            assertThat(monitors).hasSize(3);
            String flinkPort =
                    Manifests.find(env, "FlinkDeployment", "ledger")
                            .node()
                            .at("/spec/podTemplate/spec/containers/0/ports/0/name")
                            .asText();
            for (Manifest flink : Manifests.ofKind(env, "FlinkDeployment")) {
                assertThat(
                                flink.node()
                                        .at("/spec/podTemplate/spec/containers/0/ports/0/name")
                                        .asText())
                        .as(flink.toString())
                        .isEqualTo(flinkPort);
                // The ledgerflow-flink PodMonitor selects by this label.
                assertThat(
                                flink.node()
                                        .at("/spec/podTemplate/metadata/labels")
                                        .path("app.kubernetes.io/part-of")
                                        .asText())
                        .isEqualTo("ledgerflow");
            }
            String apiPort =
                    Manifests.find(env, "Deployment", "ingest-api")
                            .node()
                            .at("/spec/template/spec/containers/0/ports/0/name")
                            .asText();
            String notifierPort =
                    Manifests.find(env, "Deployment", "notifier")
                            .node()
                            .at("/spec/template/spec/containers/0/ports/0/name")
                            .asText();
            assertThat(monitors)
                    .extracting(m -> m.node().at("/spec/podMetricsEndpoints/0/port").asText())
                    .containsExactlyInAnyOrder(flinkPort, apiPort, notifierPort);
            // The notifier's monitor selects the notifier's pods.
            assertThat(
                            Manifests.find(env, "PodMonitor", "ledgerflow-notifier")
                                    .node()
                                    .at("/spec/selector/matchLabels")
                                    .path("app.kubernetes.io/name")
                                    .asText())
                    .isEqualTo(
                            Manifests.find(env, "Deployment", "notifier")
                                    .node()
                                    .at("/spec/template/metadata/labels")
                                    .path("app.kubernetes.io/name")
                                    .asText());
        }
    }

    private static List<JsonNode> alerts(String env) {
        List<JsonNode> alerts = new ArrayList<>();
        for (Manifest m : Manifests.ofKind(env, "PrometheusRule")) {
            for (JsonNode group : m.node().at("/spec/groups")) {
                assertThat(group.path("name").asText()).isNotBlank();
                group.path("rules").forEach(alerts::add);
            }
        }
        return alerts;
    }

    /** GitHub-style anchors of the markdown headings. */
    private static Set<String> headings(String markdown) {
        return Pattern.compile("(?m)^#+\\s+(.+)$")
                .matcher(markdown)
                .results()
                .map(
                        r ->
                                r.group(1)
                                        .trim()
                                        .toLowerCase(Locale.ROOT)
                                        .replaceAll("[^a-z0-9 -]", "")
                                        .replace(' ', '-'))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static boolean balanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth +=
                    c == '(' || c == '{' || c == '['
                            ? 1
                            : c == ')' || c == '}' || c == ']' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
