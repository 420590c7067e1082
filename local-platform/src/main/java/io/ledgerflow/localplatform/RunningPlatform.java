package io.ledgerflow.localplatform;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.flink.FlinkJobs;
import io.ledgerflow.jobs.fraud.FraudRulesCommand;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localplatform.dashboard.AnalystPanels;
import io.ledgerflow.localplatform.dashboard.DashboardServer;
import io.ledgerflow.localplatform.dashboard.OperationalFigures;
import io.ledgerflow.localservers.FreePorts;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.localservers.LocalServers;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The platform's moving parts on one machine, started in order and stopped in reverse: the four
 * real servers, the ledger's topics, the ledger and sinks jobs (each on its own Flink MiniCluster,
 * resuming from its newest retained checkpoint), and the ingest API in its own JVM, reading the
 * PostgreSQL read model. {@code bin/run-local} and the platform benchmark both start it.
 */
final class RunningPlatform implements AutoCloseable {

    private static final int PARTITIONS = 4;

    /** The ClickHouse database analysts query locally. */
    static final String ANALYTICS_DATABASE = "ledgerflow";

    final LocalServers servers;
    final IngestApiProcess api;
    final JobClient ledger;
    final JobClient sinks;

    /** Where each job's MiniCluster serves its metrics in Prometheus' format. */
    final int ledgerMetricsPort;

    final int sinksMetricsPort;

    private final List<AutoCloseable> running;

    private RunningPlatform(
            LocalServers servers,
            IngestApiProcess api,
            JobClient ledger,
            JobClient sinks,
            int ledgerMetricsPort,
            int sinksMetricsPort,
            List<AutoCloseable> running) {
        this.servers = servers;
        this.api = api;
        this.ledger = ledger;
        this.sinks = sinks;
        this.ledgerMetricsPort = ledgerMetricsPort;
        this.sinksMetricsPort = sinksMetricsPort;
        this.running = running;
    }

    /**
     * Starts everything with data under {@code dataDir}. {@code apiEnv} adds to the API's
     * environment (e.g. an API keys file). On failure, whatever started is stopped again.
     */
    static RunningPlatform start(
            Path dataDir, int apiPort, Map<String, String> apiEnv, Consumer<String> log)
            throws Exception {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            log.accept(
                    "starting the real servers (Kafka, schema registry, PostgreSQL, ClickHouse) in "
                            + dataDir
                            + " ...");
            long step = System.nanoTime();
            LocalServers servers =
                    new LocalServers(dataDir.resolve("servers"), ServerProcess.Lifetime.ATTACHED);
            running.add(servers::stop);
            servers.start();
            log.accept("  servers up in " + seconds(step));
            String bootstrap = servers.kafka().bootstrapServers();
            String registry = servers.schemaRegistry().url();
            if (createTopics(bootstrap)) {
                // A new platform: the starter fraud rules, in ALERT mode. Later runs keep whatever
                // rules were published since (FraudRulesCommand).
                List<FraudRule> rules =
                        FraudRulesCommand.read(
                                FraudRulesCommand.class.getResourceAsStream(
                                        FraudRulesCommand.DEFAULT_RULES),
                                "local-platform",
                                Instant.now());
                FraudRulesCommand.publish(bootstrap, registry, Topics.FRAUD_RULES, rules);
                log.accept("published " + rules.size() + " starter fraud rules (ALERT mode)");
            }

            // Through the jobs' own parsers, as in production, so the printed configuration is
            // what a FlinkDeployment with these arguments would run with.
            Settings ledgerArgs =
                    Settings.fromArgs(
                            new String[] {
                                "--bootstrap-servers", bootstrap,
                                "--schema-registry-url", registry,
                                "--checkpoint-directory",
                                        dataDir.resolve("checkpoints").toUri().toString()
                            },
                            Map.of());
            LedgerJobConfig config = LedgerJobConfig.read(ledgerArgs);
            ledgerArgs.check();
            log.accept(
                    "starting the ledger job on a Flink MiniCluster (configuration: "
                            + describe(dataDir, "ledger-job.conf", ledgerArgs)
                            + ") ...");
            step = System.nanoTime();
            int ledgerMetricsPort = FreePorts.next();
            JobClient ledger =
                    startLedger(config, dataDir.resolve("checkpoints"), ledgerMetricsPort, log);
            running.add(() -> FlinkJobs.cancelAndWait(ledger));
            log.accept("  ledger job submitted in " + seconds(step));

            String readModelUrl = servers.postgres().jdbcUrl();
            Settings sinksArgs =
                    Settings.fromArgs(
                            new String[] {
                                "--bootstrap-servers",
                                bootstrap,
                                "--schema-registry-url",
                                registry,
                                "--topic-prefix",
                                config.topicPrefix(),
                                "--postgres-url",
                                readModelUrl,
                                "--postgres-user",
                                PostgresServer.USER,
                                "--postgres-password",
                                PostgresServer.PASSWORD,
                                "--clickhouse-url",
                                "jdbc:clickhouse://127.0.0.1:" + servers.clickHouse().port(),
                                "--clickhouse-database",
                                ANALYTICS_DATABASE,
                                "--checkpoint-interval",
                                "1s",
                                "--checkpoint-directory",
                                dataDir.resolve("checkpoints-sinks").toUri().toString()
                            },
                            Map.of());
            SinksConfig sinksConfig = SinksConfig.read(sinksArgs);
            sinksArgs.check();
            log.accept(
                    "starting the sinks job: PostgreSQL read model, ClickHouse (configuration: "
                            + describe(dataDir, "sinks-job.conf", sinksArgs)
                            + ") ...");
            step = System.nanoTime();
            int sinksMetricsPort = FreePorts.next();
            JobClient sinks =
                    startSinks(
                            sinksConfig,
                            dataDir.resolve("checkpoints-sinks"),
                            sinksMetricsPort,
                            log);
            running.add(() -> FlinkJobs.cancelAndWait(sinks));
            log.accept(
                    "  sinks job submitted in " + seconds(step) + " (store migrations included)");

            log.accept("starting the ingest API on port " + apiPort + " (its own JVM) ...");
            step = System.nanoTime();
            Map<String, String> env = new HashMap<>(apiEnv);
            env.put("LEDGERFLOW_READ_MODEL_JDBC_URL", readModelUrl);
            env.put("LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER);
            env.put("LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
            // Partners and keys as data, in the same database: the development keys are imported
            // at start, and the admin routes manage partners while the platform runs.
            env.put("LEDGERFLOW_PARTNERS_JDBC_URL", readModelUrl);
            env.put("LEDGERFLOW_PARTNERS_USER", PostgresServer.USER);
            env.put("LEDGERFLOW_PARTNERS_PASSWORD", PostgresServer.PASSWORD);
            IngestApiProcess api =
                    IngestApiProcess.start(
                            dataDir.resolve("ingest-api"), apiPort, bootstrap, registry, env);
            running.add(api);
            log.accept(
                    "  ingest API ready in "
                            + seconds(step)
                            + " (log: "
                            + dataDir.resolve("ingest-api").resolve("ingest-api.log")
                            + ")");
            return new RunningPlatform(
                    servers, api, ledger, sinks, ledgerMetricsPort, sinksMetricsPort, running);
        } catch (Exception | Error e) {
            stopAll(running);
            throw e;
        }
    }

    /**
     * Serves the dashboard page of this platform on {@code port} (0: any free one): the analyst
     * panels on its ClickHouse and the figures of its API's and jobs' metrics. It stops with the
     * platform.
     */
    DashboardServer startDashboard(int port) throws IOException {
        AnalystPanels analysts =
                new AnalystPanels(servers.clickHouse().jdbcUrl(ANALYTICS_DATABASE));
        OperationalFigures operations =
                OperationalFigures.start(
                        api.baseUrl() + "/metrics",
                        Map.of(
                                "ledger", "http://127.0.0.1:" + ledgerMetricsPort + "/metrics",
                                "sinks", "http://127.0.0.1:" + sinksMetricsPort + "/metrics"));
        running.add(operations);
        DashboardServer page = DashboardServer.start(port, analysts, operations);
        running.add(page);
        return page;
    }

    private static String seconds(long sinceNanos) {
        return String.format(
                java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    /**
     * Writes a job's effective configuration (passwords masked) to a file of the data directory and
     * returns its path: the jobs print theirs at start in production; here they would bury the
     * start's progress lines.
     */
    private static Path describe(Path dataDir, String file, Settings settings) throws IOException {
        Path path = dataDir.resolve(file);
        Files.createDirectories(dataDir);
        Files.writeString(path, settings.describe());
        return path;
    }

    /** JDBC URL of the PostgreSQL read model. */
    String readModelUrl() {
        return servers.postgres().jdbcUrl();
    }

    @Override
    public void close() {
        stopAll(running);
    }

    private static void stopAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        running.clear();
    }

    /** Starts the ledger, resuming from the newest checkpoint a previous run left behind. */
    private static JobClient startLedger(
            LedgerJobConfig config, Path checkpoints, int metricsPort, Consumer<String> log)
            throws Exception {
        Configuration conf = LedgerJob.clusterConfiguration(config);
        resumeFromLatest(conf, checkpoints, log);
        exposeMetrics(conf, metricsPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        return new LedgerJob(config).start(env);
    }

    /** Starts the sinks job (migrations first), resuming from its newest checkpoint. */
    private static JobClient startSinks(
            SinksConfig config, Path checkpoints, int metricsPort, Consumer<String> log)
            throws Exception {
        SinksJob sinks = new SinksJob(config);
        sinks.migrateStores();
        Configuration conf = SinksJob.clusterConfiguration(config);
        resumeFromLatest(conf, checkpoints, log);
        exposeMetrics(conf, metricsPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        return sinks.start(env);
    }

    /**
     * The same Prometheus reporter as the FlinkDeployments (k8s/flink-operator), on a port of its
     * own per MiniCluster: the local run's metrics have the names the dashboards and alerts use.
     */
    private static void exposeMetrics(Configuration conf, int port) {
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(port));
    }

    private static void resumeFromLatest(Configuration conf, Path checkpoints, Consumer<String> log)
            throws IOException {
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        latestCheckpoint(checkpoints)
                .ifPresent(
                        path -> {
                            log.accept("  resuming from checkpoint " + path);
                            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString());
                        });
    }

    private static Optional<Path> latestCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .max(Comparator.comparing(RunningPlatform::modified))
                    .map(Path::getParent);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Creates the ledger's topics unless they exist; account states and fraud rules are compacted.
     * Returns whether the fraud rules topic is new.
     */
    private static boolean createTopics(String bootstrap) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic :
                    List.of(
                            Topics.LEDGER_REQUESTS,
                            Topics.LEDGER_INSTRUCTIONS,
                            Topics.TRANSACTION_RESULTS,
                            Topics.LEDGER_ENTRIES,
                            Topics.ACCOUNT_STATES,
                            Topics.ACCOUNT_COMMAND_RESULTS,
                            Topics.DEAD_LETTERS,
                            Topics.FRAUD_RULES,
                            Topics.FRAUD_ALERTS)) {
                if (!existing.contains(topic)) {
                    NewTopic newTopic = new NewTopic(topic, PARTITIONS, (short) 1);
                    if (topic.equals(Topics.ACCOUNT_STATES) || topic.equals(Topics.FRAUD_RULES)) {
                        newTopic.configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(newTopic);
                }
            }
            KafkaTopics.create(bootstrap, missing);
            return !existing.contains(Topics.FRAUD_RULES);
        }
    }
}
