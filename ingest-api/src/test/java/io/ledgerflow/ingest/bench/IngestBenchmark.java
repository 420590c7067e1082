package io.ledgerflow.ingest.bench;

import io.ledgerflow.ingest.testutils.LedgerRequestsTopic;
import io.ledgerflow.localservers.KafkaServer;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.localservers.SchemaRegistryServer;
import io.ledgerflow.localservers.ServerProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest API benchmark (a command, not a test): starts a real Kafka broker and schema registry
 * (local-servers), the API in its own JVM, and drives it from this JVM with a Vert.x HTTP/1.1
 * keep-alive client. Three phases:
 *
 * <ol>
 *   <li>single transfers, closed loop, many connections: requests/s;
 *   <li>batches of 1,000 transfers: transfers/s;
 *   <li>single transfers at a fixed 5,000 requests/s, open loop (latency is measured from the
 *       intended send time, so a stall is not hidden): p50/p99/p99.9 accept latency.
 * </ol>
 *
 * Everything shares the machine: broker, API and client compete for the same cores, and the report
 * prints each process's CPU share. Run through {@code ingest-api/bench.sh}.
 */
public final class IngestBenchmark {

    private static final String KEY = "dev-partner-key";
    private static final int ACCOUNTS = 10_000;
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final AtomicLong IDS = new AtomicLong();

    private final int seconds;
    private final HttpClient client;
    private final Vertx vertx;
    private final int port;

    private IngestBenchmark(Vertx vertx, int port, int seconds, int connections) {
        this.vertx = vertx;
        this.port = port;
        this.seconds = seconds;
        this.client =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setDefaultHost("127.0.0.1")
                                .setDefaultPort(port)
                                .setKeepAlive(true)
                                .setPipelining(false)
                                .setTcpNoDelay(true),
                        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "20"));
        String apiHeap = System.getProperty("bench.apiHeap", "-Xmx1g");
        String apiGc = System.getProperty("bench.apiGc", "-XX:+UseParallelGC");
        String classpath = System.getProperty("java.class.path");
        Path report = Path.of(System.getProperty("bench.report", "docs/benchmarks.md"));
        Path work = Files.createTempDirectory("ledgerflow-bench-");
        // Before anything of ours runs: a run that starts above ~1.5 shares the cores.
        String loadBefore = loadAverage();
        // Printed once the servers are stopped, so that it is the last line on stdout.
        String result;

        KafkaServer kafka =
                new KafkaServer(
                        work.resolve("kafka"),
                        freePort(),
                        freePort(),
                        ServerProcess.Lifetime.ATTACHED);
        SchemaRegistryServer registry =
                new SchemaRegistryServer(
                        work.resolve("registry"), freePort(), ServerProcess.Lifetime.ATTACHED);
        Process api = null;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            System.out.println("starting Kafka and the schema registry ...");
            kafka.start();
            registry.start();
            LedgerRequestsTopic.create(kafka.bootstrapServers());
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(javaExecutable(), apiHeap, apiGc));
            String extra = System.getProperty("bench.apiJvmArgs", "").strip();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", classpath, "io.ledgerflow.ingest.IngestApiMain"));
            ProcessBuilder apiProcess =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(work.resolve("ingest-api.log").toFile());
            apiProcess.environment().put("LEDGERFLOW_HTTP_PORT", Integer.toString(port));
            apiProcess.environment().put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
            apiProcess
                    .environment()
                    .put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            apiProcess.environment().put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
            apiProcess.environment().remove("LEDGERFLOW_API_KEYS_FILE");
            // The API's raw throughput from one partner, not that partner's rate limit.
            apiProcess.environment().put("LEDGERFLOW_RATE_LIMITS_ENABLED", "false");
            System.out.println(
                    "starting the ingest API (" + apiHeap + ") on port " + port + " ...");
            api = apiProcess.start();
            awaitReady(port);

            ProcessHandle apiHandle = api.toHandle();
            ProcessHandle kafkaHandle = ProcessHandle.of(kafka.pid().getAsLong()).orElseThrow();
            ProcessHandle self = ProcessHandle.current();

            IngestBenchmark single = new IngestBenchmark(vertx, port, seconds, 256);
            System.out.println("warm-up (" + Math.max(5, seconds / 2) + " s) ...");
            single.closedLoopSingles(256, Math.max(5, seconds / 2));

            Cpu cpu = new Cpu(apiHandle, kafkaHandle, self);
            Phase singles = single.closedLoopSingles(256, seconds);
            String singleCpu = cpu.report(seconds);
            System.out.println(singles.describe("single transfers, 256 connections"));
            System.out.println("  CPU " + singleCpu);

            IngestBenchmark batched = new IngestBenchmark(vertx, port, seconds, 8);
            cpu = new Cpu(apiHandle, kafkaHandle, self);
            Phase batches = batched.closedLoopBatches(8, 1000, seconds);
            String batchCpu = cpu.report(seconds);
            System.out.println(batches.describe("batches of 1,000 transfers, 8 connections"));
            System.out.println("  CPU " + batchCpu);

            IngestBenchmark paced = new IngestBenchmark(vertx, port, seconds, 128);
            cpu = new Cpu(apiHandle, kafkaHandle, self);
            Phase fixed = paced.fixedRate(5_000, seconds);
            String fixedCpu = cpu.report(seconds);
            System.out.println(fixed.describe("single transfers at 5,000 requests/s"));
            System.out.println("  CPU " + fixedCpu);

            String metrics = fetch(port, "/metrics");
            String produce = averageOf(metrics, "ingest_kafka_produce_duration_seconds");
            System.out.println("  mean Kafka produce (hand-over to ack) over the run: " + produce);
            System.out.println("  1-minute load average now: " + loadAverage());

            writeReport(
                    report, seconds, apiHeap, singles, singleCpu, batches, batchCpu, fixed,
                    fixedCpu, produce);
            System.out.println("results written to " + report.toAbsolutePath());
            result = resultLine(singles, batches, fixed, loadBefore);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (api != null) {
                api.destroy();
                api.waitFor(10, TimeUnit.SECONDS);
                api.destroyForcibly();
            }
            registry.stop();
            kafka.stop();
        }
        System.out.flush();
        System.out.println(result);
        System.exit(0);
    }

    /**
     * The machine-readable summary: closed-loop singles/s, batched transfers/s, the p99 at the
     * fixed 5,000 requests/s, and the 1-minute load average before and after.
     */
    private static String resultLine(Phase singles, Phase batches, Phase fixed, String loadBefore) {
        return String.format(
                Locale.ROOT,
                "RESULT single_rps=%.0f batch_tps=%.0f single_p99_ms_at_5000=%.2f"
                        + " load_before=%s load_after=%s",
                singles.requestsPerSecond(),
                batches.transfersPerSecond(),
                fixed.percentileMillis(99),
                loadBefore,
                loadAverage());
    }

    /** What one phase measured. */
    record Phase(long ok, long failed, long transfers, double seconds, long[] latenciesNanos) {
        double requestsPerSecond() {
            return ok / seconds;
        }

        double transfersPerSecond() {
            return transfers / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i =
                    (int)
                            Math.min(
                                    latenciesNanos.length - 1,
                                    Math.ceil(p / 100 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }

        String describe(String name) {
            return String.format(
                    Locale.ROOT,
                    "%s: %,.0f requests/s, %,.0f transfers/s, %d failed; latency p50 %.2f ms, p99 %.2f ms,"
                            + " p99.9 %.2f ms, max %.2f ms",
                    name,
                    requestsPerSecond(),
                    transfersPerSecond(),
                    failed,
                    percentileMillis(50),
                    percentileMillis(99),
                    percentileMillis(99.9),
                    percentileMillis(100));
        }
    }

    /** Latencies of one phase, from any client thread. */
    static final class Recorder {
        private final long[] samples;
        private final AtomicLong count = new AtomicLong();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder transfers = new LongAdder();

        Recorder(int capacity) {
            samples = new long[capacity];
        }

        void record(long nanos) {
            long i = count.getAndIncrement();
            if (i < samples.length) {
                samples[(int) i] = nanos;
            }
        }

        Phase phase(double seconds) {
            long[] sorted = Arrays.copyOf(samples, (int) Math.min(count.get(), samples.length));
            Arrays.sort(sorted);
            return new Phase(ok.sum(), failed.sum(), transfers.sum(), seconds, sorted);
        }
    }

    private static String transfer() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        return "{\"transactionId\":\"bench-"
                + RUN
                + "-"
                + IDS.incrementAndGet()
                + "\",\"type\":\"TRANSFER\",\"sourceAccountId\":\"acc-"
                + from
                + "\",\"destinationAccountId\":\"acc-"
                + to
                + "\",\"amount\":\""
                + (1 + random.nextInt(10_000))
                + "."
                + (10 + random.nextInt(90))
                + "\",\"currency\":\"USD\",\"metadata\":{\"reference\":\"bench\"}}";
    }

    private static String batch(int size) {
        StringBuilder body = new StringBuilder(size * 230).append("{\"items\":[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append(transfer());
        }
        return body.append("]}").toString();
    }

    private static final RequestOptions SINGLE =
            new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setURI("/api/v1/transactions")
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Api-Key", KEY);

    private static final RequestOptions BATCH =
            new RequestOptions(SINGLE).setURI("/api/v1/transactions:batch");

    /** {@code connections} loops, each sending its next request when the last was answered. */
    private Phase closedLoopSingles(int connections, int seconds) throws InterruptedException {
        Recorder recorder = new Recorder(seconds * 60_000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            vertx.runOnContext(v -> loop(SINGLE, () -> transfer(), 1, recorder, end, done));
        }
        done.await(seconds + 30L, TimeUnit.SECONDS);
        return recorder.phase((System.nanoTime() - start) / 1e9);
    }

    private Phase closedLoopBatches(int connections, int size, int seconds)
            throws InterruptedException {
        Recorder recorder = new Recorder(seconds * 1_000);
        // Bodies are built ahead so the client's JSON building does not count against the API.
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < connections * 4; i++) {
            bodies.add(batch(size));
        }
        AtomicLong next = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            vertx.runOnContext(
                    v ->
                            loop(
                                    BATCH,
                                    // Fresh ids per batch: replaying a body would be idempotent
                                    // replays, which are cheaper than real writes.
                                    () ->
                                            next.getAndIncrement() < bodies.size()
                                                    ? bodies.get((int) (next.get() - 1))
                                                    : batch(size),
                                    size,
                                    recorder,
                                    end,
                                    done));
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        return recorder.phase((System.nanoTime() - start) / 1e9);
    }

    private void loop(
            RequestOptions options,
            java.util.function.Supplier<String> body,
            int transfers,
            Recorder recorder,
            long end,
            CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        send(options, body.get(), transfers, recorder, sent)
                .onComplete(r -> loop(options, body, transfers, recorder, end, done));
    }

    private io.vertx.core.Future<Void> send(
            RequestOptions options, String body, int transfers, Recorder recorder, long intended) {
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(
                        response ->
                                response.body()
                                        .map(
                                                b -> {
                                                    recorder.record(System.nanoTime() - intended);
                                                    int status = response.statusCode();
                                                    if (status == 202 || status == 200) {
                                                        recorder.ok.increment();
                                                        recorder.transfers.add(
                                                                status == 200 ? accepted(b) : 1);
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

    private static int accepted(Buffer batchAnswer) {
        String head = batchAnswer.getString(0, Math.min(64, batchAnswer.length()));
        int at = head.indexOf("\"accepted\":");
        if (at < 0) {
            return 0;
        }
        int from = at + "\"accepted\":".length();
        int to = from;
        while (to < head.length() && Character.isDigit(head.charAt(to))) {
            to++;
        }
        return Integer.parseInt(head.substring(from, to));
    }

    /**
     * Open loop: a request every 1/rate s regardless of answers; latency from the intended time.
     */
    private Phase fixedRate(int perSecond, int seconds) throws InterruptedException {
        return openLoop(
                vertx,
                perSecond,
                seconds,
                (recorder, intended) -> send(SINGLE, transfer(), 1, recorder, intended));
    }

    /**
     * Calls {@code send} with each request's intended time, {@code perSecond} times a second for
     * {@code seconds}, whether or not earlier ones were answered; {@code send} records the latency
     * from the intended time, so a stall is charged to every request behind it.
     */
    static Phase openLoop(
            Vertx vertx,
            int perSecond,
            int seconds,
            java.util.function.BiFunction<Recorder, Long, io.vertx.core.Future<Void>> send)
            throws InterruptedException {
        Recorder recorder = new Recorder(perSecond * seconds + 1000);
        long total = (long) perSecond * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        CountDownLatch answered = new CountDownLatch((int) total);
        long start = System.nanoTime();
        AtomicLong issued = new AtomicLong();
        // A 1 ms timer issues every request whose intended time has come.
        vertx.setPeriodic(
                1,
                timer -> {
                    long now = System.nanoTime();
                    while (issued.get() < total && start + issued.get() * intervalNanos <= now) {
                        long intended = start + issued.getAndIncrement() * intervalNanos;
                        send.apply(recorder, intended).onComplete(r -> answered.countDown());
                    }
                    if (issued.get() >= total) {
                        vertx.cancelTimer(timer);
                    }
                });
        answered.await(seconds + 60L, TimeUnit.SECONDS);
        return recorder.phase((System.nanoTime() - start) / 1e9);
    }

    /** CPU time of the API, the broker and this client over a phase, as share of the machine. */
    private static final class Cpu {
        private final ProcessHandle[] processes;
        private final long[] startTicks;

        Cpu(ProcessHandle... processes) {
            this.processes = processes;
            this.startTicks = new long[processes.length];
            for (int i = 0; i < processes.length; i++) {
                startTicks[i] = ticks(processes[i].pid());
            }
        }

        String report(int seconds) {
            String[] names = {"ingest-api", "kafka", "load client"};
            int cores = Runtime.getRuntime().availableProcessors();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < processes.length; i++) {
                double used = (ticks(processes[i].pid()) - startTicks[i]) / 100.0;
                out.append(
                        String.format(
                                Locale.ROOT,
                                "%s%s %.0f%%",
                                i == 0 ? "" : ", ",
                                names[i],
                                100 * used / seconds / cores));
            }
            return out.append(" of ").append(cores).append(" cores").toString();
        }

        /** utime + stime in clock ticks (100/s on Linux) from /proc. */
        private static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private static String averageOf(String metrics, String name) {
        double sum = Double.NaN;
        double count = Double.NaN;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "_sum ")) {
                sum = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            } else if (line.startsWith(name + "_count ")) {
                count = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return String.format(Locale.ROOT, "%.2f ms over %,.0f writes", 1000 * sum / count, count);
    }

    private static void writeReport(
            Path report,
            int seconds,
            String apiHeap,
            Phase singles,
            String singleCpu,
            Phase batches,
            String batchCpu,
            Phase fixed,
            String fixedCpu,
            String produce)
            throws IOException {
        String section =
                String.format(
                        Locale.ROOT,
                        """
                        ## Ingest API

                        Command: `ingest-api/bench.sh` (phases of %d s after a warm-up). Date: %s.
                        Machine: 2 cores, 24 GiB; broker (Kafka 4.1, `-Xmx256m`), schema registry,
                        the API (`%s`, 2 event loops) and the load client (Vert.x, 1 event loop)
                        all on the same machine. Records: `LedgerRequest` Avro in the Confluent wire
                        format, topic `ledger.requests` with 4 partitions, acks=all, idempotent
                        producer, linger 2 ms.

                        | Phase | Target | Reached | Latency p50 / p99 / p99.9 | CPU (share of 2 cores) |
                        |---|---|---|---|---|
                        | Single transfers, 256 connections, closed loop | 20,000 req/s | %,.0f req/s (%d failed) | %.1f / %.1f / %.1f ms | %s |
                        | Batches of 1,000 transfers, 8 connections | 150,000 transfers/s | %,.0f transfers/s (%,.0f batches/s) | %.0f / %.0f / %.0f ms per batch | %s |
                        | Single transfers at a fixed 5,000 req/s, open loop | p99 < 10 ms | %,.0f req/s, p99 %.2f ms | %.2f / %.2f / %.2f ms | %s |

                        Mean Kafka produce time (hand-over to the producer until acks=all): %s.
                        1-minute load average of the machine at the end of the run: %s (anything
                        above ~2.5 means other processes, e.g. other builds, competed for the cores).

                        """,
                        seconds,
                        LocalDate.now(),
                        apiHeap,
                        singles.requestsPerSecond(),
                        singles.failed(),
                        singles.percentileMillis(50),
                        singles.percentileMillis(99),
                        singles.percentileMillis(99.9),
                        singleCpu,
                        batches.transfersPerSecond(),
                        batches.requestsPerSecond(),
                        batches.percentileMillis(50),
                        batches.percentileMillis(99),
                        batches.percentileMillis(99.9),
                        batchCpu,
                        fixed.requestsPerSecond(),
                        fixed.percentileMillis(99),
                        fixed.percentileMillis(50),
                        fixed.percentileMillis(99),
                        fixed.percentileMillis(99.9),
                        fixedCpu,
                        produce,
                        loadAverage());
        Path notes = Path.of(System.getProperty("bench.notes", "ingest-api/bench-notes.md"));
        if (Files.exists(notes)) {
            section += Files.readString(notes) + "\n";
        }
        String existing = Files.exists(report) ? Files.readString(report) : "# Benchmarks\n\n";
        int at = existing.indexOf("## Ingest API");
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
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, updated, StandardCharsets.UTF_8);
    }

    /** The median of a few per-run figures. */
    static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0
                ? Double.NaN
                : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The ingest API in its own JVM ({@code -Xmx512m}, ParallelGC, 2 event loops, its log in {@code
     * work}) answering from the PostgreSQL read model with a pool of {@code poolSize}, with the
     * built-in development keys and without rate limits (the benchmarks measure one partner's
     * capacity, not its limit); returns once it is ready.
     */
    static Process startReadModelApi(
            Path work,
            int port,
            KafkaServer kafka,
            SchemaRegistryServer registry,
            PostgresServer postgres,
            int poolSize)
            throws IOException, InterruptedException {
        ProcessBuilder apiProcess =
                new ProcessBuilder(
                                javaExecutable(),
                                "-Xmx512m",
                                "-XX:+UseParallelGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.ledgerflow.ingest.IngestApiMain")
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("ingest-api.log").toFile());
        var env = apiProcess.environment();
        env.put("LEDGERFLOW_HTTP_PORT", Integer.toString(port));
        env.put("LEDGERFLOW_HTTP_HOST", "127.0.0.1");
        env.put("LEDGERFLOW_EVENT_LOOPS", "2");
        env.put("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("LEDGERFLOW_SCHEMA_REGISTRY_URL", registry.url());
        env.put("LEDGERFLOW_READ_MODEL_JDBC_URL", postgres.jdbcUrl());
        env.put("LEDGERFLOW_READ_MODEL_USER", PostgresServer.USER);
        env.put("LEDGERFLOW_READ_MODEL_PASSWORD", PostgresServer.PASSWORD);
        env.put("LEDGERFLOW_READ_MODEL_POOL_SIZE", Integer.toString(poolSize));
        env.remove("LEDGERFLOW_API_KEYS_FILE");
        env.put("LEDGERFLOW_RATE_LIMITS_ENABLED", "false");
        System.out.println("starting the ingest API on port " + port + " ...");
        Process api = apiProcess.start();
        awaitReady(port);
        return api;
    }

    static void awaitReady(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (fetch(port, "/health/ready").contains("\"UP\"")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("ingest API not ready");
    }

    static String fetch(int port, String path) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
