package io.ledgerflow.dashboards.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert rules of {@code k8s/manifests/monitoring/alerts.yaml} (a PrometheusRule), rendered for
 * the prod environment the way the k8s build renders them: {@code @name@} replaced from {@code
 * k8s/env/prod.properties}.
 */
public final class AlertRules {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private AlertRules() {}

    /** The rendered PrometheusRule. */
    public static JsonNode prometheusRule() {
        Path root = GrafanaDashboards.root();
        try {
            Properties env = new Properties();
            env.load(new StringReader(Files.readString(root.resolve("k8s/env/prod.properties"))));
            Matcher placeholder =
                    Pattern.compile("@([A-Za-z0-9_.-]+)@")
                            .matcher(
                                    Files.readString(
                                            root.resolve("k8s/manifests/monitoring/alerts.yaml")));
            StringBuilder rendered = new StringBuilder();
            while (placeholder.find()) {
                String value = env.getProperty(placeholder.group(1));
                if (value == null) {
                    throw new IllegalStateException(
                            "k8s/env/prod.properties has no " + placeholder.group(1));
                }
                placeholder.appendReplacement(rendered, Matcher.quoteReplacement(value));
            }
            placeholder.appendTail(rendered);
            return YAML.readTree(rendered.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alerting rule, across groups. */
    public static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        prometheusRule().at("/spec/groups").forEach(g -> g.path("rules").forEach(alerts::add));
        return alerts;
    }
}
