package io.ledgerflow.testdata.testutils;

import io.ledgerflow.ingest.IngestApiConfig;
import io.ledgerflow.ingest.IngestApiServer;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real ingest API in this JVM, with its production wiring against the test broker and registry,
 * on a free port, ready (value schema registered) when {@link #start} returns.
 */
public final class InProcessApi implements AutoCloseable {

    private final IngestApiServer server;
    private final String url;

    private InProcessApi(IngestApiServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * @param keys the partners it authenticates
     * @param topicPrefix where it writes: the prefix of the ledger under test's topics
     */
    public static InProcessApi start(
            KafkaServer kafka, SchemaRegistryServer registry, ApiKeys keys, String topicPrefix)
            throws Exception {
        return start(kafka, registry, keys, topicPrefix, Map.of());
    }

    /**
     * As {@link #start(KafkaServer, SchemaRegistryServer, ApiKeys, String)}, with more of the API's
     * settings, e.g. {@code LEDGERFLOW_READ_MODEL_JDBC_URL} to answer GETs from a read model.
     */
    public static InProcessApi start(
            KafkaServer kafka,
            SchemaRegistryServer registry,
            ApiKeys keys,
            String topicPrefix,
            Map<String, String> settings)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGERFLOW_HTTP_PORT", "0");
        env.put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
        env.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        env.put("LEDGERFLOW_EVENT_LOOPS", "2");
        env.put("LEDGERFLOW_TOPIC_PREFIX", topicPrefix);
        // The generator's tests flood single partners on purpose (BalanceLimitITCase: 9,300
        // deposits as fast as batches go); per-partner rate limits are the API's own tests'.
        env.put("LEDGERFLOW_RATE_LIMITS_ENABLED", "false");
        env.putAll(settings);
        IngestApiServer server = IngestApiServer.withKafka(IngestApiConfig.from(env), keys);
        try {
            InProcessApi api = new InProcessApi(server, "http://127.0.0.1:" + server.start());
            api.awaitReady();
            return api;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            int status =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("ingest API not ready");
    }

    @Override
    public void close() {
        server.close();
    }
}
