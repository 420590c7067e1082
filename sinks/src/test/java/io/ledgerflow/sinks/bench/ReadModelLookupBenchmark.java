package io.ledgerflow.sinks.bench;

import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.AccountStatus;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.ServerProcess.Lifetime;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.readmodel.PostgresReadModel;
import io.ledgerflow.sinks.postgres.ReadModelStatements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lookup latency of {@link PostgresReadModel} at a fixed rate, open loop: lookup {@code i} is due
 * at {@code start + i / rate} and its latency is measured from that due time, so a stall delays
 * (and is charged to) every lookup queued behind it instead of hiding as coordinated omission.
 * Lookups alternate between a transaction status and an account, uniformly over the seeded ids. Run
 * by {@code sinks/bench.sh}.
 */
public final class ReadModelLookupBenchmark {

    private final BenchOptions options;

    /** The 1-minute load average when the benchmark started (a run above 1.5 is not a result). */
    private final String loadBefore = BenchOptions.loadAverage();

    /** Printed by {@link #main} after PostgreSQL stopped, so that it is the last line. */
    private String resultLine;

    private ReadModelLookupBenchmark(String[] args) {
        options =
                new BenchOptions(
                        args,
                        Map.of(
                                "rate", "1000",
                                "seconds", "30",
                                "warmup-seconds", "5",
                                "accounts", "10000",
                                "transactions", "100000",
                                "pool", "4",
                                "workers", "8",
                                "append", ""));
    }

    public static void main(String[] args) throws Exception {
        ReadModelLookupBenchmark benchmark = new ReadModelLookupBenchmark(args);
        benchmark.run();
        System.out.flush();
        System.out.println(benchmark.resultLine);
    }

    private int intOption(String name) {
        return options.intValue(name);
    }

    private void run() throws Exception {
        Path dir = Path.of("sinks/target/bench/read-model-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        PostgresServer postgres =
                new PostgresServer(
                        dir.resolve("postgres"), BenchOptions.freePort(), Lifetime.ATTACHED);
        postgres.start();
        try {
            String url = postgres.jdbcUrl();
            PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
            int accounts = intOption("accounts");
            int transactions = intOption("transactions");
            seed(url, accounts, transactions);
            System.out.printf("seeded %d accounts, %d transactions%n", accounts, transactions);

            try (PostgresReadModel model =
                    new PostgresReadModel(
                            url,
                            PostgresServer.USER,
                            PostgresServer.PASSWORD,
                            intOption("pool"),
                            Duration.ofSeconds(5))) {
                measure(model, accounts, transactions, intOption("warmup-seconds"));
                long[] latencies = measure(model, accounts, transactions, intOption("seconds"));
                report(latencies, accounts, transactions);
            }
        } finally {
            postgres.stop();
        }
    }

    /** Lookups at the configured rate for {@code seconds}; returns sorted latencies in µs. */
    private long[] measure(PostgresReadModel model, int accounts, int transactions, int seconds)
            throws InterruptedException {
        int rate = intOption("rate");
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong misses = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(intOption("workers"));
        long start = System.nanoTime() + 10_000_000;
        long intervalNanos = 1_000_000_000L / rate;
        for (int w = 0; w < intOption("workers"); w++) {
            workers.submit(
                    () -> {
                        Random random = new Random();
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            long due = start + i * intervalNanos;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                try {
                                    TimeUnit.NANOSECONDS.sleep(wait);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                            boolean found =
                                    (i % 2 == 0)
                                            ? model.transaction(
                                                            "p1",
                                                            "tx-" + random.nextInt(transactions))
                                                    .isPresent()
                                            : model.account("p1", "acc-" + random.nextInt(accounts))
                                                    .isPresent();
                            if (!found) {
                                misses.incrementAndGet();
                            }
                            latencies[i] = (System.nanoTime() - due) / 1_000;
                        }
                    });
        }
        workers.shutdown();
        workers.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        if (misses.get() > 0) {
            throw new IllegalStateException(misses.get() + " lookups found nothing");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private void report(long[] sorted, int accounts, int transactions) throws IOException {
        String line =
                String.format(
                        "| %s | %d/s | %d s | %d | %.2f | %.2f | %.2f | %.2f | %s |",
                        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                        intOption("rate"),
                        intOption("seconds"),
                        sorted.length,
                        percentile(sorted, 0.50) / 1000.0,
                        percentile(sorted, 0.99) / 1000.0,
                        percentile(sorted, 0.999) / 1000.0,
                        sorted[sorted.length - 1] / 1000.0,
                        BenchOptions.loadAverage());
        System.out.printf(
                "%d accounts, %d transactions, pool %s%n| when | rate | duration | lookups |"
                        + " p50 ms | p99 ms | p99.9 ms | max ms | load average |%n%s%n",
                accounts, transactions, options.get("pool"), line);
        resultLine =
                String.format(
                        Locale.ROOT,
                        "RESULT read_model_lookup_rate=%d read_model_lookup_p50_ms=%.2f"
                                + " read_model_lookup_p99_ms=%.2f read_model_lookup_p999_ms=%.2f"
                                + " read_model_lookup_max_ms=%.2f load_before=%s load_after=%s",
                        intOption("rate"),
                        percentile(sorted, 0.50) / 1000.0,
                        percentile(sorted, 0.99) / 1000.0,
                        percentile(sorted, 0.999) / 1000.0,
                        sorted[sorted.length - 1] / 1000.0,
                        loadBefore,
                        BenchOptions.loadAverage());
        String append = options.get("append");
        if (!append.isEmpty()) {
            Path file = Path.of(append);
            String heading = "## Read model lookups (issue 5)";
            String existing = Files.exists(file) ? Files.readString(file) : "";
            if (!existing.contains(heading)) {
                Files.writeString(
                        file,
                        (existing.endsWith("\n") || existing.isEmpty() ? "" : "\n")
                                + "\n"
                                + heading
                                + "\n\n"
                                + "`sinks/bench.sh`: `PostgresReadModel` lookups (half transaction"
                                + " status, half account, uniform over the seeded ids, by primary"
                                + " key) at a fixed open-loop rate against PostgreSQL 17 from"
                                + " local-servers on this 2-core machine (shared with other builds;"
                                + " the load average is recorded per run). Latency is measured from"
                                + " each lookup's due time, so stalls are not hidden. Seed: "
                                + accounts
                                + " accounts, "
                                + transactions
                                + " transactions, through the sink's own upserts. Pool "
                                + options.get("pool")
                                + " connections. Target: p99 < 5 ms at 1,000 lookups/s.\n\n"
                                + "| when | rate | duration | lookups | p50 ms | p99 ms | p99.9 ms |"
                                + " max ms | load average |\n"
                                + "|---|---|---|---|---|---|---|---|---|\n",
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                existing = Files.readString(file);
            }
            // Append the row at the end of this section's table, leaving other sections alone.
            int section = existing.indexOf(heading);
            int nextSection = existing.indexOf("\n## ", section + heading.length());
            int insertAt = nextSection < 0 ? existing.length() : nextSection;
            String before = existing.substring(0, insertAt);
            if (!before.endsWith("\n")) {
                before += "\n";
            }
            Files.writeString(file, before + line + "\n" + existing.substring(insertAt));
            System.out.println("appended to " + file);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Accounts and transactions through the sink's own statements, in batches. */
    private static void seed(String url, int accounts, int transactions) throws Exception {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        try (Connection c =
                DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(ReadModelStatements.UPSERT_ACCOUNT)) {
                for (int i = 0; i < accounts; i++) {
                    ReadModelStatements.bindAccount(
                            ps,
                            AccountState.newBuilder()
                                    .setAccountId("acc-" + i)
                                    .setPartnerId("p1")
                                    .setCurrency("EUR")
                                    .setAccountType(AccountType.CUSTOMER)
                                    .setStatus(AccountStatus.OPEN)
                                    .setBalanceMinor(1000 + i)
                                    .setHeldMinor(0)
                                    .setAvailableMinor(1000 + i)
                                    .setOverdraftLimitMinor(0)
                                    .setLastSequence(1)
                                    .setVersion(1)
                                    .setCauseId("open-" + i)
                                    .setUpdatedTime(t)
                                    .build());
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(ReadModelStatements.UPSERT_TRANSACTION)) {
                for (int i = 0; i < transactions; i++) {
                    ReadModelStatements.bindTransaction(
                            ps,
                            TransactionResult.newBuilder()
                                    .setTransactionId("tx-" + i)
                                    .setPartnerId("p1")
                                    .setType(MovementType.TRANSFER)
                                    .setStatus(TransactionStatus.COMPLETED)
                                    .setSourceAccountId("acc-" + (i % accounts))
                                    .setDestinationAccountId("acc-" + ((i + 1) % accounts))
                                    .setAmountMinor(100)
                                    .setCurrency("EUR")
                                    .setEventTime(t)
                                    .setReceivedTime(t)
                                    .setDecisionTime(t)
                                    .build());
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            c.createStatement().execute("ANALYZE");
        }
    }
}
