package io.ledgerflow.ingest.http;

import io.ledgerflow.ingest.auth.Partner;
import io.ledgerflow.ingest.auth.PartnerDirectory;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Everything every request goes through before a route handler sees it, in this order: request id,
 * route match (404, 405 with Allow), body read with a size limit (413), API key (401: unknown,
 * expired or revoked), partner suspended (403 PARTNER_SUSPENDED, on every route, before any scope
 * check so a suspended partner learns why), key scope (403), the partner's request rate limit (429,
 * {@link RequestGate}), Content-Type (415); then the handler, whose {@link
 * InvalidRequestException}s become problem answers. Every answer is counted and, for server errors,
 * logged.
 *
 * <p>The body is read completely before any answer, even an error, so the connection stays usable
 * for the next request (keep-alive); only a body over the limit closes it.
 */
public final class HttpFront implements Handler<HttpServerRequest>, ApiExchange.ResponseListener {

    private static final Logger ACCESS = LogManager.getLogger("io.ledgerflow.ingest.access");
    private static final Logger LOG = LogManager.getLogger(HttpFront.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final Router router;
    private final PartnerDirectory partners;
    private final int maxBodyBytes;
    private final int maxBatchBodyBytes;
    private final RequestMetrics metrics;
    private final RequestGate gate;
    private final String idPrefix;
    private final AtomicLong idCounter = new AtomicLong();

    /** Told about every answer. */
    public interface RequestMetrics {
        void request(String route, String method, int status, long nanos);

        /** An answer to an authenticated caller; {@code code} is the problem's, null on success. */
        default void partnerRequest(String partnerId, int status, ErrorCode code, long nanos) {}
    }

    /**
     * Decides right after authentication, before the body is parsed, whether the partner's request
     * goes on (the per-partner request rate limit); when not, it has answered the exchange.
     */
    public interface RequestGate {
        RequestGate ALL = exchange -> true;

        boolean admit(ApiExchange exchange);
    }

    public HttpFront(
            Router router,
            PartnerDirectory partners,
            int maxBodyBytes,
            int maxBatchBodyBytes,
            RequestMetrics metrics) {
        this(router, partners, maxBodyBytes, maxBatchBodyBytes, metrics, RequestGate.ALL);
    }

    public HttpFront(
            Router router,
            PartnerDirectory partners,
            int maxBodyBytes,
            int maxBatchBodyBytes,
            RequestMetrics metrics,
            RequestGate gate) {
        this.gate = gate;
        this.router = router;
        this.partners = partners;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchBodyBytes = maxBatchBodyBytes;
        this.metrics = metrics;
        // Cheap unique ids: a random per-process prefix and a counter (no SecureRandom per call).
        this.idPrefix =
                Long.toString(new SecureRandom().nextLong() & 0xffffffffffL, 36)
                        .toLowerCase(Locale.ROOT);
    }

    @Override
    public void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        String requestId = request.getHeader(REQUEST_ID_HEADER);
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            requestId = newRequestId();
        }
        ApiExchange exchange = new ApiExchange(request, requestId, start, this);
        Router.Match match = router.match(request.method().name(), request.path());
        int limit = maxBodyBytes;
        if (match instanceof Router.Found found) {
            exchange.route(found.route(), found.pathParams());
            if (found.route().body() == Route.BodyKind.JSON_BATCH) {
                limit = maxBatchBodyBytes;
            }
        }
        String contentLength = request.getHeader("Content-Length");
        if (contentLength != null && exceeds(contentLength, limit)) {
            exchange.problem(tooLarge(limit));
            return;
        }
        int bodyLimit = limit;
        Buffer body = Buffer.buffer();
        request.handler(
                chunk -> {
                    if (exchange.answered()) {
                        return;
                    }
                    if (body.length() + chunk.length() > bodyLimit) {
                        exchange.problem(tooLarge(bodyLimit));
                        return;
                    }
                    body.appendBuffer(chunk);
                });
        request.exceptionHandler(
                error ->
                        LOG.debug("request {} failed: {}", exchange.requestId(), error.toString()));
        request.endHandler(
                end -> {
                    if (!exchange.answered()) {
                        exchange.body(body);
                        dispatch(exchange, match);
                    }
                });
    }

    /**
     * A request Netty could not parse (a header block or request line over the server's limits,
     * broken framing) gets a problem answer like any other instead of Vert.x's empty one. The
     * connection then closes, and says so: whatever follows on it cannot be trusted to start a new
     * request.
     */
    public void invalidRequest(HttpServerRequest request) {
        ApiExchange exchange = new ApiExchange(request, newRequestId(), System.nanoTime(), this);
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.of(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large");
        } else if (cause instanceof TooLongHttpLineException) {
            problem = Problem.of(ErrorCode.URI_TOO_LONG, "the request line is too long");
        } else {
            problem = Problem.of(ErrorCode.MALFORMED_REQUEST, "the request is not valid HTTP/1.1");
        }
        exchange.problem(problem, Map.of("Connection", "close"));
    }

    private String newRequestId() {
        return idPrefix + "-" + Long.toString(idCounter.incrementAndGet(), 36);
    }

    private void dispatch(ApiExchange exchange, Router.Match match) {
        if (match instanceof Router.NotFound) {
            exchange.problem(
                    Problem.of(ErrorCode.ROUTE_NOT_FOUND, "no route " + safePath(exchange)));
            return;
        }
        if (match instanceof Router.MethodNotAllowed notAllowed) {
            String allow = String.join(", ", notAllowed.allowed());
            exchange.problem(
                    Problem.of(
                            ErrorCode.METHOD_NOT_ALLOWED,
                            exchange.request().method().name()
                                    + " is not allowed here; allowed: "
                                    + allow),
                    Map.of("Allow", allow));
            return;
        }
        Route route = exchange.route();
        if (route.access() != Route.Access.PUBLIC) {
            Optional<Partner> partner =
                    partners.authenticate(exchange.request().getHeader(API_KEY_HEADER));
            if (partner.isEmpty()) {
                exchange.problem(
                        Problem.of(
                                ErrorCode.UNAUTHENTICATED,
                                "send a valid API key in the " + API_KEY_HEADER + " header"),
                        Map.of("WWW-Authenticate", "ApiKey header=\"" + API_KEY_HEADER + "\""));
                return;
            }
            if (partner.get().suspended()) {
                exchange.problem(
                        Problem.of(
                                ErrorCode.PARTNER_SUSPENDED,
                                "partner "
                                        + partner.get().partnerId()
                                        + " is suspended; its accounts and money are untouched"));
                return;
            }
            if (!partner.get().scope().includes(route.access().scope())) {
                exchange.problem(
                        route.access() == Route.Access.ADMIN
                                ? Problem.of(
                                        ErrorCode.ADMIN_REQUIRED, "this route needs an admin key")
                                : Problem.of(
                                        ErrorCode.SCOPE_INSUFFICIENT,
                                        "this route needs a key of scope "
                                                + route.access()
                                                        .scope()
                                                        .name()
                                                        .toLowerCase(Locale.ROOT)
                                                + "; this key has "
                                                + partner.get()
                                                        .scope()
                                                        .name()
                                                        .toLowerCase(Locale.ROOT)));
                return;
            }
            exchange.partner(partner.get());
            if (!gate.admit(exchange)) {
                return;
            }
        }
        if (route.body() != Route.BodyKind.NONE
                && !isJson(exchange.request().getHeader("Content-Type"))) {
            exchange.problem(
                    Problem.of(
                            ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json"));
            return;
        }
        try {
            route.handler().handle(exchange);
        } catch (InvalidRequestException e) {
            exchange.problem(e.problem());
        } catch (RuntimeException e) {
            LOG.error(
                    new StringMapMessage()
                            .with("message", "request failed")
                            .with("requestId", exchange.requestId())
                            .with("route", route.template())
                            .with("error", e.toString()),
                    e);
            exchange.problem(Problem.of(ErrorCode.INTERNAL_ERROR, "internal error"));
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media =
                (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                        .strip()
                        .toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }

    private static boolean exceeds(String contentLength, int limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return false; // Netty rejects malformed lengths itself.
        }
    }

    private static Problem tooLarge(int limit) {
        return Problem.of(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "the request body exceeds the limit of " + limit + " bytes");
    }

    private static String safePath(ApiExchange exchange) {
        String path = exchange.request().path();
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    @Override
    public void answered(ApiExchange exchange, int status, long latencyNanos) {
        String route = exchange.route() == null ? "unmatched" : exchange.route().template();
        String method = exchange.request().method().name();
        metrics.request(route, method, status, latencyNanos);
        if (exchange.partner() != null) {
            metrics.partnerRequest(
                    exchange.partner().partnerId(), status, exchange.problemCode(), latencyNanos);
        }
        if (status >= 500 || ACCESS.isDebugEnabled()) {
            // Never the API key, never the body: ids, route, status, timing and the partner.
            StringMapMessage line =
                    new StringMapMessage()
                            .with("message", "request")
                            .with("requestId", exchange.requestId())
                            .with("method", method)
                            .with("route", route)
                            .with("status", status)
                            .with("latencyMicros", latencyNanos / 1000);
            if (exchange.partner() != null) {
                line.with("partnerId", exchange.partner().partnerId());
                line.with("keyId", exchange.partner().keyId());
            }
            if (status >= 500) {
                ACCESS.warn(line);
            } else {
                ACCESS.debug(line);
            }
        }
    }
}
