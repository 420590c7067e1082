package io.ledgerflow.ingest.http;

import io.ledgerflow.ingest.auth.Partner;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * One request in flight: the matched route, path parameters, the authenticated partner, the read
 * body, and the single way to answer. Must be created on the connection's event loop; answers may
 * come from any thread (a Kafka callback) and are handed to that event loop.
 */
public final class ApiExchange {

    private final HttpServerRequest request;
    private final Context context;
    private Route route;
    private Map<String, String> pathParams = Map.of();
    private Partner partner;
    private final String requestId;
    private final long startNanos;
    private final ResponseListener listener;
    private Buffer body;
    private Map<String, String> headers;
    private ErrorCode problemCode;
    private volatile boolean answered;

    /** Told once per request, when the answer is written (for metrics and the access log). */
    public interface ResponseListener {
        void answered(ApiExchange exchange, int status, long latencyNanos);
    }

    public ApiExchange(
            HttpServerRequest request,
            String requestId,
            long startNanos,
            ResponseListener listener) {
        this.request = request;
        this.context = Vertx.currentContext();
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.listener = listener;
    }

    /** The route, or null when none matched (404, 405). */
    public Route route() {
        return route;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The authenticated partner; null only on public routes. */
    public Partner partner() {
        return partner;
    }

    public String requestId() {
        return requestId;
    }

    public HttpServerRequest request() {
        return request;
    }

    public byte[] body() {
        return body == null ? new byte[0] : body.getBytes();
    }

    void body(Buffer body) {
        this.body = body;
    }

    void route(Route route, Map<String, String> pathParams) {
        this.route = route;
        this.pathParams = pathParams;
    }

    void partner(Partner partner) {
        this.partner = partner;
    }

    public boolean answered() {
        return answered;
    }

    /**
     * A header for whatever answer comes (e.g. {@code RateLimit}); call on the connection's event
     * loop, before answering. Headers given with the answer itself win.
     */
    public void header(String name, String value) {
        if (headers == null) {
            headers = new java.util.LinkedHashMap<>(4);
        }
        headers.put(name, value);
    }

    /** A header set with {@link #header(String, String)}, or null. */
    public String header(String name) {
        return headers == null ? null : headers.get(name);
    }

    /** The code of the problem answered, or null (not answered, or not a problem). */
    public ErrorCode problemCode() {
        return problemCode;
    }

    /** Answers with a JSON body. */
    public void json(int status, byte[] json) {
        respond(status, "application/json", json, null);
    }

    /** Answers with a JSON body and extra headers. */
    public void json(int status, byte[] json, Map<String, String> headers) {
        respond(status, "application/json", json, headers);
    }

    public void problem(Problem problem) {
        problem(problem, null);
    }

    public void problem(Problem problem, Map<String, String> headers) {
        if (!answered) {
            problemCode = problem.code();
        }
        respond(problem.status(), Problem.CONTENT_TYPE, Json.problem(problem, requestId), headers);
    }

    /**
     * Starts a streamed answer (Server-Sent Events): status 200, the given content type, chunked,
     * no body limit. Counts as the answer (metrics see a 200 at once). Call on the connection's
     * event loop; the returned response is written on that loop only ({@link #onLoop}).
     */
    public HttpServerResponse startStream(String contentType) {
        if (answered) {
            throw new IllegalStateException("already answered");
        }
        answered = true;
        HttpServerResponse response = request.response();
        response.setChunked(true);
        response.setStatusCode(200);
        MultiMap h = response.headers();
        h.set("Content-Type", contentType);
        h.set("X-Request-Id", requestId);
        h.set("Cache-Control", "no-store");
        if (this.headers != null) {
            this.headers.forEach(h::set);
        }
        listener.answered(this, 200, System.nanoTime() - startNanos);
        return response;
    }

    /** Runs {@code action} on the connection's event loop. */
    public void onLoop(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Answers with any content; the first answer wins, later ones are ignored. */
    public void respond(
            int status, String contentType, byte[] content, Map<String, String> headers) {
        if (answered) {
            return;
        }
        answered = true;
        // Vert.x responses must be written on the connection's context.
        if (Vertx.currentContext() == context) {
            write(status, contentType, content, headers);
        } else {
            context.runOnContext(v -> write(status, contentType, content, headers));
        }
    }

    private void write(int status, String contentType, byte[] content, Map<String, String> extra) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            listener.answered(this, status, System.nanoTime() - startNanos);
            return;
        }
        MultiMap headers = response.headers();
        headers.set("Content-Type", contentType);
        headers.set("X-Request-Id", requestId);
        headers.set("Cache-Control", "no-store");
        if (this.headers != null) {
            this.headers.forEach(headers::set);
        }
        if (extra != null) {
            extra.forEach(headers::set);
        }
        response.setStatusCode(status);
        if (!request.isEnded()) {
            // The body was not (fully) read, e.g. it was too large: do not keep the connection,
            // its remaining bytes would be taken for the next request.
            headers.set("Connection", "close");
        }
        response.end(Buffer.buffer(content));
        listener.answered(this, status, System.nanoTime() - startNanos);
    }
}
