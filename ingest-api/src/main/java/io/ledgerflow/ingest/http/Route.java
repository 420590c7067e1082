package io.ledgerflow.ingest.http;

import java.util.List;

/**
 * One HTTP route: a method, a path template such as {@code /api/v1/accounts/{accountId}}, who may
 * call it and what the request body must be.
 *
 * @param method HTTP method, upper case
 * @param template path with {@code {name}} segments for path parameters
 * @param access who may call the route
 * @param body whether the route reads a JSON body, and how large it may be
 * @param handler what answers it
 */
public record Route(
        String method, String template, Access access, BodyKind body, RouteHandler handler) {

    /** Who may call a route. */
    public enum Access {
        /** Health, metrics and the API description: no key, so probes and scrapers need none. */
        PUBLIC,
        /** Any valid API key; the partner is the key's partner. */
        PARTNER,
        /** Only keys with the admin role (403 for partner keys). */
        ADMIN
    }

    /** What a route expects as a request body. */
    public enum BodyKind {
        /** No body is read; anything sent is discarded (up to the single-request limit). */
        NONE,
        /** One JSON object, at most the single-request body limit. */
        JSON,
        /** A JSON batch, at most the batch body limit. */
        JSON_BATCH
    }

    /** The template split into segments, e.g. {@code ["api", "v1", "accounts", "{accountId}"]}. */
    public List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }
}
