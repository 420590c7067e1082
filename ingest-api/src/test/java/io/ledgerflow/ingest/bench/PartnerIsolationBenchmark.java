package io.ledgerflow.ingest.bench;

import io.ledgerflow.ingest.testutils.LedgerRequestsTopic;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The partner isolation benchmark of issue 14 (a command, not a test): real Kafka, schema registry
 * and PostgreSQL (local-servers), two API instances in their own JVMs sharing the PostgreSQL
 * heartbeat table, the default limits (100 requests/s and 100 movements/s per partner), and a
 * Vert.x HTTP/1.1 keep-alive client in this JVM. Phases:
 *
 * <ol>
 *   <li>(a) alone: partner {@code dev-partner-2} sends single transfers to instance 1 at a fixed 50
 *       requests/s, open loop (latency from the intended send time): its p99;
 *   <li>(a) flooded: the same, while {@code dev-partner} sends ten times its limit (1,000
 *       requests/s) to the same instance, almost all refused with 429: the other's p99 again;
 *   <li>(b) two instances: {@code dev-partner} sends three times its limit spread evenly over both
 *       instances; after a settling period that spends the bursts, its admitted (202) requests per
 *       second, against its limit.
 * </ol>
 *
 * The last line on stdout is {@code RESULT other_p99_ms_alone=... other_p99_ms_flooded=...
 * p99_increase_pct=... two_instance_admitted_rps=... limit_rps=... admitted_ratio=...
 * load_before=... load_after=...}. Run through {@code ingest-api/bench-partners.sh}.
 */
public final class PartnerIsolationBenchmark {

    private static final String FLOODER_KEY = "dev-partner-key";
    private static final String OTHER_KEY = "dev-partner-2-key";
    private static final int LIMIT = 100; // the default request and movement limit
    private static final int OTHER_RATE = 50;
    private static final int SETTLE_SECONDS = 3;
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final AtomicLong IDS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "20"));
        String apiHeap = System.getProperty("bench.apiHeap", "-Xmx512m");
        Path work = Files.createTempDirectory("ledgerflow-partners-bench-");
        String loadBefore = IngestBenchmark.loadAverage();
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
        List<Process> apis = new ArrayList<>();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        // The flood has its own client event loop, so that it does not delay the measured client.
        Vertx floodVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            System.out.println("starting Kafka, the schema registry and PostgreSQL ...");
            kafka.start();
            registry.start();
            postgres.start();
            LedgerRequestsTopic.create(kafka.bootstrapServers());
            PostgresMigrations.apply(
                    postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
            int[] ports = {IngestBenchmark.freePort(), IngestBenchmark.freePort()};
            for (int i = 0; i < 2; i++) {
                System.out.println(
                        "starting ingest API " + (i + 1) + " (" + apiHeap + ") on " + ports[i]);
                apis.add(startApi(work, i, ports[i], apiHeap, kafka, registry, postgres));
            }
            for (int port : ports) {
                IngestBenchmark.awaitReady(port);
                awaitLiveInstances(port, 2);
            }
            HttpClient one = client(vertx, ports[0]);
            HttpClient two = client(vertx, ports[1]);

            System.out.println("warm-up (" + Math.max(3, seconds / 4) + " s) ...");
            openLoop(vertx, List.of(one), OTHER_KEY, OTHER_RATE, Math.max(3, seconds / 4));

            Counts alone = openLoop(vertx, List.of(one), OTHER_KEY, OTHER_RATE, seconds);
            System.out.println(alone.describe("(a) other partner alone at " + OTHER_RATE + "/s"));

            Counts[] flood = new Counts[1];
            Thread flooder =
                    new Thread(
                            () -> {
                                try {
                                    flood[0] =
                                            openLoop(
                                                    floodVertx,
                                                    List.of(client(floodVertx, ports[0])),
                                                    FLOODER_KEY,
                                                    10 * LIMIT,
                                                    seconds + 2);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "flooder");
            flooder.start();
            Thread.sleep(1000); // the flood is on before the measured phase starts
            Counts flooded = openLoop(vertx, List.of(one), OTHER_KEY, OTHER_RATE, seconds);
            flooder.join();
            System.out.println(
                    flooded.describe("(a) other partner at " + OTHER_RATE + "/s, flooded"));
            System.out.println(flood[0].describe("    flooding partner at " + 10 * LIMIT + "/s"));

            // Let the flooder's allowance fill up again, then (b).
            Thread.sleep(3000);
            Counts spread =
                    openLoop(
                            vertx,
                            List.of(one, two),
                            FLOODER_KEY,
                            3 * LIMIT,
                            SETTLE_SECONDS + seconds);
            double admittedRps = spread.admittedAfterSettle.sum() / (double) seconds;
            System.out.println(
                    spread.describe("(b) one partner at " + 3 * LIMIT + "/s over two instances"));
            System.out.printf(
                    Locale.ROOT,
                    "    admitted after %d s of settling: %.1f/s against a limit of %d/s (%.3f)%n",
                    SETTLE_SECONDS,
                    admittedRps,
                    LIMIT,
                    admittedRps / LIMIT);

            double p99Alone = alone.p99Millis();
            double p99Flooded = flooded.p99Millis();
            result =
                    String.format(
                            Locale.ROOT,
                            "RESULT other_p99_ms_alone=%.2f other_p99_ms_flooded=%.2f"
                                    + " p99_increase_pct=%.1f two_instance_admitted_rps=%.1f"
                                    + " limit_rps=%d admitted_ratio=%.3f load_before=%s"
                                    + " load_after=%s",
                            p99Alone,
                            p99Flooded,
                            100 * (p99Flooded - p99Alone) / p99Alone,
                            admittedRps,
                            LIMIT,
                            admittedRps / LIMIT,
                            loadBefore,
                            IngestBenchmark.loadAverage());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            floodVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (Process api : apis) {
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

    private static Process startApi(
            Path work,
            int index,
            int port,
            String heap,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres)
            throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                                IngestBenchmark.javaExecutable(),
                                heap,
                                "-XX:+UseParallelGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.ledgerflow.ingest.IngestApiMain")
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("ingest-api-" + index + ".log").toFile());
        var env = builder.environment();
        env.put("LEDGERFLOW_HTTP_PORT", Integer.toString(port));
        env.put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
        env.put("LEDGERFLOW_EVENT_LOOPS", "2");
        env.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        env.put("LEDGERFLOW_READ_MODEL_JDBC_URL", postgres.jdbcUrl());
        env.put("LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
        env.put("LEDGERFLOW_API_INSTANCE_ID", "bench-api-" + index);
        env.remove("LEDGERFLOW_API_KEYS_FILE");
        // The defaults are the limits measured; make sure nothing in the shell overrides them.
        env.keySet()
                .removeIf(
                        k ->
                                k.startsWith("LEDGERFLOW_PARTNER_")
                                        || k.equals("LEDGERFLOW_RATE_LIMITS_ENABLED"));
        return builder.start();
    }

    private static void awaitLiveInstances(int port, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (IngestBenchmark.fetch(port, "/metrics")
                    .contains("ingest_api_instances_live " + expected + ".0")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("API on " + port + " never counted " + expected);
    }

    private static HttpClient client(Vertx vertx, int port) {
        return vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(port)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    }

    /** What one partner's open-loop phase got back. */
    static final class Counts {
        final LongAdder admitted = new LongAdder();
        final LongAdder throttled = new LongAdder();
        final LongAdder other = new LongAdder();
        final LongAdder admittedAfterSettle = new LongAdder();
        IngestBenchmark.Phase phase;

        double p99Millis() {
            return phase.percentileMillis(99);
        }

        String describe(String name) {
            return String.format(
                    Locale.ROOT,
                    "%s: %d admitted, %d throttled (429), %d other; p50 %.2f ms, p99 %.2f ms, max"
                            + " %.2f ms",
                    name,
                    admitted.sum(),
                    throttled.sum(),
                    other.sum(),
                    phase.percentileMillis(50),
                    phase.percentileMillis(99),
                    phase.percentileMillis(100));
        }
    }

    /**
     * {@code perSecond} single transfers of the partner for {@code seconds}, open loop, round-robin
     * over {@code clients}; latency from each intended send time.
     */
    private static Counts openLoop(
            Vertx vertx, List<HttpClient> clients, String key, int perSecond, int seconds)
            throws InterruptedException {
        Counts counts = new Counts();
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI("/api/v1/transactions")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Api-Key", key);
        long settledAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        AtomicLong next = new AtomicLong();
        counts.phase =
                IngestBenchmark.openLoop(
                        vertx,
                        perSecond,
                        seconds,
                        (recorder, intended) -> {
                            HttpClient client =
                                    clients.get((int) (next.getAndIncrement() % clients.size()));
                            return send(client, options, counts, recorder, intended, settledAt);
                        });
        return counts;
    }

    private static Future<Void> send(
            HttpClient client,
            RequestOptions options,
            Counts counts,
            IngestBenchmark.Recorder recorder,
            long intended,
            long settled) {
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(transfer())))
                .compose(
                        response ->
                                response.body()
                                        .map(
                                                b -> {
                                                    recorder.record(System.nanoTime() - intended);
                                                    int status = response.statusCode();
                                                    if (status == 202) {
                                                        counts.admitted.increment();
                                                        if (intended - settled >= 0) {
                                                            counts.admittedAfterSettle.increment();
                                                        }
                                                    } else if (status == 429) {
                                                        counts.throttled.increment();
                                                    } else {
                                                        counts.other.increment();
                                                    }
                                                    return (Void) null;
                                                }))
                .recover(
                        error -> {
                            counts.other.increment();
                            return Future.succeededFuture();
                        });
    }

    private static String transfer() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(10_000);
        int to = (from + 1 + random.nextInt(9_999)) % 10_000;
        return "{\"transactionId\":\"iso-"
                + RUN
                + "-"
                + IDS.incrementAndGet()
                + "\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"acc-"
                + from
                + "\",\"destinationAccountId\":\"acc-"
                + to
                + "\",\"amount\":\"1.00\",\"currency\":\"USD\"}";
    }
}
