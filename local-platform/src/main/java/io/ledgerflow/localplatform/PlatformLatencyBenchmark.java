package io.ledgerflow.localplatform;

import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.load.LoadReport;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.HttpTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end latency of the whole platform: transfers posted to the ingest API by the test-data
 * generator (open loop at a fixed rate, so a stall is not hidden), through Kafka, the ledger job
 * and the sinks job, until the terminal status is visible in the PostgreSQL read model. Both ends
 * are timestamps the platform itself writes: the API's {@code received_time} (when it received the
 * request) and the read model's {@code durable_time} (when the sink's write committed), on the same
 * machine's clock, so no poller skews the figure. The ledger checkpoints every 200 ms (its
 * default), the sinks job every 1 s.
 *
 * <p>Usage: {@code local-platform/bench.sh [RATES] [SECONDS]}, by default {@code
 * 500,750,1000,2000,5000 30}. Prints the figures, writes the "Platform latency" section of {@code
 * docs/benchmarks.md}, and ends with a {@code RESULT} line: the highest offered rate sustained and
 * the latency at 500/s.
 */
public final class PlatformLatencyBenchmark {

    /** How long a rate's transfers may take to all reach the read model after the load ends. */
    private static final Duration DRAIN = Duration.ofSeconds(120);

    /** The offered rate whose latency the RESULT line reports. */
    private static final int RESULT_RATE = 500;

    private PlatformLatencyBenchmark() {}

    /** What one rate measured. */
    record Step(
            int targetRate,
            LoadReport load,
            long decided,
            long expected,
            double decidedPerSecond,
            double p50Millis,
            double p99Millis,
            double maxMillis,
            double drainSeconds,
            String loadAverage) {

        boolean sustained() {
            // The API kept the pace without queueing (its own p99 under a second), and the jobs
            // kept up: everything accepted was decided, at 90% of the offered rate or more (a
            // backlog shows as a lower rate and a latency that grows through the run).
            return decided >= expected
                    && acceptedPerSecond() >= 0.95 * targetRate
                    && load.latency().p99() < 1_000
                    && decidedPerSecond >= 0.9 * targetRate;
        }

        double acceptedPerSecond() {
            return load.seconds() > 0 ? load.accepted() / load.seconds() : 0;
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,d/s offered: API accepted %,d (%.0f/s, API p99 %.1f ms), %,d of %,d decided"
                            + " in PostgreSQL (%.0f/s); accept -> terminal in PostgreSQL p50 %.0f"
                            + " ms, p99 %.0f ms, max %.0f ms; drained %.1f s after the load; %s; load"
                            + " average %s",
                    targetRate,
                    load.accepted(),
                    acceptedPerSecond(),
                    load.latency().p99(),
                    decided,
                    expected,
                    decidedPerSecond,
                    p50Millis,
                    p99Millis,
                    maxMillis,
                    drainSeconds,
                    sustained() ? "sustained" : "NOT sustained",
                    loadAverage);
        }
    }

    /**
     * Transfers/s of the warm-up before the measured rates: well within what the platform takes.
     */
    private static final int WARM_UP_RATE = 100;

    public static void main(String[] args) throws Exception {
        int[] rates =
                Arrays.stream((args.length > 0 ? args[0] : "500,750,1000,2000,5000").split(","))
                        .map(String::strip)
                        .mapToInt(Integer::parseInt)
                        .toArray();
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Path report =
                Path.of(System.getProperty("bench.report", "docs/benchmarks.md")).toAbsolutePath();
        Path dataDir = Files.createTempDirectory("ledgerflow-platform-bench-");
        // Before the platform starts: a run that starts above ~1.5 shares the cores.
        String loadBefore = loadAverage();

        // Transfers only, all valid: the figure is the ledger path, not the refusal path.
        Population population =
                Population.generate(
                        GeneratorSettings.defaults().toBuilder()
                                .partners(100)
                                .accountsPerPartner(20)
                                .invalidShare(0)
                                .fraudShare(0)
                                .mix(0, 0, 0, 0)
                                .build());
        Path keys = dataDir.resolve("api-keys");
        Files.write(keys, population.apiKeysFileLines());

        List<Step> steps = new ArrayList<>();
        try (RunningPlatform platform =
                RunningPlatform.start(
                        dataDir,
                        freePort(),
                        // The ledger path at the offered rate: hot partners must not be throttled.
                        Map.of(
                                "LEDGERFLOW_API_KEYS_FILE",
                                keys.toString(),
                                "LEDGERFLOW_RATE_LIMITS_ENABLED",
                                "false"),
                        System.out::println)) {
            String runPrefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
            // Every JVM here starts cold: in a 60 s run at 100/s the JIT compilers were busy for 48
            // of the 62 s, a quarter to a half of one of the two cores. The figures are meant for a
            // platform in its steady state, as the ledger benchmark measures after its warm-up.
            Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 60));
            if (!warmUp.isZero()) {
                System.out.printf(
                        Locale.ROOT,
                        "%n== warm-up: %,d transfers/s for %s (not measured)%n",
                        WARM_UP_RATE,
                        warmUp);
                generatorRun(population, platform)
                        .execute(
                                runPrefix + "-warmup",
                                LoadPlan.openLoop(
                                                WARM_UP_RATE,
                                                WARM_UP_RATE * warmUp.toSeconds(),
                                                warmUp)
                                        .withProgressInterval(Duration.ofSeconds(15))
                                        .withMaxInFlight(2_000),
                                Duration.ofSeconds(3));
            }
            for (int rate : rates) {
                String runId = runPrefix + "-r" + rate;
                GeneratorRun run = generatorRun(population, platform);
                System.out.printf(Locale.ROOT, "%n== %,d transfers/s for %s%n", rate, duration);
                LoadPlan plan =
                        LoadPlan.openLoop(rate, rate * duration.toSeconds(), duration)
                                .withProgressInterval(Duration.ofSeconds(5))
                                // Each request in flight is a connection: bounded, so an
                                // overloaded API costs latency (which is measured), not sockets.
                                .withMaxInFlight(2_000);
                Instant loadStart = Instant.now();
                GeneratorRun.Result result = run.execute(runId, plan, Duration.ofSeconds(3));
                Instant loadEnd = Instant.now();
                Step step =
                        measure(
                                platform.readModelUrl(),
                                runId,
                                loadStart,
                                loadEnd,
                                rate,
                                result.load());
                steps.add(step);
                System.out.println(step.describe());
            }
        }
        writeReport(report, duration, steps);
        System.out.println("results written to " + report);
        System.out.flush();
        System.out.println(resultLine(steps, loadBefore));
        System.exit(0);
    }

    /** The test-data generator, sending to the platform's API. */
    private static GeneratorRun generatorRun(Population population, RunningPlatform platform) {
        return new GeneratorRun(
                population,
                new HttpTarget(platform.api.baseUrl(), population, Duration.ofSeconds(10)),
                LoadClock.SYSTEM,
                System.out,
                null);
    }

    /**
     * The machine-readable summary, printed last: the highest offered rate sustained (0 if none
     * was), the accept -> PostgreSQL p50 and p99 at 500/s offered (left out if that rate was not
     * run or none of its transfers reached PostgreSQL), and the 1-minute load average before the
     * platform started and now.
     */
    private static String resultLine(List<Step> steps, String loadBefore) {
        StringBuilder result = new StringBuilder("RESULT");
        result.append(" sustained_tps=")
                .append(
                        steps.stream()
                                .filter(Step::sustained)
                                .mapToInt(Step::targetRate)
                                .max()
                                .orElse(0));
        steps.stream()
                .filter(s -> s.targetRate() == RESULT_RATE && s.decided() > 0)
                .findFirst()
                .ifPresent(
                        s ->
                                result.append(
                                        String.format(
                                                Locale.ROOT,
                                                " p50_ms_at_%d=%.0f p99_ms_at_%d=%.0f",
                                                RESULT_RATE,
                                                s.p50Millis(),
                                                RESULT_RATE,
                                                s.p99Millis())));
        result.append(" load_before=").append(loadBefore);
        result.append(" load_after=").append(loadAverage());
        return result.toString();
    }

    /** Waits until the run's transfers are all terminal in PostgreSQL, then takes the figures. */
    private static Step measure(
            String url, String runId, Instant loadStart, Instant loadEnd, int rate, LoadReport load)
            throws SQLException, InterruptedException {
        long expected = load.accepted();
        long deadline = System.nanoTime() + DRAIN.toNanos();
        try (Connection c =
                DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
            long decided = 0;
            while (System.nanoTime() < deadline) {
                decided = terminalCount(c, runId, loadStart);
                if (decided >= expected) {
                    break;
                }
                Thread.sleep(500);
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                            SELECT
                              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
                              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                              max(ms),
                              count(*) / GREATEST(EXTRACT(EPOCH FROM max(durable_time)
                                                        - min(received_time)), 0.001),
                              EXTRACT(EPOCH FROM max(durable_time) - CAST(? AS timestamptz))
                            FROM (SELECT received_time, durable_time,
                                         EXTRACT(EPOCH FROM durable_time - received_time) * 1000
                                             AS ms
                                  FROM transactions
                                  WHERE transaction_id LIKE ? AND type = 'TRANSFER'
                                    AND status_rank = 1 AND received_time >= ?) t
                            """)) {
                ps.setTimestamp(1, Timestamp.from(loadEnd));
                ps.setString(2, runId + "%");
                ps.setTimestamp(3, Timestamp.from(loadStart));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Step(
                            rate,
                            load,
                            decided,
                            expected,
                            rs.getDouble(4),
                            rs.getDouble(1),
                            rs.getDouble(2),
                            rs.getDouble(3),
                            Math.max(0, rs.getDouble(5)),
                            loadAverage());
                }
            }
        }
    }

    private static long terminalCount(Connection c, String runId, Instant loadStart)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) FROM transactions WHERE transaction_id LIKE ? AND type ="
                                + " 'TRANSFER' AND status_rank = 1 AND received_time >= ?")) {
            ps.setString(1, runId + "%");
            ps.setTimestamp(2, Timestamp.from(loadStart));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void writeReport(Path report, Duration duration, List<Step> steps)
            throws IOException {
        StringBuilder section = new StringBuilder();
        section.append(
                        "## Platform latency: API accept to terminal status in PostgreSQL (issue 7)\n\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                """
                                Command: `local-platform/bench.sh %s %d`. Date: %s. Machine: 2
                                cores, 24 GiB, shared (load average per step). Everything on this
                                one machine: Kafka, the registry, PostgreSQL, ClickHouse, the ledger
                                and sinks jobs (MiniClusters, parallelism 2; checkpoints: ledger every
                                200 ms, sinks every 1 s),
                                the ingest API (own JVM) and the generator (open loop, HTTP). 100
                                partners x 20 accounts, valid transfers only, Zipf-skewed accounts.
                                Latency is `durable_time - received_time` of each transfer's row in
                                the read model: from the API receiving the request to the sink's
                                committed write of its terminal status. "Sustained" = the API
                                accepted at least 95%% of the offered rate with its own p99 under
                                1 s, and every accepted transfer reached PostgreSQL at 90%% of the
                                offered rate or more. Target: p99 < 1.5 s at 5,000 transfers/s.

                                | offered | API accepted | API p99 | decided in PG | accept -> PG p50 | p99 | max | drain after load | sustained | load avg |
                                |---|---|---|---|---|---|---|---|---|---|
                                """,
                                String.join(
                                        ",",
                                        steps.stream()
                                                .map(s -> Integer.toString(s.targetRate()))
                                                .toList()),
                                duration.toSeconds(),
                                LocalDate.now()));
        for (Step s : steps) {
            section.append(
                    String.format(
                            Locale.ROOT,
                            "| %,d/s | %,d (%.0f/s) | %.1f ms | %,d of %,d (%.0f/s) | %.0f ms | %.0f"
                                    + " ms | %.0f ms | %.1f s | %s | %s |%n",
                            s.targetRate(),
                            s.load().accepted(),
                            s.acceptedPerSecond(),
                            s.load().latency().p99(),
                            s.decided(),
                            s.expected(),
                            s.decidedPerSecond(),
                            s.p50Millis(),
                            s.p99Millis(),
                            s.maxMillis(),
                            s.drainSeconds(),
                            s.sustained() ? "yes" : "no",
                            s.loadAverage()));
        }
        section.append('\n');
        String existing = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\n";
        String heading = "## Platform latency";
        int at = existing.indexOf(heading);
        String updated;
        if (at < 0) {
            updated = existing + (existing.endsWith("\n\n") ? "" : "\n") + section;
        } else {
            int next = existing.indexOf("\n## ", at + 1);
            updated =
                    existing.substring(0, at)
                            + section
                            + (next < 0 ? "" : existing.substring(next + 1));
        }
        Files.writeString(report, updated, StandardCharsets.UTF_8);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
