package io.ledgerflow.localplatform;

import io.ledgerflow.localservers.FreePorts;
import io.ledgerflow.localservers.ParentWatch;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.reconcile.ReconcileConfig;
import io.ledgerflow.sinks.reconcile.ReconcileMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The continuous reconciliation ({@code sinks/reconcile.sh}, issue 17) of the local run: {@link
 * ReconcileMain} in its own JVM with an explicit heap (its figures live in memory; a child keeps
 * them off the platform's heap), on this JVM's class path, attached to this process so it never
 * outlives it. Its findings land in both stores' {@code reconciliation} tables, where the API's
 * admin routes read them; its log is {@code dir/reconcile.log}.
 */
final class LocalReconciliation implements AutoCloseable {

    /** Rounds more often than production's 30 s: a local run is watched by a person. */
    static final String EVERY = "10s";

    static final String HEAP = "-Xmx256m";

    /** The ingest API's admin route over the {@code reconciliation} table. */
    static final String MISMATCHES_ROUTE = "/api/v1/admin/reconciliation/mismatches";

    private final Process process;
    final int metricsPort;
    final Path log;

    private LocalReconciliation(Process process, int metricsPort, Path log) {
        this.process = process;
        this.metricsPort = metricsPort;
        this.log = log;
    }

    /**
     * The command's arguments against the local servers. Passwords are not among them (they go
     * through the environment, as on Kubernetes): {@link #environment}.
     */
    static List<String> arguments(
            String bootstrap,
            String registryUrl,
            String postgresUrl,
            String postgresUser,
            String clickHouseUrl,
            String clickHouseDatabase,
            int metricsPort) {
        return List.of(
                "--every", EVERY,
                "--metrics-port", Integer.toString(metricsPort),
                "--bootstrap-servers", bootstrap,
                "--schema-registry-url", registryUrl,
                "--postgres-url", postgresUrl,
                "--postgres-user", postgresUser,
                "--clickhouse-url", clickHouseUrl,
                "--clickhouse-database", clickHouseDatabase);
    }

    static Map<String, String> environment(String postgresPassword) {
        return Map.of(
                "LEDGERFLOW_POSTGRES_PASSWORD",
                postgresPassword,
                "LEDGERFLOW_CLICKHOUSE_PASSWORD",
                "");
    }

    /**
     * Starts the command with {@code args} and {@code env} (checked by its own parser first, so a
     * wrong argument fails here with the command's message) and waits until it serves {@code
     * /metrics}, i.e. it has reached Kafka; the first round follows.
     */
    static LocalReconciliation start(Path dir, List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        ReconcileConfig config =
                ReconcileConfig.read(Settings.fromArgs(args.toArray(String[]::new), env));
        Files.createDirectories(dir);
        Path log = dir.resolve("reconcile.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.add(ParentWatch.class.getName());
        command.add(ReconcileMain.class.getName());
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment()
                .put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        builder.environment().putAll(env);
        LocalReconciliation started =
                new LocalReconciliation(builder.start(), config.metricsPort(), log);
        try {
            started.awaitMetrics(Duration.ofSeconds(60));
        } catch (IllegalStateException | InterruptedException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** Starts it against the platform's servers, metrics on a free port, log under {@code dir}. */
    static LocalReconciliation start(Path dir, RunningPlatform platform)
            throws IOException, InterruptedException {
        return start(
                dir,
                arguments(
                        platform.servers.kafka().bootstrapServers(),
                        platform.servers.schemaRegistry().url(),
                        platform.readModelUrl(),
                        PostgresServer.USER,
                        "jdbc:clickhouse://127.0.0.1:" + platform.servers.clickHouse().port(),
                        RunningPlatform.ANALYTICS_DATABASE,
                        FreePorts.next()),
                environment(PostgresServer.PASSWORD));
    }

    /** What the local run prints about it: where its findings and figures are. */
    String describe(String apiBaseUrl, String adminKey) {
        return describe(apiBaseUrl, adminKey, metricsUrl(), log);
    }

    static String describe(String apiBaseUrl, String adminKey, String metricsUrl, Path log) {
        return "  reconciliation: a round every "
                + EVERY
                + " (ledger entries against PostgreSQL and ClickHouse); open mismatches:\n"
                + "                 curl -H 'X-Api-Key: "
                + adminKey
                + "' '"
                + apiBaseUrl
                + MISMATCHES_ROUTE
                + "?status=OPEN'\n"
                + "                 (status=ALL: cleared ones too; figures "
                + metricsUrl
                + "; log "
                + log
                + ")";
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    private void awaitMetrics(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the reconcile command exited (" + process.exitValue() + "); see " + log);
            }
            try {
                HttpResponse<Void> answer =
                        http.send(
                                HttpRequest.newBuilder(URI.create(metricsUrl())).build(),
                                HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still connecting to Kafka
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "the reconcile command did not serve "
                        + metricsUrl()
                        + " within "
                        + timeout
                        + "; see "
                        + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
