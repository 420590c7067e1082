package io.ledgerflow.localplatform.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local run's dashboard page, served by the JDK's own HTTP server from this JVM: the page and
 * its chart library (Chart.js, copied from npm into the classes by the build, so it works offline)
 * and two small JSON endpoints the page reads every few seconds: {@code /api/analytics} (the
 * analyst panels, run on ClickHouse: {@link AnalystPanels}) and {@code /api/operations} (the
 * operational figures read from the metrics: {@link OperationalFigures}). Listens on 127.0.0.1
 * only: it is a person's local view, with no authentication.
 */
public final class DashboardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> FILES =
            Map.of(
                    "/", "index.html",
                    "/index.html", "index.html",
                    "/dashboard.js", "dashboard.js",
                    "/dashboard.css", "dashboard.css",
                    "/vendor/chart.umd.min.js", "vendor/chart.umd.min.js");

    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves the page on {@code port} (0: any free port). */
    public static DashboardServer start(
            int port, AnalystPanels analysts, OperationalFigures operations) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "dashboard-page");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext(
                "/api/analytics", exchange -> json(exchange, Map.of("panels", analysts.run())));
        server.createContext(
                "/api/operations",
                exchange -> json(exchange, Map.of("charts", operations.charts())));
        server.createContext("/", DashboardServer::file);
        server.start();
        return new DashboardServer(server, executor);
    }

    /** Where a person opens it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void json(HttpExchange exchange, Object body) throws IOException {
        try (exchange) {
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (RuntimeException e) {
                send(
                        exchange,
                        500,
                        "text/plain",
                        String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, 200, "application/json", bytes);
        }
    }

    private static void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = FILES.get(exchange.getRequestURI().getPath());
            if (name == null || !exchange.getRequestMethod().equals("GET")) {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
                if (in == null) {
                    send(
                            exchange,
                            500,
                            "text/plain",
                            ("/dashboard/" + name + " missing from the class path: build")
                                    .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(exchange, 200, contentType(name), in.readAllBytes());
            }
        }
    }

    private static String contentType(String name) {
        return name.endsWith(".html")
                ? "text/html; charset=utf-8"
                : name.endsWith(".css") ? "text/css" : "text/javascript";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
