package io.ledgerflow.ingest.http;

import io.ledgerflow.ingest.auth.Scope;
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

    /**
     * Who may call a route: the scope a key needs ({@link Scope#includes}: write keys also read,
     * admin keys also write).
     */
    public enum Access {
        /** Health, metrics and the API description: no key, so probes and scrapers need none. */
        PUBLIC(null),
        /** GET routes of the key's own partner: any valid key. */
        READ(Scope.READ),
        /** Movements and account commands of the key's own partner: write or admin keys. */
        WRITE(Scope.WRITE),
        /** The admin routes: admin keys only (403 for the others). */
        ADMIN(Scope.ADMIN);

        private final Scope scope;

        Access(Scope scope) {
            this.scope = scope;
        }

        /** The scope a key needs; null for public routes. */
        public Scope scope() {
            return scope;
        }
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
