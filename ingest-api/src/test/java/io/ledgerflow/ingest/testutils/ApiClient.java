package io.ledgerflow.ingest.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for tests (java.net.http: slow, but simple and plenty for tests). */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** An answer: status, headers and body (as JSON when it is JSON). */
    public record Answer(int status, HttpResponse<String> response) {
        public JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
            }
        }

        public String body() {
            return response.body();
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        /** The problem's machine-readable code (or null when the answer is not a problem). */
        public String code() {
            JsonNode code = json().get("code");
            return code == null ? null : code.asText();
        }

        public String field() {
            JsonNode field = json().get("field");
            return field == null ? null : field.asText();
        }
    }

    public Answer post(String path, String apiKey, String body) {
        return send(
                request(path, apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer post(String path, String apiKey, String contentType, String body) {
        HttpRequest.Builder builder = request(path, apiKey);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Any method with a JSON body (PATCH, for one). */
    public Answer json(String method, String path, String apiKey, String body) {
        return send(
                request(path, apiKey)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer get(String path, String apiKey) {
        return send(request(path, apiKey).GET());
    }

    public Answer delete(String path, String apiKey) {
        return send(request(path, apiKey).DELETE());
    }

    public Answer method(String method, String path, String apiKey) {
        return send(request(path, apiKey).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response =
                    http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (apiKey != null) {
            builder.header("X-Api-Key", apiKey);
        }
        return builder;
    }
}
