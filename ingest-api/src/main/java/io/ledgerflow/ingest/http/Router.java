package io.ledgerflow.ingest.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches a request path against the routes: literal segments first, then {@code {param}} segments,
 * so {@code /api/v1/transactions:batch} never reads as a transaction id.
 *
 * <p>A tiny hand-written router instead of vertx-web: the API has a dozen fixed routes, and a
 * router of our own knows exactly which routes it serves (the OpenAPI test enumerates them) and
 * answers 404 versus 405-with-Allow precisely.
 */
public final class Router {

    private final List<Route> routes;
    private final List<List<String>> segments = new ArrayList<>();

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (Route route : this.routes) {
            segments.add(route.segments());
        }
    }

    public List<Route> routes() {
        return routes;
    }

    /** What a path and method resolve to. */
    public sealed interface Match {}

    /** A route serves the path and the method. */
    public record Found(Route route, Map<String, String> pathParams) implements Match {}

    /** No route serves the path. */
    public record NotFound() implements Match {}

    /** Routes serve the path, but not with this method. */
    public record MethodNotAllowed(Set<String> allowed) implements Match {}

    public Match match(String method, String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return new NotFound();
        }
        String[] parts = path.substring(1).split("/", -1);
        Found best = null;
        int bestLiterals = -1;
        Set<String> allowed = new TreeSet<>();
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            Map<String, String> params = matchSegments(segments.get(r), parts);
            if (params == null) {
                continue;
            }
            int literals = params.isEmpty() ? parts.length : parts.length - params.size();
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            if (literals > bestLiterals) {
                best = new Found(route, params);
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return best;
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    private static Map<String, String> matchSegments(List<String> template, String[] parts) {
        if (template.size() != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String expected = template.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>(2);
                }
                params.put(expected.substring(1, expected.length() - 1), parts[i]);
            } else if (!expected.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Method and template of every route, e.g. {@code "GET /api/v1/accounts/{accountId}"}. */
    public List<String> describe() {
        List<String> all = new ArrayList<>();
        for (Route route : routes) {
            all.add(route.method() + " " + route.template());
        }
        return all;
    }
}
