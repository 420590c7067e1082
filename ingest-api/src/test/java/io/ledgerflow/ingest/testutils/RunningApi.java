package io.ledgerflow.ingest.testutils;

import io.ledgerflow.ingest.IngestApiConfig;
import io.ledgerflow.ingest.IngestApiServer;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.time.Duration;
import java.util.Map;

/**
 * The API with its production wiring against the test JVM's real Kafka and registry, on a free
 * port, plus a client and the topic. Waits until ready (value schema registered).
 */
public final class RunningApi implements AutoCloseable {

    public final IngestApiServer server;
    public final ApiClient client;
    public final LedgerRequestsTopic topic;

    public RunningApi(KafkaServer kafka, SchemaRegistryServer registry) {
        this(kafka, registry, Map.of());
    }

    public RunningApi(KafkaServer kafka, SchemaRegistryServer registry, Map<String, String> env) {
        LedgerRequestsTopic.create(kafka.bootstrapServers());
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.put("LEDGERFLOW_HTTP_PORT", "0");
        all.put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
        all.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        all.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        all.putIfAbsent("LEDGERFLOW_EVENT_LOOPS", "2");
        server = IngestApiServer.withKafka(IngestApiConfig.from(all), TestKeys.apiKeys());
        int port = server.start();
        client = new ApiClient(port);
        topic = new LedgerRequestsTopic(kafka.bootstrapServers(), registry.url());
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.get("/health/ready", null).status() == 200) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(
                "API not ready: " + client.get("/health/ready", null).body());
    }

    @Override
    public void close() {
        topic.close();
        server.close();
    }
}
