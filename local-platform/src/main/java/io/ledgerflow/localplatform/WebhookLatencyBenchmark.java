package io.ledgerflow.localplatform;

import com.sun.net.httpserver.HttpServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Partner;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15: latency from the API accepting a transfer to its webhook arriving at the partner's
 * receiver, at a fixed offered rate (default 500 transfers/s). The whole platform on this machine
 * ({@link RunningPlatform}: servers, ledger and sinks jobs, the API), plus the notifier in its own
 * JVM and one HTTP receiver (this JVM) behind one endpoint per partner, created through the API.
 * Both ends on this machine's clock: the API's {@code received_time} of the transaction (read
 * model) and the moment the receiver got the webhook.
 *
 * <p>Usage: {@code local-platform/bench-webhooks.sh [RATE] [SECONDS]} (default {@code 500 30}).
 * Last line: {@code RESULT rate=... accepted=... webhooks=... p50_ms=... p99_ms=... max_ms=...
 * load_before=... load_after=...}.
 */
public final class WebhookLatencyBenchmark {

    private static final Pattern TRANSACTION_ID = Pattern.compile("\"transactionId\":\"([^\"]+)\"");

    private WebhookLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 30));
        String loadBefore = loadAverage();
        Path dataDir = Files.createTempDirectory("ledgerflow-webhook-bench-");
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(20)
                                .accountsPerPartner(50)
                                .invalidShare(0)
                                .fraudShare(0)
                                .mix(0, 0, 0, 0)
                                .build());
        Path keys = dataDir.resolve("api-keys");
        Files.write(keys, population.apiKeysFileLines());

        // The receiver: when each transaction's webhook first arrived.
        Map<String, Instant> arrived = new ConcurrentHashMap<>();
        HttpServer receiver =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext(
                "/",
                ex -> {
                    Instant now = Instant.now();
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    Matcher m = TRANSACTION_ID.matcher(new String(body, StandardCharsets.UTF_8));
                    if (m.find()) {
                        arrived.putIfAbsent(m.group(1), now);
                    }
                    ex.sendResponseHeaders(204, -1);
                    ex.close();
                });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

        Process notifier = null;
        try (RunningPlatform platform =
                RunningPlatform.start(
                        dataDir,
                        freePort(),
                        Map.of(
                                "LEDGERFLOW_API_KEYS_FILE", keys.toString(),
                                "LEDGERFLOW_RATE_LIMITS_ENABLED", "false",
                                "LEDGERFLOW_WEBHOOK_URL_POLICY", "development"),
                        System.out::println)) {
            HttpClient http = HttpClient.newHttpClient();
            for (Partner partner : population.partners()) {
                HttpResponse<String> created =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.api.baseUrl()
                                                                + "/api/v1/webhooks/endpoints"))
                                        .header("X-Api-Key", partner.apiKey())
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"url\":\""
                                                                + hook
                                                                + "\",\"eventTypes\":[\"transaction.completed\",\"transaction.rejected\"]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("endpoint not created: " + created.body());
                }
            }
            String db = platform.readModelUrl();
            notifier =
                    IngestApiProcess.startNotifier(
                            dataDir.resolve("notifier"),
                            Map.of(
                                    "LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS",
                                    platform.servers.kafka().bootstrapServers(),
                                    "LEDGERFLOW_SCHEMA_REGISTRY_URL",
                                    platform.servers.schemaRegistry().url(),
                                    "LEDGERFLOW_NOTIFIER_JDBC_URL",
                                    db,
                                    "LEDGERFLOW_NOTIFIER_USER",
                                    PostgresServer.USER,
                                    "LEDGERFLOW_NOTIFIER_PASSWORD",
                                    PostgresServer.PASSWORD,
                                    "LEDGERFLOW_NOTIFIER_HTTP_PORT",
                                    "0",
                                    "LEDGERFLOW_WEBHOOK_URL_POLICY",
                                    "development",
                                    "LEDGERFLOW_WEBHOOK_POLL",
                                    "50ms"));
            String runPrefix = "wh-" + Long.toString(System.currentTimeMillis(), 36);
            if (!warmUp.isZero()) {
                System.out.printf(Locale.ROOT, "%n== warm-up: 100 transfers/s for %s%n", warmUp);
                run(population, platform)
                        .execute(
                                runPrefix + "-warmup",
                                LoadPlan.openLoop(100, 100 * warmUp.toSeconds(), warmUp)
                                        .withMaxInFlight(2_000),
                                Duration.ofSeconds(3));
            }
            String runId = runPrefix + "-r" + rate;
            System.out.printf(Locale.ROOT, "%n== %,d transfers/s for %s%n", rate, duration);
            GeneratorRun.Result result =
                    run(population, platform)
                            .execute(
                                    runId,
                                    LoadPlan.openLoop(rate, rate * duration.toSeconds(), duration)
                                            .withProgressInterval(Duration.ofSeconds(5))
                                            .withMaxInFlight(2_000),
                                    Duration.ofSeconds(3));
            long accepted = result.load().accepted();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && count(arrived, runId) < accepted) {
                Thread.sleep(500);
            }
            // The read model holds each transfer's received_time once the sinks job wrote it.
            List<Double> millis = latencies(db, arrived, runId);
            long pgDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (millis.size() < count(arrived, runId) && System.nanoTime() < pgDeadline) {
                Thread.sleep(500);
                millis = latencies(db, arrived, runId);
            }
            System.out.printf(
                    Locale.ROOT,
                    "webhooks received for this run: %d of %d accepted; %d matched in the read"
                            + " model%n",
                    count(arrived, runId),
                    accepted,
                    millis.size());
            stages(db, runId);
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            String line =
                    String.format(
                            Locale.ROOT,
                            "RESULT rate=%d accepted=%d webhooks=%d p50_ms=%.0f p99_ms=%.0f"
                                    + " max_ms=%.0f load_before=%s load_after=%s",
                            rate,
                            accepted,
                            sorted.length,
                            quantile(sorted, 0.5),
                            quantile(sorted, 0.99),
                            sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
                            loadBefore,
                            loadAverage());
            System.out.println(
                    "accept -> webhook received: see the RESULT line; notifier log in "
                            + dataDir.resolve("notifier"));
            System.out.flush();
            System.out.println(line);
        } finally {
            if (notifier != null) {
                notifier.destroy();
            }
            receiver.stop(0);
        }
        System.exit(0);
    }

    private static GeneratorRun run(Population population, RunningPlatform platform) {
        return new GeneratorRun(
                population,
                new HttpTarget(platform.api.baseUrl(), population, Duration.ofSeconds(10)),
                LoadClock.SYSTEM,
                System.out,
                null);
    }

    private static long count(Map<String, Instant> arrived, String runId) {
        return arrived.keySet().stream().filter(id -> id.startsWith(runId)).count();
    }

    /** Received at the receiver minus received by the API (read model), per transfer. */
    private static List<Double> latencies(String db, Map<String, Instant> arrived, String runId)
            throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection(
                                db, PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT transaction_id, received_time FROM transactions WHERE"
                                        + " transaction_id LIKE ? AND type = 'TRANSFER'")) {
            ps.setString(1, runId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant got = arrived.get(rs.getString(1));
                    if (got != null) {
                        out.add(
                                Duration.between(rs.getTimestamp(2).toInstant(), got).toNanos()
                                        / 1e6);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Where the time went, per stage, from the notifier's own rows: API received -> ledger decided
     * (the event's occurred_at) -> event recorded in the outbox -> first attempt started.
     */
    private static void stages(String db, String runId) throws Exception {
        String[] names = {
            "received -> decided", "decided -> recorded", "recorded -> first attempt"
        };
        List<List<Double>> stages =
                List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (Connection c =
                        DriverManager.getConnection(
                                db, PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT t.received_time, p.occurred_at, p.recorded_at,"
                                        + " min(a.attempted_at) FROM partner_events p JOIN"
                                        + " transactions t ON t.transaction_id = (p.body::jsonb"
                                        + " #>> '{data,transactionId}') JOIN webhook_deliveries d"
                                        + " ON d.event_seq = p.seq JOIN webhook_attempts a ON"
                                        + " a.delivery_id = d.delivery_id WHERE t.transaction_id"
                                        + " LIKE ? GROUP BY t.transaction_id, t.received_time,"
                                        + " p.occurred_at, p.recorded_at")) {
            ps.setString(1, runId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 0; i < 3; i++) {
                        stages.get(i)
                                .add(
                                        Duration.between(
                                                                rs.getTimestamp(i + 1).toInstant(),
                                                                rs.getTimestamp(i + 2).toInstant())
                                                        .toNanos()
                                                / 1e6);
                    }
                }
            }
        }
        try (Connection c =
                        DriverManager.getConnection(
                                db, PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT coalesce(error, 'delivered'), count(*),"
                                        + " percentile_disc(0.5) WITHIN GROUP (ORDER BY"
                                        + " latency_ms), percentile_disc(0.99) WITHIN GROUP"
                                        + " (ORDER BY latency_ms) FROM webhook_attempts GROUP BY"
                                        + " 1 ORDER BY 2 DESC LIMIT 5");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                System.out.printf(
                        Locale.ROOT,
                        "attempts: %,8d  %s  (attempt latency p50 %d ms, p99 %d ms)%n",
                        rs.getLong(2),
                        rs.getString(1),
                        rs.getInt(3),
                        rs.getInt(4));
            }
        }
        for (int i = 0; i < 3; i++) {
            double[] sorted =
                    stages.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "stage %-26s p50 %,8.0f ms  p99 %,8.0f ms  (%d transfers)%n",
                    names[i],
                    quantile(sorted, 0.5),
                    quantile(sorted, 0.99),
                    sorted.length);
        }
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
