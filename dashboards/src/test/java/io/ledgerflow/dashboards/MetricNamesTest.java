package io.ledgerflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.dashboards.testutils.AlertRules;
import io.ledgerflow.dashboards.testutils.GrafanaDashboards;
import io.ledgerflow.dashboards.testutils.GrafanaPromQl;
import io.ledgerflow.dashboards.testutils.GrafanaPromQl.Expression;
import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.webhooks.NotifierMetrics;
import io.ledgerflow.ingest.webhooks.NotifierMetrics.PartnerBacklog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every metric name the SRE dashboard and the alert rules query is one that something exports: a
 * typo is valid PromQL and promtool would pass it, but the panel would stay empty and the alert
 * silent forever.
 *
 * <ul>
 *   <li>{@code ingest_*}: scraped from the API's real {@link IngestMetrics} after one event of each
 *       kind, plus the gauges the server registers by name (literals in ingest-api's sources);
 *   <li>{@code webhook_*} and {@code notifier_*}: scraped from the notifier's real {@link
 *       NotifierMetrics} after one event of each kind, plus the event recorder's counters (their
 *       names in ingest-api's sources);
 *   <li>{@code flink_*}: the Prometheus reporter's names ({@code flink_<scope>_<metric>}, other
 *       characters than {@code [a-zA-Z0-9_:]} replaced by {@code _}) of Flink's built-in metrics
 *       listed below, and of the jobs' own metrics (their names in the jobs' and sinks' sources);
 *   <li>{@code kafka_*} and {@code kube_*}: the Strimzi Kafka Exporter and kube-state-metrics,
 *       which the Kubernetes setup runs beside Prometheus.
 * </ul>
 */
class MetricNamesTest {

    /**
     * Flink's built-in metrics the dashboards use, by reporter name, each with the Flink 2.2
     * constant that names it (checked against the jars with javap): job scope on the JobManager,
     * task and operator scope on the TaskManagers. The Kafka source registers the consumer's own
     * metrics under KafkaSourceReader.KafkaConsumer with the consumer's names ({@code
     * records-lag-max}, dashes become underscores).
     */
    private static final Map<String, String> FLINK_BUILT_IN =
            Map.of(
                    "flink_jobmanager_job_numRestarts",
                    "runtime.metrics.MetricNames.NUM_RESTARTS",
                    "flink_jobmanager_job_lastCheckpointDuration",
                    "DefaultCheckpointStatsTracker.LATEST_COMPLETED_CHECKPOINT_DURATION_METRIC",
                    "flink_jobmanager_job_lastCheckpointSize",
                    "DefaultCheckpointStatsTracker.LATEST_COMPLETED_CHECKPOINT_SIZE_METRIC",
                    "flink_jobmanager_job_lastCheckpointFullSize",
                    "DefaultCheckpointStatsTracker.LATEST_COMPLETED_CHECKPOINT_FULL_SIZE_METRIC",
                    "flink_jobmanager_job_numberOfCompletedCheckpoints",
                    "DefaultCheckpointStatsTracker.NUMBER_OF_COMPLETED_CHECKPOINTS_METRIC",
                    "flink_jobmanager_job_numberOfFailedCheckpoints",
                    "DefaultCheckpointStatsTracker.NUMBER_OF_FAILED_CHECKPOINTS_METRIC",
                    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                    "runtime.metrics.MetricNames.TASK_BACK_PRESSURED_TIME",
                    "flink_taskmanager_job_task_busyTimeMsPerSecond",
                    "runtime.metrics.MetricNames.TASK_BUSY_TIME",
                    "flink_taskmanager_job_task_operator_pendingRecords",
                    "runtime.metrics.MetricNames.PENDING_RECORDS (FLIP-33)",
                    "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max",
                    "KafkaSourceReaderMetrics.KAFKA_SOURCE_READER_METRIC_GROUP,"
                            + " KAFKA_CONSUMER_METRIC_GROUP; Kafka's records-lag-max");

    /** Exporters that run beside Prometheus in the Kubernetes setup. */
    private static final Set<String> EXTERNAL =
            Set.of(
                    // Strimzi Kafka Exporter (Kafka resource, spec.kafkaExporter).
                    "kafka_topic_partition_current_offset",
                    // The same, per consumer group (its default groupRegex takes every group).
                    "kafka_consumergroup_lag",
                    // kube-state-metrics.
                    "kube_deployment_status_replicas_available",
                    "kube_cronjob_status_last_successful_time");

    private static final Pattern METRIC =
            Pattern.compile(
                    "\\b((?:ingest|webhook|notifier|flink|kafka|kube|ledgerflow)_[A-Za-z0-9_:]+)");

    @Test
    void everyQueriedMetricIsExported() throws IOException {
        Map<String, String> queried = queriedMetrics();
        assertThat(queried).as("metrics the dashboards and alerts query").hasSizeGreaterThan(20);
        Set<String> exported = new TreeSet<>();
        exported.addAll(ingestApiMetrics());
        exported.addAll(notifierMetrics());
        exported.addAll(FLINK_BUILT_IN.keySet());
        exported.addAll(flinkJobMetrics());
        exported.addAll(EXTERNAL);
        // The reconcile command (sinks module) serves its own /metrics, by these literal names.
        exported.addAll(
                literals(
                        Path.of("sinks/src/main/java/io/ledgerflow/sinks/reconcile"),
                        "\"(ledgerflow_reconciliation_[a-z_]+)[\\{ \"]"));
        for (Map.Entry<String, String> m : queried.entrySet()) {
            assertThat(exported).as(m.getKey() + " (" + m.getValue() + ")").contains(m.getKey());
        }
    }

    /** Metric name to one place that queries it. */
    private static Map<String, String> queriedMetrics() {
        Map<String, String> queried = new LinkedHashMap<>();
        for (Expression e : GrafanaPromQl.all()) {
            collect(e.promQl(), e.origin(), queried);
        }
        for (JsonNode alert : AlertRules.alerts()) {
            collect(alert.path("expr").asText(), "alert " + alert.path("alert").asText(), queried);
        }
        return queried;
    }

    private static void collect(String promQl, String origin, Map<String, String> into) {
        // Label values are strings; a topic or job name is not a metric.
        Matcher m = METRIC.matcher(promQl.replaceAll("\"[^\"]*\"", "\"\""));
        int found = 0;
        while (m.find()) {
            into.putIfAbsent(m.group(1), origin);
            found++;
        }
        assertThat(found)
                .as(origin + " queries a metric this test knows the source of")
                .isPositive();
    }

    /** What the API's {@code /metrics} shows once every meter has seen an event. */
    private static Set<String> ingestApiMetrics() throws IOException {
        IngestMetrics metrics = new IngestMetrics();
        metrics.request("/api/v1/transactions", "POST", 202, 1_000_000);
        metrics.request("/api/v1/transactions", "POST", 503, 1_000_000);
        metrics.partnerRequest("p1", 202, null, 1_000_000);
        metrics.partnerRequest("p1", 400, ErrorCode.values()[0], 1_000_000);
        metrics.partners().movementsAccepted("p1", 1);
        metrics.partners().throttled("p1", "requests");
        metrics.accepted("TRANSFER", 1);
        metrics.acknowledged(1_000_000);
        metrics.failed();
        Set<String> names = new TreeSet<>();
        for (String line : metrics.render().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(names).contains("ingest_http_requests_total");
        // Gauges the server registers by name (IngestMetrics.gauge) when it starts.
        names.addAll(literals(Path.of("ingest-api/src/main/java"), "\"(ingest_[a-z0-9_]+)\""));
        return names;
    }

    /** What the notifier's {@code /metrics} shows once every meter has seen an event. */
    private static Set<String> notifierMetrics() throws IOException {
        NotifierMetrics metrics = new NotifierMetrics(10);
        metrics.attempt("p1", "delivered");
        metrics.delivered("p1", Duration.ofSeconds(1));
        metrics.parked("p1");
        metrics.backlog(java.util.Map.of("p1", new PartnerBacklog(3, 60)));
        Set<String> names = new TreeSet<>();
        for (String line : metrics.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(names).contains("webhook_delivery_lag_seconds_bucket");
        // The event recorder's counters, registered on the same registry by name.
        for (String counter :
                literals(
                        Path.of("ingest-api/src/main/java"),
                        "Counter\\.builder\\(\"(notifier\\.[a-z.]+)\"\\)")) {
            names.add(counter.replace('.', '_') + "_total");
        }
        assertThat(names).contains("notifier_events_recorded_total");
        return names;
    }

    /** The jobs' own metrics at operator scope, by the names their sources register. */
    private static Set<String> flinkJobMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : new String[] {"jobs", "sinks", "flink-support"}) {
            Path sources = Path.of(module, "src/main/java");
            // counter("x"), gauge("x", ...), ..., or a constant X_METRIC = "x" passed to them.
            names.addAll(
                    literals(
                            sources, "\\.(?:counter|gauge|meter|histogram)\\(\"([A-Za-z0-9_]+)\""));
            names.addAll(literals(sources, "_METRIC\\s*=\\s*\"([A-Za-z0-9_]+)\""));
        }
        assertThat(names).contains("ledgerInternalErrors");
        Set<String> reported = new TreeSet<>();
        names.forEach(n -> reported.add("flink_taskmanager_job_task_operator_" + n));
        return reported;
    }

    /** First groups of {@code regex} in every Java file under {@code root}-relative {@code dir}. */
    private static Set<String> literals(Path dir, String regex) throws IOException {
        Pattern p = Pattern.compile(regex);
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(GrafanaDashboards.root().resolve(dir))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = p.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }
}
