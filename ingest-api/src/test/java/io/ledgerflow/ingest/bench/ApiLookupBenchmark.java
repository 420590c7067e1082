package io.ledgerflow.ingest.bench;

import io.ledgerflow.ingest.bench.IngestBenchmark.Phase;
import io.ledgerflow.ingest.bench.IngestBenchmark.Recorder;
import io.ledgerflow.ingest.testutils.LedgerRequestsTopic;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lookups through the ingest API, the way partners make them: {@code GET /api/v1/transactions/{id}}
 * and {@code GET /api/v1/accounts/{id}} (half each, uniform over the seeded ids) at a fixed
 * open-loop rate, with the API in its own JVM reading the real PostgreSQL read model. Latency is
 * measured from each request's due time, so a stall delays every request behind it and shows in the
 * tail (no coordinated omission). Several runs; the median is the figure. Command: {@code
 * ingest-api/bench-lookups.sh}.
 */
public final class ApiLookupBenchmark {

    private static final String KEY = "dev-partner-key";
    private static final String PARTNER = "dev-partner";
    private static final int ACCOUNTS = 10_000;
    private static final int TRANSACTIONS = 100_000;

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(System.getProperty("bench.rate", "1000"));
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "20"));
        int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
        int poolSize = Integer.parseInt(System.getProperty("bench.poolSize", "8"));
        Path report = Path.of(System.getProperty("bench.report", "docs/benchmarks.md"));
        Path work = Files.createTempDirectory("ledgerflow-lookup-bench-");
        String loadBefore = IngestBenchmark.loadAverage();
        // Printed once the servers are stopped, so that it is the last line on stdout.
        String result;

        KafkaServer kafka =
                new KafkaServer(
                        work.resolve("kafka"),
                        IngestBenchmark.freePort(),
                        IngestBenchmark.freePort(),
                        ServerProcess.Lifetime.ATTACHED);
        SchemaRegistryServer registry =
                new SchemaRegistryServer(
                        work.resolve("registry"),
                        IngestBenchmark.freePort(),
                        ServerProcess.Lifetime.ATTACHED);
        PostgresServer postgres =
                new PostgresServer(
                        work.resolve("postgres"),
                        IngestBenchmark.freePort(),
                        ServerProcess.Lifetime.ATTACHED);
        Process api = null;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            System.out.println("starting Kafka, the schema registry and PostgreSQL ...");
            kafka.start();
            registry.start();
            postgres.start();
            LedgerRequestsTopic.create(kafka.bootstrapServers());
            PostgresMigrations.apply(
                    postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
            seed(postgres.jdbcUrl());

            int port = IngestBenchmark.freePort();
            api =
                    IngestBenchmark.startReadModelApi(
                            work, port, kafka, registry, postgres, poolSize);

            HttpClient client =
                    vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setDefaultHost("127.0.0.1")
                                    .setDefaultPort(port)
                                    .setKeepAlive(true),
                            new PoolOptions().setHttp1MaxSize(64));
            System.out.println("warm-up (10 s at " + rate + "/s) ...");
            fixedRate(vertx, client, rate, 10);
            List<Row> rows = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Phase phase = fixedRate(vertx, client, rate, seconds);
                Row row = new Row(LocalDateTime.now(), phase, IngestBenchmark.loadAverage());
                rows.add(row);
                System.out.println("run " + run + ": " + row.describe());
            }
            Row median =
                    rows.stream()
                            .sorted(Comparator.comparingDouble(Row::p99))
                            .toList()
                            .get(rows.size() / 2);
            System.out.println("median run by p99: " + median.describe());
            writeReport(report, rate, seconds, poolSize, rows, median);
            System.out.println("results written to " + report.toAbsolutePath());
            result = resultLine(rate, rows, loadBefore);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (api != null) {
                api.destroy();
                api.waitFor(10, TimeUnit.SECONDS);
                api.destroyForcibly();
            }
            postgres.stop();
            registry.stop();
            kafka.stop();
        }
        System.out.flush();
        System.out.println(result);
        System.exit(0);
    }

    /** The machine-readable summary: the offered rate, medians over the runs, the load average. */
    private static String resultLine(int rate, List<Row> rows, String loadBefore) {
        return String.format(
                Locale.ROOT,
                "RESULT api_lookup_rate=%d api_lookup_p50_ms=%.2f api_lookup_p99_ms=%.2f"
                        + " api_lookup_p999_ms=%.2f api_lookup_failed=%d load_before=%s"
                        + " load_after=%s",
                rate,
                IngestBenchmark.median(
                        rows.stream().mapToDouble(r -> r.phase().percentileMillis(50)).toArray()),
                IngestBenchmark.median(rows.stream().mapToDouble(Row::p99).toArray()),
                IngestBenchmark.median(
                        rows.stream().mapToDouble(r -> r.phase().percentileMillis(99.9)).toArray()),
                rows.stream().mapToLong(r -> r.phase().failed()).sum(),
                loadBefore,
                IngestBenchmark.loadAverage());
    }

    /** Seeds the partner's accounts and transactions in one statement each. */
    private static void seed(String url) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                url, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO accounts (account_id, partner_id, currency, account_type, status,"
                            + " balance_minor, held_minor, available_minor, overdraft_limit_minor,"
                            + " last_sequence, version, cause_id, updated_time)"
                            + " SELECT 'acc-' || i, '"
                            + PARTNER
                            + "', 'EUR', 'CUSTOMER', 'OPEN', i * 100, 0, i * 100, 0, i, i,"
                            + " 'seed', now() FROM generate_series(1, "
                            + ACCOUNTS
                            + ") i");
            s.execute(
                    "INSERT INTO transactions (partner_id, transaction_id, type, status,"
                            + " status_rank, source_account_id, destination_account_id,"
                            + " amount_minor, currency, event_time, received_time, decided_time)"
                            + " SELECT '"
                            + PARTNER
                            + "', 'tx-' || i, 'TRANSFER', 'COMPLETED', 1, 'acc-' || (i % "
                            + ACCOUNTS
                            + " + 1), 'acc-' || ((i + 1) % "
                            + ACCOUNTS
                            + " + 1), i, 'EUR', now(), now(), now()"
                            + " FROM generate_series(1, "
                            + TRANSACTIONS
                            + ") i");
            s.execute("ANALYZE");
        }
        System.out.printf(
                Locale.ROOT, "seeded %,d accounts and %,d transactions%n", ACCOUNTS, TRANSACTIONS);
    }

    /** Open loop: a GET every 1/rate s regardless of answers; latency from the due time. */
    private static Phase fixedRate(Vertx vertx, HttpClient client, int perSecond, int seconds)
            throws InterruptedException {
        return IngestBenchmark.openLoop(
                vertx, perSecond, seconds, (recorder, due) -> get(client, recorder, due));
    }

    private static io.vertx.core.Future<Void> get(HttpClient client, Recorder recorder, long due) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String uri =
                random.nextBoolean()
                        ? "/api/v1/transactions/tx-" + (1 + random.nextInt(TRANSACTIONS))
                        : "/api/v1/accounts/acc-" + (1 + random.nextInt(ACCOUNTS));
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setURI(uri)
                        .putHeader("X-Api-Key", KEY);
        return client.request(options)
                .compose(request -> request.send())
                .compose(
                        response ->
                                response.body()
                                        .map(
                                                b -> {
                                                    recorder.record(System.nanoTime() - due);
                                                    if (response.statusCode() == 200) {
                                                        recorder.ok.increment();
                                                    } else {
                                                        recorder.failed.increment();
                                                    }
                                                    return (Void) null;
                                                }))
                .recover(
                        error -> {
                            recorder.failed.increment();
                            return io.vertx.core.Future.succeededFuture();
                        });
    }

    private record Row(LocalDateTime when, Phase phase, String loadAverage) {
        double p99() {
            return phase.percentileMillis(99);
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,.0f lookups/s, %d failed; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f"
                            + " ms; load average %s",
                    phase.requestsPerSecond(),
                    phase.failed(),
                    phase.percentileMillis(50),
                    phase.percentileMillis(99),
                    phase.percentileMillis(99.9),
                    phase.percentileMillis(100),
                    loadAverage);
        }

        String tableRow() {
            return String.format(
                    Locale.ROOT,
                    "| %s | %,.0f/s | %d | %.2f | %.2f | %.2f | %.2f | %s |",
                    when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                    phase.requestsPerSecond(),
                    phase.failed(),
                    phase.percentileMillis(50),
                    phase.percentileMillis(99),
                    phase.percentileMillis(99.9),
                    phase.percentileMillis(100),
                    loadAverage);
        }
    }

    private static void writeReport(
            Path report, int rate, int seconds, int poolSize, List<Row> rows, Row median)
            throws IOException {
        StringBuilder section = new StringBuilder();
        section.append("## Read model lookups through the API (issue 5)\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                """
                                Command: `ingest-api/bench-lookups.sh`. Machine: 2 cores, 24 GiB,
                                shared (load average per run below). `GET /api/v1/transactions/{id}`
                                and `GET /api/v1/accounts/{id}`, half each, uniform over %,d seeded
                                transactions and %,d accounts, at a fixed %,d requests/s open loop
                                for %d s per run after a 10 s warm-up, %d runs. The API runs in its
                                own JVM (`-Xmx512m`, 2 event loops, read model pool %d) against
                                PostgreSQL 17 from local-servers; the client (Vert.x, 1 event loop)
                                measures from each request's due time. Target: p99 < 5 ms at 1,000
                                lookups/s.

                                **Median run by p99: p50 %.2f ms, p99 %.2f ms** (load average %s).

                                | when | reached | failed | p50 ms | p99 ms | p99.9 ms | max ms | load average |
                                |---|---|---|---|---|---|---|---|
                                """,
                                TRANSACTIONS,
                                ACCOUNTS,
                                rate,
                                seconds,
                                rows.size(),
                                poolSize,
                                median.phase().percentileMillis(50),
                                median.p99(),
                                median.loadAverage()));
        rows.forEach(r -> section.append(r.tableRow()).append('\n'));
        section.append('\n');
        String existing = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\n";
        String heading = "## Read model lookups through the API";
        int at = existing.indexOf(heading);
        String updated;
        if (at < 0) {
            int before = existing.indexOf("## Ledger job");
            updated =
                    before < 0
                            ? existing + section
                            : existing.substring(0, before) + section + existing.substring(before);
        } else {
            int next = existing.indexOf("\n## ", at + 1);
            updated =
                    existing.substring(0, at)
                            + section
                            + (next < 0 ? "" : existing.substring(next + 1));
        }
        Files.writeString(report, updated, StandardCharsets.UTF_8);
    }
}
