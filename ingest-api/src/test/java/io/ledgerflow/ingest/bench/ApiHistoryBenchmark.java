package io.ledgerflow.ingest.bench;

import io.ledgerflow.ingest.bench.IngestBenchmark.Phase;
import io.ledgerflow.ingest.bench.IngestBenchmark.Recorder;
import io.ledgerflow.ingest.testutils.LedgerRequestsTopic;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.vertx.core.Future;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Partners' history and statements through the ingest API (issue 16), over a read model the size
 * the issue names: 10,000,000 ledger entries and 1,000,000 transactions in PostgreSQL, spread over
 * the last twelve months in the monthly partitions. At a fixed open-loop rate: half history pages
 * of 100 ({@code GET /api/v1/transactions?limit=100}, half of them for one account, half for the
 * partner before a random time), half statements of one account for one month ({@code GET
 * /api/v1/accounts/{id}/statement}). Latency is measured from each request's due time (no
 * coordinated omission); several runs, the median run by p99 is the figure. Command: {@code
 * ingest-api/bench-history.sh}.
 */
public final class ApiHistoryBenchmark {

    private static final String KEY = "dev-partner-key";
    private static final String PARTNER = "dev-partner";

    /** 100 entries per account: 10,000,000 in all. */
    private static final int ACCOUNTS = 100_000;

    private static final int ENTRIES_PER_ACCOUNT = 100;
    private static final int TRANSACTIONS = 1_000_000;

    /**
     * The seeded year ends at the start of this hour, so statements of past months are complete.
     */
    private static final Instant END = Instant.now().truncatedTo(ChronoUnit.HOURS);

    private static final Instant START = END.minus(365, ChronoUnit.DAYS);

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(System.getProperty("bench.rate", "1000"));
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "30"));
        int runs = Integer.parseInt(System.getProperty("bench.runs", "3"));
        int poolSize = Integer.parseInt(System.getProperty("bench.poolSize", "8"));
        // Long enough for the seeded tables' pages to be read into memory once: the first minute
        // reads them from disk (the 1-minute load average then counts processes waiting for I/O).
        int warmUp = Integer.parseInt(System.getProperty("bench.warmup", "90"));
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
        Path report = Path.of(System.getProperty("bench.report", "docs/benchmarks.md"));
        Path work = Files.createTempDirectory("ledgerflow-history-bench-");
        String loadBefore = IngestBenchmark.loadAverage();
        int accounts = Math.max(100, (int) (ACCOUNTS * scale));
        int transactions = Math.max(1_000, (int) (TRANSACTIONS * scale));
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
            long seedStart = System.nanoTime();
            seed(postgres.jdbcUrl(), accounts, transactions);
            System.out.printf(
                    Locale.ROOT, "seeded in %.0f s%n", (System.nanoTime() - seedStart) / 1e9);

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
            Mix mix = new Mix(accounts);
            System.out.println("checking one request of each kind ...");
            mix.check(client);
            awaitQuietMachine();
            System.out.println("warm-up (" + warmUp + " s at " + rate + "/s) ...");
            run(vertx, client, mix, rate, warmUp);
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                mix.rows.reset();
                Phase phase = run(vertx, client, mix, rate, seconds);
                Row row =
                        new Row(
                                LocalDateTime.now(),
                                phase,
                                mix.rows.sum() / Math.max(1, phase.ok()),
                                IngestBenchmark.loadAverage());
                rows.add(row);
                System.out.println("run " + i + ": " + row.describe());
            }
            Row median =
                    rows.stream()
                            .sorted(Comparator.comparingDouble(Row::p99))
                            .toList()
                            .get(rows.size() / 2);
            System.out.println("median run by p99: " + median.describe());
            writeReport(
                    report, rate, seconds, warmUp, poolSize, accounts, transactions, rows, median);
            System.out.println("results written to " + report.toAbsolutePath());
            result =
                    String.format(
                            Locale.ROOT,
                            "RESULT history_rate=%d history_p50_ms=%.2f history_p99_ms=%.2f"
                                    + " history_failed=%d entries=%d transactions=%d"
                                    + " load_before=%s load_after=%s",
                            rate,
                            IngestBenchmark.median(
                                    rows.stream()
                                            .mapToDouble(r -> r.phase().percentileMillis(50))
                                            .toArray()),
                            IngestBenchmark.median(rows.stream().mapToDouble(Row::p99).toArray()),
                            rows.stream().mapToLong(r -> r.phase().failed()).sum(),
                            (long) accounts * ENTRIES_PER_ACCOUNT,
                            transactions,
                            loadBefore,
                            IngestBenchmark.loadAverage());
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

    /**
     * Accounts, then per account 100 entries evenly over the year (every third a debit, so the
     * balance after each is exact: 100 per credit, -100 per debit), then transfers between random
     * accounts received evenly over the year. One statement each: PostgreSQL routes the rows into
     * their month partitions.
     */
    private static void seed(String url, int accounts, int transactions) throws SQLException {
        long yearSeconds = START.until(END, ChronoUnit.SECONDS);
        try (Connection c =
                        DriverManager.getConnection(
                                url, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = c.createStatement()) {
            // Months for the whole seeded year (V9 creates a year back from the migration's time).
            s.execute(
                    "SELECT ledgerflow_ensure_month_partitions('ledger_entries', DATE '"
                            + START.atZone(ZoneOffset.UTC).toLocalDate()
                            + "', 14), ledgerflow_ensure_month_partitions('transactions', DATE '"
                            + START.atZone(ZoneOffset.UTC).toLocalDate()
                            + "', 14)");
            s.execute(
                    "INSERT INTO accounts (account_id, partner_id, currency, account_type, status,"
                            + " balance_minor, held_minor, available_minor, overdraft_limit_minor,"
                            + " last_sequence, version, cause_id, updated_time)"
                            + " SELECT 'acc-' || a, '"
                            + PARTNER
                            + "', 'EUR', 'CUSTOMER', 'OPEN', 3400, 0, 3400, 0, 100, 100,"
                            + " 'seed', now() FROM generate_series(1, "
                            + accounts
                            + ") a");
            System.out.println("seeding " + (long) accounts * ENTRIES_PER_ACCOUNT + " entries ...");
            s.execute(
                    "INSERT INTO ledger_entries (account_id, sequence, transaction_id, partner_id,"
                            + " movement_type, direction, amount_minor, currency,"
                            + " balance_after_minor, counterparty_account_id, reversal, event_time,"
                            + " posted_time, previous_hash, hash, hash_format)"
                            + " SELECT 'acc-' || a, q, 'tx-e-' || a || '-' || q, '"
                            + PARTNER
                            + "', 'TRANSFER', CASE WHEN q % 3 = 0 THEN 'DEBIT' ELSE 'CREDIT' END,"
                            + " 100, 'EUR', 100 * (q - 2 * (q / 3)), 'acc-' || (a % "
                            + accounts
                            + " + 1), false, t, t, repeat('0', 64), repeat('a', 64), 2"
                            + " FROM generate_series(1, "
                            + accounts
                            + ") a, generate_series(1, "
                            + ENTRIES_PER_ACCOUNT
                            + ") q, LATERAL (SELECT TIMESTAMPTZ '"
                            + START
                            + "' + make_interval(secs => ("
                            + yearSeconds
                            + "::bigint * (q - 1) / "
                            + ENTRIES_PER_ACCOUNT
                            + ") + a % 3600)) AS p(t)");
            System.out.println("seeding " + transactions + " transactions ...");
            s.execute(
                    "INSERT INTO transactions (partner_id, transaction_id, type, status,"
                            + " status_rank, source_account_id, destination_account_id,"
                            + " amount_minor, currency, event_time, received_time, decided_time,"
                            + " metadata)"
                            + " SELECT '"
                            + PARTNER
                            + "', 'tx-' || i, 'TRANSFER', 'COMPLETED', 1, 'acc-' || (hashint4(i)"
                            + " & 2147483647) % "
                            + accounts
                            + " + 1, 'acc-' || (hashint4(i + 7) & 2147483647) % "
                            + accounts
                            + " + 1, i % 10000 + 1, 'EUR', t, t, t,"
                            + " jsonb_build_object('order', 'o-' || i)"
                            + " FROM generate_series(1, "
                            + transactions
                            + ") i, LATERAL (SELECT TIMESTAMPTZ '"
                            + START
                            + "' + make_interval(secs => "
                            + yearSeconds
                            + "::bigint * i / "
                            + transactions
                            + ")) AS p(t)");
            System.out.println("analyzing ...");
            s.execute("VACUUM ANALYZE");
        }
    }

    /**
     * Seeding ten million rows leaves the machine busy (PostgreSQL's writes, its autovacuum); a run
     * that starts above a load average of 1.5 is not a result, so the runs wait for the 1-minute
     * load average to fall to 1.0 (at most ten minutes, then they go on and the table shows it).
     */
    private static void awaitQuietMachine() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (Double.parseDouble(IngestBenchmark.loadAverage()) > 1.0
                && System.nanoTime() < deadline) {
            System.out.println(
                    "load average " + IngestBenchmark.loadAverage() + "; waiting for 1.0 ...");
            Thread.sleep(15_000);
        }
        System.out.println("load average " + IngestBenchmark.loadAverage());
    }

    /** The request mix, and how many rows the answers carried. */
    private static final class Mix {
        private final int accounts;
        private final LongAdder rows = new LongAdder();

        Mix(int accounts) {
            this.accounts = accounts;
        }

        String next() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String account = "acc-" + (1 + random.nextInt(accounts));
            int kind = random.nextInt(4);
            if (kind < 2) {
                // A statement for one of the eleven complete months before the current one.
                YearMonth month =
                        YearMonth.from(END.atZone(ZoneOffset.UTC))
                                .minusMonths(1 + random.nextInt(11));
                return "/api/v1/accounts/"
                        + account
                        + "/statement?from="
                        + month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                        + "&to="
                        + month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (kind == 2) {
                return "/api/v1/transactions?limit=100&accountId=" + account;
            }
            Instant before =
                    START.plusSeconds(random.nextLong(START.until(END, ChronoUnit.SECONDS)));
            return "/api/v1/transactions?limit=100&to=" + before;
        }

        /** Fails the benchmark at once if a kind of request does not answer 200 with rows. */
        void check(HttpClient client) throws Exception {
            for (int i = 0; i < 20; i++) {
                String uri = next();
                String[] answer = new String[1];
                int status =
                        client.request(
                                        new RequestOptions()
                                                .setMethod(HttpMethod.GET)
                                                .setURI(uri)
                                                .putHeader("X-Api-Key", KEY))
                                .compose(r -> r.send())
                                .compose(
                                        r ->
                                                r.body()
                                                        .map(
                                                                b -> {
                                                                    answer[0] = b.toString();
                                                                    return r.statusCode();
                                                                }))
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(30, TimeUnit.SECONDS);
                if (status != 200) {
                    throw new IllegalStateException(uri + " answered " + status + ": " + answer[0]);
                }
            }
        }
    }

    private static Phase run(Vertx vertx, HttpClient client, Mix mix, int perSecond, int seconds)
            throws InterruptedException {
        return IngestBenchmark.openLoop(
                vertx, perSecond, seconds, (recorder, due) -> get(client, mix, recorder, due));
    }

    private static Future<Void> get(HttpClient client, Mix mix, Recorder recorder, long due) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setURI(mix.next())
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
                                                        mix.rows.add(countRows(b.toString()));
                                                    } else {
                                                        recorder.failed.increment();
                                                    }
                                                    return (Void) null;
                                                }))
                .recover(
                        error -> {
                            recorder.failed.increment();
                            return Future.succeededFuture();
                        });
    }

    /** Rows in an answer: every transaction and every entry names its transaction once. */
    private static long countRows(String body) {
        long n = 0;
        for (int at = body.indexOf("\"transactionId\"");
                at >= 0;
                at = body.indexOf("\"transactionId\"", at + 1)) {
            n++;
        }
        return n;
    }

    private record Row(LocalDateTime when, Phase phase, long rowsPerAnswer, String loadAverage) {
        double p99() {
            return phase.percentileMillis(99);
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,.0f requests/s, %d failed, %d rows per answer; p50 %.2f ms, p99 %.2f ms,"
                            + " p99.9 %.2f ms, max %.2f ms; load average %s",
                    phase.requestsPerSecond(),
                    phase.failed(),
                    rowsPerAnswer,
                    phase.percentileMillis(50),
                    phase.percentileMillis(99),
                    phase.percentileMillis(99.9),
                    phase.percentileMillis(100),
                    loadAverage);
        }

        String tableRow() {
            return String.format(
                    Locale.ROOT,
                    "| %s | %,.0f/s | %d | %d | %.2f | %.2f | %.2f | %.2f | %s |",
                    when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                    phase.requestsPerSecond(),
                    phase.failed(),
                    rowsPerAnswer,
                    phase.percentileMillis(50),
                    phase.percentileMillis(99),
                    phase.percentileMillis(99.9),
                    phase.percentileMillis(100),
                    loadAverage);
        }
    }

    private static void writeReport(
            Path report,
            int rate,
            int seconds,
            int warmUp,
            int poolSize,
            int accounts,
            int transactions,
            List<Row> rows,
            Row median)
            throws IOException {
        String heading = "## Partner history and statements through the API (issue 16";
        StringBuilder section = new StringBuilder();
        section.append(heading)
                .append(", ")
                .append(LocalDateTime.now().toLocalDate())
                .append(")\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                """
                                Command: `ingest-api/bench-history.sh`. Machine: 2 cores, 24 GiB
                                (load average per run below). PostgreSQL 17 from local-servers holds
                                %,d ledger entries (%,d accounts, 100 each) and %,d transactions,
                                over the last twelve months in the monthly partitions. At a fixed
                                %,d requests/s open loop for %d s per run after a %d s warm-up
                                (which reads the tables into memory), %d runs: half statements of one account for one month, half history
                                pages of 100 (for one account, or for the partner before a random
                                time). The API runs in its own JVM (`-Xmx512m`, 2 event loops, read
                                model pool %d); the client measures from each request's due time.
                                Target: p99 < 20 ms at 1,000 requests/s.

                                **Median run by p99: p50 %.2f ms, p99 %.2f ms** (load average %s).

                                | when | reached | failed | rows per answer | p50 ms | p99 ms | p99.9 ms | max ms | load average |
                                |---|---|---|---|---|---|---|---|---|
                                """,
                                (long) accounts * ENTRIES_PER_ACCOUNT,
                                accounts,
                                transactions,
                                rate,
                                seconds,
                                warmUp,
                                rows.size(),
                                poolSize,
                                median.phase().percentileMillis(50),
                                median.p99(),
                                median.loadAverage()));
        rows.forEach(r -> section.append(r.tableRow()).append('\n'));
        section.append('\n');
        String existing = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\n";
        int at = existing.indexOf(heading);
        String updated;
        if (at < 0) {
            int first = existing.indexOf("\n## ");
            updated =
                    first < 0
                            ? existing + section
                            : existing.substring(0, first + 1)
                                    + section
                                    + existing.substring(first + 1);
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
