package io.ledgerflow.ingest;

import io.ledgerflow.ingest.http.ApiExchange;
import io.ledgerflow.ingest.http.Json;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Health probes, Prometheus metrics and the OpenAPI document: no API key needed. */
final class OperationalEndpoints {

    /** Classpath location of the OpenAPI document served at {@code /openapi.yaml}. */
    static final String OPENAPI_RESOURCE = "/io/ledgerflow/ingest/openapi.yaml";

    private final Vertx vertx;
    private final Readiness readiness;
    private final IngestMetrics metrics;
    private final byte[] openApi;

    OperationalEndpoints(Vertx vertx, Readiness readiness, IngestMetrics metrics) {
        this.vertx = vertx;
        this.readiness = readiness;
        this.metrics = metrics;
        this.openApi = loadOpenApi();
    }

    static byte[] loadOpenApi() {
        try (InputStream in = OperationalEndpoints.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void live(ApiExchange exchange) {
        exchange.json(200, "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
    }

    void ready(ApiExchange exchange) {
        // The checks do network calls: off the event loop.
        vertx.<Map<String, Boolean>>executeBlocking(readiness::check, false)
                .onComplete(
                        result -> {
                            Map<String, Boolean> checks =
                                    result.succeeded() ? result.result() : Map.of("checks", false);
                            boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
                            byte[] body =
                                    Json.write(
                                            json -> {
                                                json.writeStartObject();
                                                json.writeStringField("status", up ? "UP" : "DOWN");
                                                json.writeObjectFieldStart("checks");
                                                for (Map.Entry<String, Boolean> c :
                                                        checks.entrySet()) {
                                                    json.writeStringField(
                                                            c.getKey(),
                                                            c.getValue() ? "UP" : "DOWN");
                                                }
                                                json.writeEndObject();
                                                json.writeEndObject();
                                            });
                            exchange.json(up ? 200 : 503, body);
                        });
    }

    void metrics(ApiExchange exchange) {
        exchange.respond(
                200,
                IngestMetrics.CONTENT_TYPE,
                metrics.render().getBytes(StandardCharsets.UTF_8),
                null);
    }

    void openApi(ApiExchange exchange) {
        exchange.respond(200, "application/yaml", openApi, null);
    }
}
