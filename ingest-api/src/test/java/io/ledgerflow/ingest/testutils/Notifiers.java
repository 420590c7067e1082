package io.ledgerflow.ingest.testutils;

import io.ledgerflow.ingest.webhooks.Notifier;
import io.ledgerflow.ingest.webhooks.NotifierConfig;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The notifier for tests, with fast retries (100 ms doubling to 500 ms), a 3 s attempt timeout (a
 * busy 2-core machine) and a 50 ms poll: in this JVM ({@link #start}), or as a process of its own
 * that a test can kill abruptly ({@link #process}).
 */
public final class Notifiers {

    private Notifiers() {}

    /** The notifier's variables for a test: its topic prefix, database and consumer group. */
    public static Map<String, String> env(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            String jdbcUrl,
            String topicPrefix,
            String group) {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        env.put("LEDGERFLOW_TOPIC_PREFIX", topicPrefix);
        env.put("LEDGERFLOW_NOTIFIER_JDBC_URL", jdbcUrl);
        env.put("LEDGERFLOW_NOTIFIER_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_NOTIFIER_PASSWORD", PostgresServer.PASSWORD);
        env.put("LEDGERFLOW_NOTIFIER_GROUP", group);
        env.put("LEDGERFLOW_NOTIFIER_HTTP_PORT", "0");
        env.put("LEDGERFLOW_WEBHOOK_URL_POLICY", "development");
        env.put("LEDGERFLOW_WEBHOOK_BACKOFF_BASE", "100ms");
        env.put("LEDGERFLOW_WEBHOOK_BACKOFF_MAX", "500ms");
        env.put("LEDGERFLOW_WEBHOOK_ATTEMPT_TIMEOUT", "3s");
        env.put("LEDGERFLOW_WEBHOOK_POLL", "50ms");
        return env;
    }

    /** A started notifier in this JVM; close it to stop it. */
    public static Notifier start(Map<String, String> env) {
        Notifier notifier = new Notifier(NotifierConfig.from(env), Clock.systemUTC());
        notifier.start();
        return notifier;
    }

    /** {@code NotifierMain} in a JVM of its own (256 MB heap), on this test's class path. */
    public static Process process(Map<String, String> env, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.ledgerflow.ingest.webhooks.NotifierMain");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        return builder.start();
    }
}
