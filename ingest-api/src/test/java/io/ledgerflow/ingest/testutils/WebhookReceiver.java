package io.ledgerflow.ingest.testutils;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP receiver of webhooks on 127.0.0.1 for the tests: records every request it gets (the
 * Standard Webhooks headers and the body) and answers what it is told to ({@link #answer}): 204, an
 * error status, a redirect, or nothing for a while (a hanging endpoint).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request received. */
    public record Received(
            String path,
            String id,
            String timestamp,
            String signature,
            String body,
            int answered,
            Instant at) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile int status = 204;
    private volatile Duration delay = Duration.ZERO;
    private volatile String location;
    private final AtomicInteger requests = new AtomicInteger();

    public WebhookReceiver() {
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext(
                "/",
                ex -> {
                    requests.incrementAndGet();
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    Duration wait = delay;
                    if (!wait.isZero()) {
                        try {
                            Thread.sleep(wait.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    int answer = status;
                    synchronized (received) {
                        received.add(
                                new Received(
                                        ex.getRequestURI().getPath(),
                                        ex.getRequestHeaders().getFirst("webhook-id"),
                                        ex.getRequestHeaders().getFirst("webhook-timestamp"),
                                        ex.getRequestHeaders().getFirst("webhook-signature"),
                                        new String(body, StandardCharsets.UTF_8),
                                        answer,
                                        Instant.now()));
                    }
                    if (location != null && answer >= 300 && answer < 400) {
                        ex.getResponseHeaders().set("Location", location);
                    }
                    ex.sendResponseHeaders(answer, -1);
                    ex.close();
                });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** From now on, answer {@code status} (after {@code delay}). */
    public void answer(int status, Duration delay) {
        this.status = status;
        this.delay = delay;
    }

    /** Answers 3xx with this Location. */
    public void redirectTo(String location) {
        this.location = location;
        this.status = 302;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Requests answered 2xx, first per webhook id, in arrival order. */
    public Map<String, Received> delivered() {
        Map<String, Received> first = new LinkedHashMap<>();
        for (Received r : received()) {
            if (r.answered() >= 200 && r.answered() < 300) {
                first.putIfAbsent(r.id(), r);
            }
        }
        return first;
    }

    public List<Received> deliveredInOrder() {
        return new ArrayList<>(delivered().values());
    }

    public static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
