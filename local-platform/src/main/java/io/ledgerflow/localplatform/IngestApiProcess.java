package io.ledgerflow.localplatform;

import io.ledgerflow.localservers.ParentWatch;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The ingest API in its own JVM (it uses a newer Kafka client than the Flink connector), attached
 * to this process so it never outlives it.
 */
final class IngestApiProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;

    private IngestApiProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static IngestApiProcess start(
            Path dir, int port, String bootstrap, String registryUrl, Map<String, String> readModel)
            throws IOException, InterruptedException {
        Properties where = new Properties();
        try (InputStream in =
                IngestApiProcess.class.getResourceAsStream("/local-platform.properties")) {
            where.load(in);
        }
        Path classes = Path.of(where.getProperty("ingest.api.classes"));
        Path classpathFile = Path.of(where.getProperty("ingest.api.classpath.file"));
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(
                    classpathFile + " missing: build with ./mvnw package -DskipTests");
        }
        String classpath =
                String.join(
                        File.pathSeparator,
                        classes.toString(),
                        Files.readString(classpathFile).trim(),
                        ownLocation());
        Files.createDirectories(dir);
        ProcessBuilder builder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-XX:+UseParallelGC",
                                "-cp",
                                classpath,
                                ParentWatch.class.getName(),
                                "io.ledgerflow.ingest.IngestApiMain")
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("ingest-api.log").toFile()));
        builder.environment()
                .put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        builder.environment().put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
        builder.environment().put("LEDGERFLOW_HTTP_PORT", Integer.toString(port));
        builder.environment().put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registryUrl);
        builder.environment().putAll(readModel);
        IngestApiProcess api = new IngestApiProcess(builder.start(), "http://127.0.0.1:" + port);
        api.awaitReady(dir.resolve("ingest-api.log"));
        return api;
    }

    /**
     * The webhook notifier ({@code io.ledgerflow.ingest.webhooks.NotifierMain}, issue 15) in its
     * own JVM on the API's class path, with {@code env}; its log in {@code dir/notifier.log}.
     */
    static Process startNotifier(Path dir, Map<String, String> env) throws IOException {
        Properties where = new Properties();
        try (InputStream in =
                IngestApiProcess.class.getResourceAsStream("/local-platform.properties")) {
            where.load(in);
        }
        String classpath =
                String.join(
                        File.pathSeparator,
                        where.getProperty("ingest.api.classes"),
                        Files.readString(Path.of(where.getProperty("ingest.api.classpath.file")))
                                .trim(),
                        ownLocation());
        Files.createDirectories(dir);
        ProcessBuilder builder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx384m",
                                "-XX:+UseParallelGC",
                                "-cp",
                                classpath,
                                ParentWatch.class.getName(),
                                "io.ledgerflow.ingest.webhooks.NotifierMain")
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("notifier.log").toFile()));
        builder.environment()
                .put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        builder.environment().putAll(env);
        return builder.start();
    }

    private void awaitReady(Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "ingest API exited; see " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> ready =
                        http.send(
                                HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException(
                "ingest API not ready within 60 s; see " + log + ":\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(
                            ParentWatch.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return baseUrl;
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
