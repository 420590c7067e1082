package io.ledgerflow.jobs.bench;

import io.ledgerflow.avro.AccountCommandResult;
import io.ledgerflow.avro.AccountState;
import io.ledgerflow.avro.DeadLetter;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.fraud.FraudRulesCommand;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.testutils.LedgerKafka;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess.Lifetime;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroEncoder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterPipelineExecutorServiceLoader;

/**
 * Sustained transfers/s through the ledger job, with checkpoint durations, latency from ingestion
 * to committed result, and where the CPU goes. Run by {@code jobs/bench.sh}; see docs/benchmarks.md
 * for the method and the figures.
 *
 * <p>One invocation: Kafka and the registry (local-servers, attached to this JVM), the ledger job
 * on a MiniCluster (1 TaskManager, 2 slots, parallelism 2, RocksDB incremental checkpoints,
 * exactly-once sink), then setup (opens, then opening deposits, each awaited as committed results),
 * then {@code runs} rounds per skew. A round has two phases:
 *
 * <ol>
 *   <li><b>Drain</b>: {@code transfers} transfers are produced as fast as the producer takes them
 *       (a few seconds, much faster than the job) and the job works the backlog off. Sustained
 *       throughput is {@code transfers} divided by the time from the first transfer handed to the
 *       producer to the last terminal result visible to a read_committed consumer. The profile and
 *       CPU shares cover the steady part: producer done to 90% of the results committed.
 *   <li><b>Latency</b>: transfers at a fixed rate below saturation (open loop), so latency shows
 *       the pipeline (two checkpoint commits per transfer) rather than a backlog.
 * </ol>
 */
public final class LedgerThroughputBenchmark {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final BenchmarkOptions options;
    private final Path runDir;
    private final List<String> report = new ArrayList<>();

    /** The 1-minute load average when the benchmark started (a run above 1.5 is not a result). */
    private final String loadBefore = loadAverage();

    /** Printed by {@link #main} after the servers stopped, so that it is the last line. */
    private String resultLine;

    private final List<Path> profiles = new ArrayList<>();

    private LedgerThroughputBenchmark(BenchmarkOptions options, Path runDir) {
        this.options = options;
        this.runDir = runDir;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(args);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = options.workDir().toAbsolutePath().resolve("run-" + stamp);
        Files.createDirectories(runDir);
        LedgerThroughputBenchmark benchmark = new LedgerThroughputBenchmark(options, runDir);
        benchmark.run();
        System.out.flush();
        System.out.println(benchmark.resultLine);
        System.exit(0);
    }

    /** Figures of one drain round. */
    record DrainResult(
            String skew,
            int run,
            double transfersPerSecond,
            double windowSeconds,
            long checkpointP50,
            long checkpointMax,
            int checkpoints,
            int failedCheckpoints,
            long checkpointedBytesP50,
            long stateBytes,
            Map<TransactionStatus, Integer> statuses,
            long backlogLatencyP50,
            Map<String, Double> cores,
            String load) {}

    /** Figures of one fixed-rate latency phase. */
    record LatencyResult(String skew, int run, int rate, long p50, long p95, long p99, long max) {}

    private void run() throws Exception {
        log("Ledger job benchmark, %s; %d cores; load average %s", runDir, CORES, loadAverage());
        log("options: %s", options);

        KafkaServer kafka =
                new KafkaServer(runDir.resolve("kafka"), freePort(), freePort(), Lifetime.ATTACHED);
        SchemaRegistryServer registry =
                new SchemaRegistryServer(runDir.resolve("registry"), freePort(), Lifetime.ATTACHED);
        kafka.start();
        registry.start();
        MiniCluster cluster = null;
        JobClient job = null;
        boolean succeeded = false;
        try {
            LedgerJobConfig config =
                    LedgerJobConfig.defaults()
                            .withKafka(kafka.bootstrapServers(), registry.url())
                            .withCheckpoints(
                                    Duration.ofMillis(options.checkpointMillis()),
                                    runDir.resolve("checkpoints").toUri().toString());
            new LedgerKafka(config).createTopics(options.partitions());
            registerSchemas(config);
            if (options.fraudRules()) {
                List<FraudRule> rules =
                        FraudRulesCommand.read(
                                FraudRulesCommand.class.getResourceAsStream(
                                        FraudRulesCommand.DEFAULT_RULES),
                                "benchmark",
                                Instant.now());
                FraudRulesCommand.publish(
                        config.bootstrapServers(),
                        config.schemaRegistryUrl(),
                        config.topic(Topics.FRAUD_RULES),
                        rules);
                log("published %d fraud rules", rules.size());
            }

            Configuration conf = LedgerJob.clusterConfiguration(config);
            conf.set(RestOptions.BIND_PORT, "0");
            conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("1g"));
            options.flinkConf().forEach(conf::setString);
            cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(conf)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(config.parallelism())
                                    .build());
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            conf.set(DeploymentOptions.TARGET, MiniClusterPipelineExecutorServiceLoader.NAME);
            StreamExecutionEnvironment env =
                    new StreamExecutionEnvironment(
                            new MiniClusterPipelineExecutorServiceLoader(cluster),
                            conf,
                            LedgerThroughputBenchmark.class.getClassLoader());
            job = new LedgerJob(config).start(env);
            log("job %s running; Flink REST at %s", job.getJobID(), rest);
            CheckpointHistory checkpoints = new CheckpointHistory(rest, job.getJobID().toString());

            try (TransferLoad load =
                            new TransferLoad(config, options.accounts(), options.zipfExponent());
                    CommittedOutputs outputs = new CommittedOutputs(config)) {
                setUp(load, outputs, job);
                log(
                        "Zipf(s=%.2f) over %,d accounts: the hottest account is %.1f%% of choices",
                        options.zipfExponent(), options.accounts(), 100 * load.hottestZipfShare());
                List<DrainResult> drains = new ArrayList<>();
                List<LatencyResult> latencies = new ArrayList<>();
                if (options.warmupTransfers() > 0) {
                    warmUp(load, outputs, job);
                }
                for (int run = 1; run <= options.runs(); run++) {
                    for (String skew : options.skews()) {
                        DrainResult d =
                                drain(load, outputs, checkpoints, job, kafka, registry, skew, run);
                        drains.add(d);
                        if (options.latencySeconds() > 0) {
                            latencies.add(
                                    latency(load, outputs, job, skew, run, options.latencyRate()));
                        }
                    }
                }
                summarise(drains, latencies);
            }
            succeeded = true;
        } finally {
            if (job != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log("cancel: %s", e);
                }
            }
            if (cluster != null) {
                cluster.close();
            }
            registry.stop();
            kafka.stop();
            // The broker's log and the checkpoints of a 1M-account run take over 1 GiB; after a
            // good run the report and the profiles are what is worth keeping. A failed run keeps
            // everything, server logs included.
            if (succeeded) {
                for (String data : List.of("kafka", "registry", "checkpoints")) {
                    deleteRecursively(runDir.resolve(data));
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Registers every output schema before the job starts. The job's encoders register on first
     * use, and several of them doing so at once made the local registry answer 500 ("acquisition
     * timeout") or 409 ("already exists"), failing and restarting the job during setup.
     */
    private static void registerSchemas(LedgerJobConfig config) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(config.schemaRegistryUrl());
        Map<String, Class<? extends SpecificRecord>> outputs =
                Map.of(
                        Topics.LEDGER_REQUESTS, LedgerRequest.class,
                        Topics.LEDGER_INSTRUCTIONS, LedgerInstruction.class,
                        Topics.TRANSACTION_RESULTS, TransactionResult.class,
                        Topics.LEDGER_ENTRIES, LedgerEntry.class,
                        Topics.ACCOUNT_STATES, AccountState.class,
                        Topics.ACCOUNT_COMMAND_RESULTS, AccountCommandResult.class,
                        Topics.DEAD_LETTERS, DeadLetter.class,
                        Topics.FRAUD_ALERTS, io.ledgerflow.avro.FraudAlert.class);
        outputs.forEach(
                (topic, type) ->
                        withRetries(
                                () ->
                                        ConfluentAvroEncoder.forTopic(
                                                        registry, config.topic(topic), type)
                                                .schemaId()));
    }

    /**
     * Runs {@code call}, retrying a few times: under heavy machine load the local registry
     * sometimes answers 500 ("acquisition timeout") to a single registration.
     */
    static <T> T withRetries(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt == 10) {
                    throw e;
                }
                log("registry call failed (%s), retrying", e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void setUp(TransferLoad load, CommittedOutputs outputs, JobClient job)
            throws Exception {
        int n = options.accounts();
        long start = System.nanoTime();
        load.produceOpens();
        log("produced %,d opens in %.1f s", n, seconds(start));
        await("opens committed", n, outputs.opens::get, outputs, job, Duration.ofMinutes(20));
        log("%,d opens committed after %.1f s", n, seconds(start));
        long deposits = System.nanoTime();
        load.produceDeposits();
        await(
                "deposits committed",
                n,
                () -> outputs.depositsCompleted.get() + outputs.depositsRejected.get(),
                outputs,
                job,
                Duration.ofMinutes(20));
        log(
                "%,d deposits committed after %.1f s (%,d rejected); setup took %.1f s: %,.0f"
                        + " requests/s",
                n,
                seconds(deposits),
                outputs.depositsRejected.get(),
                seconds(start),
                2.0 * n / seconds(start));
        report.add(
                String.format(
                        "Setup: %,d opens + %,d opening deposits committed in %.0f s (%,.0f"
                                + " requests/s)",
                        n, n, seconds(start), 2.0 * n / seconds(start)));
    }

    private void warmUp(TransferLoad load, CommittedOutputs outputs, JobClient job)
            throws Exception {
        int n = options.warmupTransfers();
        long start = System.nanoTime();
        CommittedOutputs.Round round = outputs.startRound("w-", n);
        load.produceTransfers("w-", n, false, 1);
        await("warm-up committed", n, round::count, outputs, job, Duration.ofMinutes(15));
        log("warm-up: %,d uniform transfers drained in %.1f s (not measured)", n, seconds(start));
    }

    private DrainResult drain(
            TransferLoad load,
            CommittedOutputs outputs,
            CheckpointHistory checkpoints,
            JobClient job,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            String skew,
            int run)
            throws Exception {
        int n = options.transfers();
        String prefix = "d" + run + skew.charAt(0) + "-";
        CommittedOutputs.Round round = outputs.startRound(prefix, n);
        String loadBefore = loadAverage();
        long producing = System.nanoTime();
        long producingStartMillis = System.currentTimeMillis();
        load.produceTransfers(prefix, n, skew.equals("zipf"), 1000L * run + skew.hashCode());
        log("[%s run %d] produced %,d transfers in %.1f s", skew, run, n, seconds(producing));

        Path profile = runDir.resolve("profile-" + skew + "-" + run + ".jfr");
        Recording recording = WhereTimeGoes.startProfile(profile);
        var cpuStart = WhereTimeGoes.CpuSnapshot.take(kafka.pid(), registry.pid());
        int ninetieth = Math.max(1, n * 9 / 10);
        await("90% committed", ninetieth, round::count, outputs, job, Duration.ofMinutes(15));
        var cpuEnd = WhereTimeGoes.CpuSnapshot.take(kafka.pid(), registry.pid());
        recording.stop();
        recording.close();
        profiles.add(profile);
        await("all committed", n, round::count, outputs, job, Duration.ofMinutes(5));

        // The whole drain: from the first transfer handed to the producer to the last terminal
        // result committed. Results come late in a drain (a transfer's result needs its credit
        // leg, which queues behind the debit legs of the backlog), so a window over the middle
        // results would overstate the rate; the total time per transfer does not.
        long from = producingStartMillis;
        long to = round.visibleAt(n);
        double window = (to - from) / 1000.0;
        double rate = n / window;
        CheckpointHistory.Window cps = checkpoints.between(from, to);
        Map<String, Double> cores = cpuEnd.coresSince(cpuStart, CORES);
        Map<String, Double> threads = cpuEnd.threadCoresSince(cpuStart);
        long backlogP50 = Percentiles.of(round.latencies()).p(0.5);
        DrainResult d =
                new DrainResult(
                        skew,
                        run,
                        rate,
                        window,
                        cps.p50Millis(),
                        cps.maxMillis(),
                        cps.completed().size(),
                        cps.failed(),
                        cps.medianCheckpointedBytes(),
                        cps.lastStateBytes(),
                        round.statuses(),
                        backlogP50,
                        cores,
                        loadBefore + " -> " + loadAverage());
        log(
                "[%s run %d] %,.0f transfers/s over %.1f s (%,d transfers); checkpoints p50 %d ms,"
                        + " max %d ms (%d completed, %d failed, median incremental size %s, state"
                        + " %s); statuses %s; duplicates %d; latency p50 in the backlog %d ms",
                skew,
                run,
                rate,
                window,
                n,
                d.checkpointP50(),
                d.checkpointMax(),
                d.checkpoints(),
                d.failedCheckpoints(),
                bytes(d.checkpointedBytesP50()),
                bytes(d.stateBytes()),
                d.statuses(),
                round.duplicates,
                d.backlogLatencyP50());
        log("[%s run %d] cores used: %s; load %s", skew, run, format(cores), d.load());
        log("[%s run %d] threads: %s", skew, run, format(threads));
        if (round.duplicates > 0) {
            throw new IllegalStateException(round.duplicates + " duplicated results");
        }
        return d;
    }

    private LatencyResult latency(
            TransferLoad load,
            CommittedOutputs outputs,
            JobClient job,
            String skew,
            int run,
            int rate)
            throws Exception {
        int n = rate * options.latencySeconds();
        String prefix = "l" + run + skew.charAt(0) + "-";
        CommittedOutputs.Round round = outputs.startRound(prefix, n);
        load.produceTransfersAtRate(prefix, n, rate, skew.equals("zipf"), 7000L * run + 13);
        await("latency phase committed", n, round::count, outputs, job, Duration.ofMinutes(5));
        Percentiles p = Percentiles.of(round.latencies());
        LatencyResult l =
                new LatencyResult(skew, run, rate, p.p(0.50), p.p(0.95), p.p(0.99), p.p(1.0));
        log(
                "[%s run %d] latency at %,d transfers/s: p50 %d ms, p95 %d ms, p99 %d ms, max %d"
                        + " ms",
                skew, run, rate, l.p50(), l.p95(), l.p99(), l.max());
        return l;
    }

    private void summarise(List<DrainResult> drains, List<LatencyResult> latencies)
            throws IOException {
        StringBuilder md = new StringBuilder();
        report.forEach(line -> md.append(line).append("\n\n"));
        md.append(
                "| Skew | Run | Transfers/s | Window | Checkpoint p50 / max | Checkpoints"
                        + " (failed) | Incremental size p50 | Latency p50 / p95 / p99 (rate) |"
                        + " Cores: JVM / broker / registry / others | Load avg |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (DrainResult d : drains) {
            LatencyResult l =
                    latencies.stream()
                            .filter(x -> x.skew().equals(d.skew()) && x.run() == d.run())
                            .findFirst()
                            .orElse(null);
            Map<String, Double> c = d.cores();
            md.append(
                    String.format(
                            "| %s | %d | %,.0f | %.0f s | %d / %d ms | %d (%d) | %s | %s |"
                                    + " %.2f / %.2f / %.2f / %.2f | %s |%n",
                            d.skew(),
                            d.run(),
                            d.transfersPerSecond(),
                            d.windowSeconds(),
                            d.checkpointP50(),
                            d.checkpointMax(),
                            d.checkpoints(),
                            d.failedCheckpoints(),
                            bytes(d.checkpointedBytesP50()),
                            l == null
                                    ? "-"
                                    : String.format(
                                            "%d / %d / %d ms (%,d/s)",
                                            l.p50(), l.p95(), l.p99(), l.rate()),
                            c.get("benchmark JVM (job + load + reader)"),
                            c.get("Kafka broker"),
                            c.get("schema registry"),
                            c.get("other processes (noise)"),
                            d.load()));
        }
        md.append("\nMedians:\n\n");
        for (String skew : options.skews()) {
            List<DrainResult> ds = drains.stream().filter(d -> d.skew().equals(skew)).toList();
            List<LatencyResult> ls = latencies.stream().filter(l -> l.skew().equals(skew)).toList();
            md.append(
                    String.format(
                            "- %s: %,.0f transfers/s; checkpoint p50 %.0f ms, max %.0f ms;"
                                    + " latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms%n",
                            skew,
                            Percentiles.median(
                                    ds.stream()
                                            .mapToDouble(DrainResult::transfersPerSecond)
                                            .toArray()),
                            Percentiles.median(
                                    ds.stream().mapToDouble(DrainResult::checkpointP50).toArray()),
                            Percentiles.median(
                                    ds.stream().mapToDouble(DrainResult::checkpointMax).toArray()),
                            Percentiles.median(
                                    ls.stream().mapToDouble(LatencyResult::p50).toArray()),
                            Percentiles.median(
                                    ls.stream().mapToDouble(LatencyResult::p95).toArray()),
                            Percentiles.median(
                                    ls.stream().mapToDouble(LatencyResult::p99).toArray())));
        }
        String profile = WhereTimeGoes.summarise(profiles, 25);
        md.append("\nProfile (JFR execution samples, all drain windows):\n\n```\n")
                .append(profile)
                .append("```\n");
        Path file = runDir.resolve("report.md");
        Files.writeString(file, md.toString());
        System.out.println();
        System.out.println(md);
        log("report: %s", file);
        // One machine-readable line, last: medians over the runs of each skew.
        StringBuilder result = new StringBuilder("RESULT");
        for (String skew : options.skews()) {
            result.append(
                    String.format(
                            Locale.ROOT,
                            " ledger_%s_tps=%.0f ledger_%s_latency_p50_ms=%.0f",
                            skew,
                            Percentiles.median(
                                    drains.stream()
                                            .filter(d -> d.skew().equals(skew))
                                            .mapToDouble(DrainResult::transfersPerSecond)
                                            .toArray()),
                            skew,
                            Percentiles.median(
                                    latencies.stream()
                                            .filter(l -> l.skew().equals(skew))
                                            .mapToDouble(LatencyResult::p50)
                                            .toArray())));
        }
        result.append(" load_before=").append(loadBefore);
        result.append(" load_after=").append(loadAverage());
        resultLine = result.toString();
    }

    private void await(
            String what,
            long target,
            LongSupplier progress,
            CommittedOutputs outputs,
            JobClient job,
            Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long lastValue = progress.getAsLong();
        long lastTime = System.nanoTime();
        while (progress.getAsLong() < target) {
            outputs.checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + ": only " + progress.getAsLong() + " of " + target);
            }
            if (System.nanoTime() > nextLog) {
                JobStatus status = job.getJobStatus().get();
                if (status.isGloballyTerminalState() || status == JobStatus.FAILING) {
                    throw new IllegalStateException("the job is " + status);
                }
                long value = progress.getAsLong();
                log(
                        "  %s: %,d of %,d (%,.0f/s); load %s",
                        what,
                        value,
                        target,
                        (value - lastValue) / seconds(lastTime),
                        loadAverage());
                lastValue = value;
                lastTime = System.nanoTime();
                nextLog = lastTime + TimeUnit.SECONDS.toNanos(15);
            }
            Thread.sleep(20);
        }
    }

    private static String format(Map<String, Double> cores) {
        StringBuilder s = new StringBuilder();
        cores.forEach((k, v) -> s.append(String.format("%s %.2f, ", k, v)));
        return s.length() > 2 ? s.substring(0, s.length() - 2) : "";
    }

    private static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        return b >= 1 << 20
                ? String.format("%.1f MiB", b / 1048576.0)
                : String.format("%.0f KiB", b / 1024.0);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "%s %s%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
    }
}
