package io.ledgerflow.testdata.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.population.Request;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ingest API, called like a partner would: {@code POST /api/v1/accounts} and {@code POST
 * /api/v1/transactions} with the partner's {@code X-Api-Key}. Accepted means 202; anything else is
 * an error typed by status and the problem's {@code code} ({@code HTTP_400/INVALID_AMOUNT}).
 *
 * <p>java.net.http over HTTP/1.1 with keep-alive: no dependency, asynchronous, and its connection
 * pool grows to the requests in flight, which the load runner bounds.
 */
public final class HttpTarget implements Target {

    private final URI base;
    private final Population population;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8080}
     * @param population whose partners' API keys authenticate the requests
     * @param timeout per request; a request that takes longer is a {@code TIMEOUT} error
     */
    public HttpTarget(String baseUrl, Population population, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.population = population;
        this.timeout = timeout;
        // Two threads complete responses: parsing a small problem body is cheap, and the machine
        // the generator shares with the platform has few cores.
        this.executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "http-target");
                            t.setDaemon(true);
                            return t;
                        });
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .executor(executor)
                        .build();
    }

    @Override
    public CompletableFuture<Outcome> send(Request request) {
        String path;
        String body;
        if (request instanceof AccountOpening o) {
            path = "api/v1/accounts";
            body = RequestJson.opening(o).toString();
        } else {
            path = "api/v1/transactions";
            body = RequestJson.movement((Movement) request).toString();
        }
        HttpRequest http =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", population.partner(request.partnerId()).apiKey())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try {
            return this.http
                    .sendAsync(http, HttpResponse.BodyHandlers.ofString())
                    .handle(
                            (response, error) ->
                                    error != null ? Outcome.failed(error) : outcome(response));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.failed(e));
        }
    }

    private static Outcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202 || status == 200) {
            return Outcome.success();
        }
        String code = "";
        try {
            JsonNode problem = RequestJson.MAPPER.readTree(response.body());
            code = problem.path("code").asText("");
        } catch (Exception notJson) {
            // A proxy's or server's non-problem answer: the status alone says enough.
        }
        return Outcome.failed("HTTP_" + status + (code.isEmpty() ? "" : "/" + code));
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
