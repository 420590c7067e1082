package io.ledgerflow.testdata.cli;

import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.testdata.check.CheckResult;
import io.ledgerflow.testdata.check.Checker;
import io.ledgerflow.testdata.check.RunRecord;
import io.ledgerflow.testdata.check.StoreConnections;
import io.ledgerflow.testdata.load.DailyShape;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.population.TimeOfDayProfile;
import io.ledgerflow.testdata.target.HttpTarget;
import io.ledgerflow.testdata.target.JsonLinesTarget;
import io.ledgerflow.testdata.target.KafkaTarget;
import io.ledgerflow.testdata.target.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command line over the library: {@code generate} (JSON-lines files), {@code load} (HTTP, Kafka
 * or a file, open or closed loop), {@code check} (PASS/FAIL from the stores) and {@code keys} (the
 * API keys file of a population). Exit status: 0 success/PASS, 1 FAIL, 2 usage error.
 */
public final class GeneratorMain {

    static final String USAGE =
            """
            usage: java -Xmx512m -jar ledgerflow-testdata-generator.jar COMMAND [flags]

            commands:
              generate  write a population and its movements as JSON lines (simulated event time)
                        --out FILE (required) --count N (movements, default 10000)
                        --simulated-rate N (mean events/s of simulated time, default 10)
                        --run-id ID (default gen<seed>)
              load      drive a target; prints progress lines, a report and writes a run record
                        --target http|kafka|jsonl (default http)
                        --api-url URL (default http://127.0.0.1:8080)   [http]
                        --bootstrap-servers H:P --schema-registry-url URL
                        --topic T (default ledger.requests under --topic-prefix P) [kafka]
                        --out FILE                                       [jsonl]
                        --rate N  open loop at N/s, CO-corrected (default 100; 0 = closed loop)
                        --concurrency N  closed loop in flight (default 64)
                        --max-in-flight N  open loop bound on unanswered requests (20000)
                        --day-length 10m  open loop rate follows the retail time-of-day
                                          profile, a whole day every 10m (--rate = mean)
                        --duration 60s and/or --count N (bounds; default --duration 60s)
                        --settle 2s  pause after funding accounts
                        --timeout 10s  per HTTP request
                        --run-id ID (default: time-based) --run-record FILE (default
                        ledgerflow-run.json) --report-json FILE --quiet (no progress lines)
              check     verify a run from PostgreSQL and ClickHouse; prints PASS or FAIL
                        --run-record FILE (default ledgerflow-run.json)
                        --postgres-url URL --postgres-user U (ledgerflow) --postgres-password P
                        (or --postgres-password-file F; also --clickhouse-password-file)
                        --clickhouse-url URL (jdbc:clickhouse://host:8123/ledgerflow)
                        --clickhouse-user U (default) --clickhouse-password P
                        --wait 60s  keep checking until PASS or this long
              keys      write the ingest API's keys file for the population: --out FILE

            population flags (all commands but check):
              --seed N (42) --partners N (1000) --accounts-per-partner N (5)
              --currencies EUR,USD,GBP --namespace NS (account id prefix; default s<seed>)
              --dev-keys (use the API's development partners; at most 2 partners)
              --key-secret S --amount-median 25.00 --amount-sigma 1.2 --zipf 1.1
              --invalid-share 0.01 --fraud-share 0.005
            """;

    private GeneratorMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Settings flags = Settings.fromArgs(rest, Map.of());
            return switch (args[0]) {
                case "generate" -> generate(flags, out);
                case "load" -> load(flags, out);
                case "check" -> check(flags, out);
                case "keys" -> keys(flags, out);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (java.io.UncheckedIOException e) {
            // A file that cannot be read or written: say which, without a stack trace.
            err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static GeneratorSettings settings(Settings f) {
        GeneratorSettings d = GeneratorSettings.defaults();
        long seed = f.integer("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
        return d.toBuilder()
                .seed(seed)
                .namespace(f.string("namespace", null))
                .partners(f.positiveInt("partners", d.partners()))
                .accountsPerPartner(f.positiveInt("accounts-per-partner", d.accountsPerPartner()))
                .currencies(
                        List.of(
                                f.string("currencies", String.join(",", d.currencies()))
                                        .split(",")))
                .devKeys(f.bool("dev-keys", false))
                .keySecret(f.secret("key-secret", null, Secret.of(d.keySecret())).reveal())
                .amounts(
                        f.number("amount-median", d.amountMedianMajor(), 0.01, Double.MAX_VALUE),
                        f.number("amount-sigma", d.amountSigma(), 0, Double.MAX_VALUE))
                .zipfExponent(f.number("zipf", d.zipfExponent(), 0, Double.MAX_VALUE))
                .invalidShare(f.number("invalid-share", d.invalidShare(), 0, 1))
                .fraudShare(f.number("fraud-share", d.fraudShare(), 0, 1))
                .build();
    }

    /**
     * Fails with every problem of the command line (a usage error), else prints the effective
     * configuration: what a run used is in its output.
     */
    private static void start(Settings f, PrintStream out) {
        f.check();
        out.print("configuration:\n" + f.describe());
    }

    private static int generate(Settings f, PrintStream out) {
        GeneratorSettings base = settings(f);
        Instant start =
                LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        double simulatedRate = f.number("simulated-rate", 10, 0.001, Double.MAX_VALUE);
        Path file = Path.of(f.required("out"));
        long count = f.integer("count", 10_000, 1, Long.MAX_VALUE);
        String runId = f.string("run-id", "gen" + base.seed());
        start(f, out);
        GeneratorSettings settings =
                base.toBuilder()
                        .simulatedTime(start, simulatedRate)
                        .profile(TimeOfDayProfile.RETAIL)
                        .build();
        Population population = Population.generate(settings);
        try (Target target = new JsonLinesTarget(file)) {
            GeneratorRun.Result result =
                    new GeneratorRun(population, target, LoadClock.SYSTEM, null)
                            .execute(
                                    runId,
                                    LoadPlan.closedLoop(1, count, null).withProgressInterval(null),
                                    Duration.ZERO);
            out.printf(
                    "wrote %d accounts, %d deposits and %d movements to %s%n",
                    population.accounts().size(),
                    result.setup().accepted(),
                    result.load().accepted(),
                    file);
        }
        return 0;
    }

    private static int load(Settings f, PrintStream out) throws InterruptedException {
        GeneratorSettings settings = settings(f);
        String kind = f.choice("target", "http", "http", "kafka", "jsonl");
        double rate = f.number("rate", 100, 0, Double.MAX_VALUE);
        int concurrency = f.positiveInt("concurrency", LoadPlan.DEFAULT_CONCURRENCY);
        long count = f.integer("count", 0, 0, Long.MAX_VALUE);
        Duration duration = f.duration("duration", count > 0 ? null : Duration.ofSeconds(60));
        Duration settle = f.nonNegativeDuration("settle", Duration.ofSeconds(2));
        Duration timeout = f.duration("timeout", Duration.ofSeconds(10));
        String runId = f.string("run-id", "run" + Long.toString(System.currentTimeMillis(), 36));
        Path record = Path.of(f.string("run-record", "ledgerflow-run.json"));
        String reportJson = f.string("report-json", null);
        boolean quiet = f.bool("quiet", false);
        int maxInFlight = f.nonNegativeInt("max-in-flight", 0);
        Duration dayLength = f.duration("day-length", null);
        // Only the chosen target's settings are read: another target's is then unknown, a mistake.
        String apiUrl = null;
        KafkaSettings kafka = null;
        RegistrySettings registry = null;
        String jsonLinesFile = null;
        switch (kind) {
            case "http" -> apiUrl = f.url("api-url", "http://127.0.0.1:8080", "http", "https");
            case "kafka" -> {
                f.required("bootstrap-servers");
                f.required(RegistrySettings.URL);
                kafka = KafkaSettings.read(f, "bootstrap-servers", KafkaSettings.LOCAL);
                registry = RegistrySettings.read(f, RegistrySettings.LOCAL);
            }
            default -> jsonLinesFile = f.required("out");
        }
        String topic =
                kind.equals("kafka")
                        ? f.string("topic", kafka.topic(Topics.LEDGER_REQUESTS))
                        : null;
        start(f, out);
        Population population = Population.generate(settings);
        Target target =
                switch (kind) {
                    case "http" -> new HttpTarget(apiUrl, population, timeout);
                    case "kafka" ->
                            new KafkaTarget(kafka.bootstrapServers(), registry.url(), topic);
                    default -> new JsonLinesTarget(Path.of(jsonLinesFile));
                };
        LoadPlan plan =
                rate > 0
                        ? LoadPlan.openLoop(rate, count, duration)
                        : LoadPlan.closedLoop(concurrency, count, duration);
        if (quiet) {
            plan = plan.withProgressInterval(null);
        }
        if (maxInFlight > 0) {
            plan = plan.withMaxInFlight(maxInFlight);
        }
        if (dayLength != null) {
            plan = plan.withShape(new DailyShape(TimeOfDayProfile.RETAIL, dayLength));
        }
        GeneratorRun run = new GeneratorRun(population, target, LoadClock.SYSTEM, out);
        // Ctrl-C ends the load but still closes open holds and writes the record and report.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            run.stop();
                            try {
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "generator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GeneratorRun.Result result;
        try (target) {
            result = run.execute(runId, plan, settle);
        }
        out.print(result.load().render());
        result.record().write(record);
        out.println("run record: " + record.toAbsolutePath());
        if (reportJson != null) {
            write(Path.of(reportJson), result.load().toJson());
        }
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and now returns.
        }
        return 0;
    }

    private static int check(Settings f, PrintStream out) throws InterruptedException {
        Path runRecord = Path.of(f.string("run-record", "ledgerflow-run.json"));
        f.required("postgres-url");
        PostgresSettings postgres =
                PostgresSettings.read(
                        f,
                        "postgres-",
                        null,
                        new PostgresSettings("jdbc:postgresql:", "ledgerflow", Secret.NONE));
        // The analytics database is part of this URL (jdbc:clickhouse://host:8123/ledgerflow).
        String clickHouseUrl = f.required("clickhouse-url");
        f.jdbcUrl("clickhouse-url", clickHouseUrl, "clickhouse");
        String clickHouseUser = f.string("clickhouse-user", "default");
        Secret clickHousePassword = f.secret("clickhouse-password", null, Secret.NONE);
        Duration wait = f.duration("wait", Duration.ofSeconds(60));
        start(f, out);
        RunRecord run = RunRecord.read(runRecord);
        StoreConnections stores =
                new StoreConnections(
                        postgres.url(),
                        postgres.user(),
                        postgres.password().reveal(),
                        clickHouseUrl,
                        clickHouseUser,
                        clickHousePassword.reveal());
        CheckResult result = new Checker(stores).awaitPass(run, wait, Duration.ofSeconds(2));
        out.print(result.render());
        return result.passed() ? 0 : 1;
    }

    private static int keys(Settings f, PrintStream out) {
        GeneratorSettings settings = settings(f);
        Path file = Path.of(f.required("out"));
        start(f, out);
        write(file, String.join("\n", Population.generate(settings).apiKeysFileLines()) + "\n");
        out.printf(
                "wrote %d partner keys to %s (LEDGERFLOW_API_KEYS_FILE)%n",
                settings.partners(), file);
        return 0;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
