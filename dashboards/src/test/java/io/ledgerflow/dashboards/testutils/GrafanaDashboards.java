package io.ledgerflow.dashboards.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Grafana dashboards of {@code dashboards/grafana/dashboards/} as the tests see them: every
 * panel with its data source and queries, rows flattened (a collapsed row keeps its panels inside
 * it; they count as well). Tests enumerate panels from here, so a panel added to a JSON file is
 * checked without anyone touching the tests' lists, or fails them until its figures are added.
 */
public final class GrafanaDashboards {

    /** The ClickHouse data source plugin's type id. */
    public static final String CLICKHOUSE = "grafana-clickhouse-datasource";

    /** Grafana's built-in Prometheus data source type. */
    public static final String PROMETHEUS = "prometheus";

    private static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaDashboards() {}

    /** One dashboard file. */
    public record Dashboard(Path file, JsonNode json) {

        public String uid() {
            return json.path("uid").asText();
        }

        public String title() {
            return json.path("title").asText();
        }

        /** Every panel that is not a row, in file order (panels of collapsed rows included). */
        public List<Panel> panels() {
            List<Panel> panels = new ArrayList<>();
            for (JsonNode p : json.path("panels")) {
                if (p.path("type").asText().equals("row")) {
                    p.path("panels").forEach(inner -> panels.add(new Panel(this, inner)));
                } else {
                    panels.add(new Panel(this, p));
                }
            }
            return panels;
        }

        /** The template variables ({@code templating.list}). */
        public List<JsonNode> variables() {
            List<JsonNode> variables = new ArrayList<>();
            json.path("templating").path("list").forEach(variables::add);
            return variables;
        }

        /** The variable called {@code name}; fails when there is none. */
        public JsonNode variable(String name) {
            return variables().stream()
                    .filter(v -> v.path("name").asText().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(title() + " has no variable " + name));
        }

        /** The panel titled {@code title}; fails when there is none. */
        public Panel panel(String title) {
            return panels().stream()
                    .filter(p -> p.title().equals(title))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(title() + " has no panel " + title));
        }

        @Override
        public String toString() {
            return title() + " (" + file.getFileName() + ")";
        }
    }

    /** One panel and its queries. */
    public record Panel(Dashboard dashboard, JsonNode json) {

        public int id() {
            return json.path("id").asInt();
        }

        public String title() {
            return json.path("title").asText();
        }

        public String type() {
            return json.path("type").asText();
        }

        /** The panel's data source type; a target may name its own, which must agree. */
        public String datasourceType() {
            return json.path("datasource").path("type").asText();
        }

        public String datasourceUid() {
            return json.path("datasource").path("uid").asText();
        }

        public List<JsonNode> targets() {
            List<JsonNode> targets = new ArrayList<>();
            json.path("targets").forEach(targets::add);
            return targets;
        }

        /** "Dashboard title / panel title": how tests and the runbook name a panel. */
        public String key() {
            return dashboard.title() + " / " + title();
        }

        @Override
        public String toString() {
            return key() + " (id " + id() + ")";
        }
    }

    /** The repository's root (system property {@code ledgerflow.root}, set by the build). */
    public static Path root() {
        return Path.of(System.getProperty("ledgerflow.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code dashboards/grafana}. */
    public static Path grafanaDirectory() {
        return root().resolve("dashboards/grafana");
    }

    /** Every dashboard file, sorted by name. */
    public static List<Dashboard> all() {
        Path dir = grafanaDirectory().resolve("dashboards");
        try (Stream<Path> files = Files.list(dir)) {
            List<Dashboard> dashboards = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(new Dashboard(f, JSON.readTree(f.toFile())));
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dashboard with this uid; fails when there is none. */
    public static Dashboard byUid(String uid) {
        return all().stream()
                .filter(d -> d.uid().equals(uid))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard with uid " + uid));
    }

    /** Every panel of every dashboard whose data source is of this type. */
    public static List<Panel> panelsOf(String datasourceType) {
        return all().stream()
                .flatMap(d -> d.panels().stream())
                .filter(p -> p.datasourceType().equals(datasourceType))
                .toList();
    }

    /** A file's text. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
