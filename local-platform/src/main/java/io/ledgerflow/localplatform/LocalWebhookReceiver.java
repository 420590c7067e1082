package io.ledgerflow.localplatform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The local run's webhook receiver: answers every POST to {@link #url()} with 204 and appends one
 * line per webhook to {@link #log()}: the time it arrived, its {@code webhook-id} and its body. A
 * person watches it with {@code tail -f}; nothing checks the signature (the ITCases do that).
 */
final class LocalWebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Path log;

    private LocalWebhookReceiver(HttpServer server, Path log) {
        this.server = server;
        this.log = log;
    }

    /** On a free loopback port; {@code log} is created or appended to. */
    static LocalWebhookReceiver start(Path log) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        LocalWebhookReceiver receiver = new LocalWebhookReceiver(server, log);
        server.createContext("/hooks", receiver::receive);
        // The server's one dispatcher thread handles the webhooks one at a time: lines never mix.
        server.start();
        return receiver;
    }

    private void receive(HttpExchange ex) throws IOException {
        try (ex;
                InputStream in = ex.getRequestBody()) {
            if (!ex.getRequestMethod().equals("POST")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String line =
                    Instant.now()
                            + " "
                            + ex.getRequestHeaders().getFirst("webhook-id")
                            + " "
                            + body.replace('\n', ' ')
                            + "\n";
            Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ex.sendResponseHeaders(204, -1);
        }
    }

    /** Where endpoints point. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** One line per webhook received. */
    Path log() {
        return log;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
