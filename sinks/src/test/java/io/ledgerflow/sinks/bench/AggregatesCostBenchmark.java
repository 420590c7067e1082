package io.ledgerflow.sinks.bench;

import io.ledgerflow.avro.MovementType;
import io.ledgerflow.avro.ReasonCode;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.avro.TransactionStatus;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.ClickHouseServer;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.localservers.ServerProcess.Lifetime;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.sinks.SinksConfig;
import io.ledgerflow.sinks.SinksJob;
import io.ledgerflow.sinks.aggregates.AggregatesConfig;
import io.ledgerflow.sinks.testutils.LedgerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The throughput cost of the windowed aggregates: the sinks job (parallelism 2, local MiniCluster,
 * real Kafka, registry, PostgreSQL and ClickHouse from local-servers) reads the same prepared
 * results topic from its beginning, alternately without and with aggregates, each run into fresh
 * databases with its own consumer group, state in RocksDB with incremental checkpoints as deployed
 * ({@code --state-backend hashmap}: heap state). A run's throughput is decisions per second between
 * the PostgreSQL read model holding 10% and 100% of them (so job start-up is not counted). Prints
 * each run, the median of each mode and their ratio. Run by {@code sinks/bench-aggregates.sh}; not
 * a test.
 */
public final class AggregatesCostBenchmark {

    private static final String PREFIX = "bench-aggregates-";

    private final BenchOptions options;

    /** The 1-minute load average when the benchmark started (a run above 1.5 is not a result). */
    private final String loadBefore = BenchOptions.loadAverage();

    /** Printed by {@link #main} after the servers stopped, so that it is the last line. */
    private String resultLine;

    private AggregatesCostBenchmark(String[] args) {
        options =
                new BenchOptions(
                        args,
                        Map.of(
                                "results", "200000",
                                "runs", "3",
                                "partners", "20",
                                "accounts", "20000",
                                "parallelism", "2",
                                "state-backend", "rocksdb",
                                "flink-conf", ""));
    }

    public static void main(String[] args) throws Exception {
        AggregatesCostBenchmark benchmark = new AggregatesCostBenchmark(args);
        benchmark.run();
        System.out.flush();
        System.out.println(benchmark.resultLine);
        System.exit(0);
    }

    private int intOption(String name) {
        return options.intValue(name);
    }

    private void run() throws Exception {
        Path dir = Path.of("sinks/target/bench/aggregates-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        KafkaServer kafka =
                new KafkaServer(
                        dir.resolve("kafka"),
                        BenchOptions.freePort(),
                        BenchOptions.freePort(),
                        Lifetime.ATTACHED);
        SchemaRegistryServer registry =
                new SchemaRegistryServer(
                        dir.resolve("registry"), BenchOptions.freePort(), Lifetime.ATTACHED);
        PostgresServer postgres =
                new PostgresServer(
                        dir.resolve("postgres"), BenchOptions.freePort(), Lifetime.ATTACHED);
        ClickHouseServer clickHouse =
                new ClickHouseServer(
                        dir.resolve("clickhouse"), BenchOptions.freePort(), Lifetime.ATTACHED);
        List<ServerProcess> servers = List.of(kafka, registry, postgres, clickHouse);
        try {
            for (ServerProcess server : servers) {
                server.start();
            }
            int n = intOption("results");
            LedgerTopics topics =
                    new LedgerTopics(
                            LedgerJobConfig.defaults()
                                    .withKafka(kafka.bootstrapServers(), registry.url())
                                    .withTopicPrefix(PREFIX));
            topics.createTopics(intOption("parallelism"));
            topics.produceResults(decisions(n));
            System.out.printf("prepared %d decisions%n", n);

            List<Double> off = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            for (int run = 0; run < intOption("runs"); run++) {
                for (boolean aggregates : new boolean[] {false, true}) {
                    double rate =
                            measure(run, aggregates, n, kafka, registry, postgres, clickHouse);
                    (aggregates ? on : off).add(rate);
                    System.out.printf(
                            "run %d aggregates %-5s %,.0f decisions/s (load average %s)%n",
                            run + 1, aggregates, rate, BenchOptions.loadAverage());
                }
            }
            double medianOff = median(off);
            double medianOn = median(on);
            System.out.printf(
                    "%n| when | state backend | decisions | runs | without aggregates (median/s) |"
                            + " with aggregates (median/s) | with / without | load average |%n|"
                            + " %s | %s | %d | %d | %,.0f | %,.0f | %.2f | %s |%n",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                    options.get("state-backend") + " " + options.get("flink-conf"),
                    n,
                    off.size(),
                    medianOff,
                    medianOn,
                    medianOn / medianOff,
                    BenchOptions.loadAverage());
            System.out.println("without: " + off + "\nwith:    " + on);
            // Medians over the runs of each mode; the ratio is that of the medians.
            resultLine =
                    String.format(
                            Locale.ROOT,
                            "RESULT decisions_per_s_without_aggregates=%.0f"
                                    + " decisions_per_s_with_aggregates=%.0f aggregates_ratio=%.3f"
                                    + " load_before=%s load_after=%s",
                            medianOff,
                            medianOn,
                            medianOn / medianOff,
                            loadBefore,
                            BenchOptions.loadAverage());
        } finally {
            for (ServerProcess server : servers) {
                server.stop();
            }
        }
    }

    /** One run of the sinks job over the whole topic; returns decisions per second. */
    private double measure(
            int run,
            boolean aggregates,
            int n,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            ClickHouseServer clickHouse)
            throws Exception {
        String name = "bench_" + (aggregates ? "on" : "off") + "_" + run;
        try (Connection admin =
                        DriverManager.getConnection(
                                postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String[] args = {
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registry.url(),
            "--topic-prefix",
            PREFIX,
            "--consumer-group",
            name,
            "--parallelism",
            options.get("parallelism"),
            "--checkpoint-directory",
            Path.of("sinks/target/bench/" + name).toUri().toString(),
            "--postgres-url",
            postgres.jdbcUrl(name),
            "--clickhouse-url",
            "jdbc:clickhouse://127.0.0.1:" + clickHouse.port(),
            "--clickhouse-database",
            name,
            "--aggregates",
            "" + aggregates
        };
        Settings settings = Settings.fromArgs(args, Map.of());
        SinksConfig config = SinksConfig.read(settings);
        AggregatesConfig aggregatesConfig = AggregatesConfig.read(settings);
        settings.check();
        SinksJob job = new SinksJob(config, aggregatesConfig);
        job.migrateStores();
        // As deployed (k8s sinks-job.yaml): RocksDB with incremental checkpoints; "hashmap" for
        // heap state with full snapshots at every checkpoint.
        Configuration cluster = SinksJob.clusterConfiguration(config);
        cluster.set(StateBackendOptions.STATE_BACKEND, options.get("state-backend"));
        cluster.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // --flink-conf key=value,key=value: try a setting without editing the job.
        Map<String, String> extra = new HashMap<>();
        for (String pair : options.get("flink-conf").split(",")) {
            if (!pair.isBlank()) {
                extra.put(
                        pair.substring(0, pair.indexOf('=')),
                        pair.substring(pair.indexOf('=') + 1));
            }
        }
        cluster.addAll(Configuration.fromMap(extra));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(cluster);
        JobClient client = job.start(env);
        try (Connection pg =
                DriverManager.getConnection(
                        postgres.jdbcUrl(name), PostgresServer.USER, PostgresServer.PASSWORD)) {
            long tenth = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline) {
                long count = count(pg);
                long now = System.nanoTime();
                if (tenth == 0 && count >= n / 10) {
                    tenth = now;
                }
                if (count >= n) {
                    return (n - n / 10) / ((now - tenth) / 1e9);
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " did not finish in 15 minutes");
        } finally {
            client.cancel().get();
        }
    }

    private static long count(Connection pg) throws Exception {
        try (Statement s = pg.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM transactions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Decisions over one day of event time, slightly out of order (up to 3 s): 85% completed
     * transfers, 10% rejected with one of three reasons, 5% hold endings.
     */
    private List<TransactionResult> decisions(int n) {
        Random random = new Random(7);
        int partners = intOption("partners");
        int accounts = intOption("accounts");
        long start = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        long step = Duration.ofDays(1).toMillis() / n;
        ReasonCode[] reasons = {
            ReasonCode.INSUFFICIENT_FUNDS, ReasonCode.ACCOUNT_FROZEN, ReasonCode.CURRENCY_MISMATCH
        };
        List<TransactionResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int partner = random.nextInt(partners);
            String from = "acc-" + partner + "-" + random.nextInt(accounts / partners);
            String to = "acc-" + partner + "-" + random.nextInt(accounts / partners);
            int roll = random.nextInt(100);
            TransactionStatus status =
                    roll < 85
                            ? TransactionStatus.COMPLETED
                            : roll < 95 ? TransactionStatus.REJECTED : TransactionStatus.CAPTURED;
            Instant eventTime = Instant.ofEpochMilli(start + i * step - random.nextInt(3_000));
            results.add(
                    TransactionResult.newBuilder()
                            .setTransactionId("tx-" + i)
                            .setPartnerId("partner-" + partner)
                            .setType(
                                    status == TransactionStatus.CAPTURED
                                            ? MovementType.HOLD
                                            : MovementType.TRANSFER)
                            .setStatus(status)
                            .setReason(
                                    status == TransactionStatus.REJECTED
                                            ? reasons[random.nextInt(reasons.length)]
                                            : null)
                            .setReasonDetail(null)
                            .setSourceAccountId(from)
                            .setDestinationAccountId(to)
                            .setRelatedTransactionId(null)
                            .setAmountMinor(1 + random.nextInt(100_000))
                            .setCurrency("EUR")
                            .setEventTime(eventTime)
                            .setReceivedTime(eventTime.plusMillis(5))
                            .setDecisionTime(eventTime.plusMillis(9))
                            .build());
        }
        return results;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
