package io.ledgerflow.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Ready means: a Kafka broker answers a describe-cluster call, the schema registry answers {@code
 * GET /subjects}, and the value schema id is cached (so the first request does not wait for the
 * registry). Each probe is bounded by one second; results are cached for a second so frequent
 * probes do not hammer the dependencies.
 */
final class KafkaAndRegistryReadiness implements Readiness, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admin admin;
    private final HttpClient http;
    private final URI subjects;
    private final BooleanSupplier schemaCached;
    private volatile Map<String, Boolean> last;
    private volatile long lastAt;

    KafkaAndRegistryReadiness(
            String bootstrapServers, String registryUrl, BooleanSupplier schemaCached) {
        this.admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.CLIENT_ID_CONFIG,
                                "ingest-api-readiness",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                (int) TIMEOUT.toMillis(),
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) TIMEOUT.toMillis(),
                                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                                500));
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.subjects =
                URI.create(
                        (registryUrl.endsWith("/")
                                        ? registryUrl.substring(0, registryUrl.length() - 1)
                                        : registryUrl)
                                + "/subjects");
        this.schemaCached = schemaCached;
    }

    @Override
    public synchronized Map<String, Boolean> check() {
        if (last != null && System.nanoTime() - lastAt < CACHE_NANOS) {
            return last;
        }
        Map<String, Boolean> result = new LinkedHashMap<>();
        result.put("kafka", kafkaAnswers());
        result.put("schemaRegistry", registryAnswers());
        result.put("valueSchemaCached", schemaCached.getAsBoolean());
        last = Map.copyOf(result);
        lastAt = System.nanoTime();
        return result;
    }

    private boolean kafkaAnswers() {
        try {
            return !admin.describeCluster(
                            new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes()
                    .get(TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS)
                    .isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private boolean registryAnswers() {
        try {
            HttpResponse<Void> response =
                    http.send(
                            HttpRequest.newBuilder(subjects).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
