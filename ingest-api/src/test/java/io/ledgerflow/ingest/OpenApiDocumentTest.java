package io.ledgerflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.testutils.RecordingPublisher;
import io.ledgerflow.ingest.testutils.TestKeys;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every route the router serves is in {@code openapi.yaml}, and the document has no others. */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Test
    void documentAndRouterAgree() throws Exception {
        JsonNode document =
                new ObjectMapper(new YAMLFactory()).readTree(OperationalEndpoints.loadOpenApi());
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                            method -> {
                                if (METHODS.contains(method)) {
                                    documented.add(method.toUpperCase() + " " + path.getKey());
                                }
                            });
        }

        IngestApiServer server =
                new IngestApiServer(
                        IngestApiConfig.from(Map.of()),
                        TestKeys.apiKeys(),
                        new RecordingPublisher(),
                        Map::of,
                        Clock.systemUTC(),
                        new IngestMetrics());
        Set<String> served = new TreeSet<>(server.router().describe());

        assertThat(documented).isEqualTo(served);
        assertThat(document.get("openapi").asText()).startsWith("3.");
    }

    /** Every route that takes an API key may answer 429, and says so with its headers. */
    @Test
    void everyAuthenticatedRouteDocumentsTheRateLimit() throws Exception {
        JsonNode document =
                new ObjectMapper(new YAMLFactory()).readTree(OperationalEndpoints.loadOpenApi());
        Set<String> without = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue()
                    .fields()
                    .forEachRemaining(
                            op -> {
                                boolean isPublic =
                                        op.getValue().has("security")
                                                && op.getValue().get("security").isEmpty();
                                if (!isPublic && !op.getValue().path("responses").has("429")) {
                                    without.add(op.getKey() + " " + path.getKey());
                                }
                            });
        }
        assertThat(without).isEmpty();
        JsonNode rateLimited = document.at("/components/responses/RateLimited/headers");
        assertThat(rateLimited.has("Retry-After")).isTrue();
        assertThat(rateLimited.has("RateLimit")).isTrue();
        assertThat(rateLimited.has("RateLimit-Policy")).isTrue();
    }
}
