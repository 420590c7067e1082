package io.ledgerflow.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registers, fetches and evolves an Avro schema over the Confluent Schema Registry REST API. */
@ExtendWith(SchemaRegistryExtension.class)
class SchemaRegistryServerITCase {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String V1 =
            "{\"type\":\"record\",\"name\":\"Movement\",\"namespace\":\"smoke\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"amount\",\"type\":\"long\"}]}";

    /** Adds a field with a default: readers of v2 can read v1 data, so BACKWARD compatible. */
    private static final String V2_COMPATIBLE =
            "{\"type\":\"record\",\"name\":\"Movement\",\"namespace\":\"smoke\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"amount\",\"type\":\"long\"},"
                    + "{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}]}";

    /** Adds a required field: v1 data has no value for it, so not BACKWARD compatible. */
    private static final String V2_INCOMPATIBLE =
            "{\"type\":\"record\",\"name\":\"Movement\",\"namespace\":\"smoke\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"amount\",\"type\":\"long\"},"
                    + "{\"name\":\"partner\",\"type\":\"string\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void registersFetchesAndGuardsCompatibility(SchemaRegistryServer registry) throws Exception {
        String subject = "smoke-movements-value";
        HttpResponse<String> config =
                send(
                        "PUT",
                        registry.url() + "/config/" + subject,
                        "{\"compatibility\":\"BACKWARD\"}");
        assertThat(config.statusCode()).isEqualTo(200);

        HttpResponse<String> registered =
                send("POST", registry.url() + "/subjects/" + subject + "/versions", wrap(V1));
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = idOf(registered.body());

        HttpResponse<String> again =
                send("POST", registry.url() + "/subjects/" + subject + "/versions", wrap(V1));
        assertThat(idOf(again.body())).as("same schema, same id").isEqualTo(id);

        HttpResponse<String> fetched = send("GET", registry.url() + "/schemas/ids/" + id, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).contains("Movement").contains("amount");

        HttpResponse<String> evolved =
                send(
                        "POST",
                        registry.url() + "/subjects/" + subject + "/versions",
                        wrap(V2_COMPATIBLE));
        assertThat(evolved.statusCode()).isEqualTo(200);
        assertThat(idOf(evolved.body())).isNotEqualTo(id);

        HttpResponse<String> refused =
                send(
                        "POST",
                        registry.url() + "/subjects/" + subject + "/versions",
                        wrap(V2_INCOMPATIBLE));
        assertThat(refused.statusCode()).isEqualTo(409);

        HttpResponse<String> versions =
                send("GET", registry.url() + "/subjects/" + subject + "/versions", null);
        assertThat(versions.body().replace(" ", "")).isEqualTo("[1,2]");
    }

    /**
     * Jobs register their output schemas all at once on start. Apicurio's H2 storage fails under
     * concurrent writes unless requests are serialized (see local-schema-registry's README).
     */
    @Test
    void concurrentFirstRegistrationsAllSucceed(SchemaRegistryServer registry) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String schema = V1.replace("Movement", "Concurrent" + (i % 3));
            HttpRequest request =
                    HttpRequest.newBuilder(
                                    URI.create(
                                            registry.url()
                                                    + "/subjects/concurrent-"
                                                    + (i % 8)
                                                    + "-value/versions"))
                            .header("Content-Type", CONTENT_TYPE)
                            .POST(HttpRequest.BodyPublishers.ofString(wrap(schema)))
                            .build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            // 409 only where a subject's two schemas differ in name (incompatible); never 500.
            assertThat(response.statusCode()).as(response.body()).isIn(200, 409);
        }
    }

    private static String wrap(String schema) {
        return "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
    }

    private static int idOf(String body) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
        assertThat(m.find()).as("id in %s", body).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", CONTENT_TYPE);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
