package io.ledgerflow.ingest.http;

/** Answers a matched, authenticated request whose body (if any) has been read. */
@FunctionalInterface
public interface RouteHandler {
    void handle(ApiExchange exchange);
}
