package io.ledgerflow.localservers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one JVM), run from
 * Kafka's own server code.
 *
 * <p>Settings are those of a one-node cluster: replication factor and min ISR of 1 for the internal
 * topics (offsets, transactions, share groups), few partitions for them so the first transactional
 * write does not wait for fifty partitions to be created, and no initial rebalance delay. Topics
 * are not auto-created: like production, every topic the platform uses is created explicitly with
 * its partition count and retention.
 */
public final class KafkaServer extends ServerProcess {

    /** Heap of the broker JVM; Kafka keeps log data in the page cache, not on the heap. */
    public static final String HEAP = "-Xmx256m";

    private final int port;
    private final int controllerPort;

    public KafkaServer(Path dataDir, int port, int controllerPort, Lifetime lifetime) {
        super("kafka", dataDir, lifetime, Duration.ofSeconds(90));
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** {@code host:port} for the {@code bootstrap.servers} client setting. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }

    private Path configFile() {
        return dataDir().resolve("server.properties");
    }

    @Override
    protected void prepare() throws IOException {
        Path logDirs = dataDir().resolve("data");
        writeString(
                configFile(),
                String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "log.dirs=" + logDirs,
                                "num.partitions=1",
                                "auto.create.topics.enable=false",
                                "offsets.topic.replication.factor=1",
                                "offsets.topic.num.partitions=4",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "transaction.state.log.num.partitions=4",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                // The cleaner's 128 MB default dedupe buffer does not fit a small
                                // heap.
                                "log.cleaner.dedupe.buffer.size=8388608",
                                "transaction.max.timeout.ms=900000",
                                "")
                        + "\n");
        writeLogConfig("org.apache.kafka,kafka.log,kafka.coordinator,state.change.logger");
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            format();
        }
    }

    /** Formats the KRaft storage once; later starts reuse the metadata log. */
    private void format() throws IOException {
        Process format =
                new ProcessBuilder(
                                ServerRuntime.javaExecutable(),
                                "-Xmx128m",
                                "-cp",
                                ServerRuntime.load().serverClasspath(),
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                clusterId(),
                                "-c",
                                configFile().toString())
                        .directory(dataDir().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                        .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new ServerStartException(
                        "formatting Kafka storage failed:\n" + String.join("\n", logTail()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("interrupted while formatting Kafka storage", e);
        }
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64, never starting with '-'. */
    private static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    @Override
    protected List<String> command() {
        return List.of(
                ServerRuntime.javaExecutable(),
                HEAP,
                "-Xms128m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dataDir().resolve("log4j2.properties"),
                "-cp",
                ServerRuntime.load().serverClasspath(),
                ParentWatch.class.getName(),
                "kafka.Kafka",
                configFile().toString());
    }

    @Override
    protected boolean isReady() {
        // The broker opens its client listener last, after the controller and metadata are up.
        return portOpen(port);
    }
}
