package io.ledgerflow.localplatform;

import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.jobs.fraud.FraudRulesCommand;
import io.ledgerflow.jobs.ledger.LedgerJob;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.localservers.LocalServers;
import io.ledgerflow.localservers.ServerProcess;
import io.ledgerflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The whole platform on one machine: the four real servers, the ledger job on a Flink MiniCluster,
 * the ingest API, and demo traffic posted to the API, with live figures every few seconds. Ctrl-C
 * stops everything. Data (Kafka logs, databases, checkpoints) stays in the data directory, and a
 * later run resumes the ledger from its last checkpoint.
 *
 * <p>Usage: {@code LocalPlatform [--data-dir DIR] [--rate TRANSFERS_PER_SECOND] [--api-port PORT]}.
 */
public final class LocalPlatform {

    private static final int PARTITIONS = 4;

    private LocalPlatform() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, Set.of("data-dir", "rate", "api-port"));
        Path dataDir =
                Path.of(options.getOrDefault("data-dir", ".ledgerflow/local")).toAbsolutePath();
        double rate = Double.parseDouble(options.getOrDefault("rate", "20"));
        int apiPort = Integer.parseInt(options.getOrDefault("api-port", "8080"));

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nstopping the local platform ...");
                                    for (int i = running.size() - 1; i >= 0; i--) {
                                        try {
                                            running.get(i).close();
                                        } catch (Exception e) {
                                            System.err.println("while stopping: " + e);
                                        }
                                    }
                                    System.out.println("stopped; data kept in " + dataDir);
                                    stopped.countDown();
                                },
                                "stop-platform"));

        System.out.println("starting real servers in " + dataDir + " ...");
        LocalServers servers =
                new LocalServers(dataDir.resolve("servers"), ServerProcess.Lifetime.ATTACHED);
        running.add(servers::stop);
        servers.start();
        String bootstrap = servers.kafka().bootstrapServers();
        String registry = servers.schemaRegistry().url();
        if (createTopics(bootstrap)) {
            // A new platform: the starter fraud rules, in ALERT mode. Later runs keep whatever
            // rules were published since (FraudRulesCommand).
            List<FraudRule> rules =
                    FraudRulesCommand.read(
                            FraudRulesCommand.class.getResourceAsStream(
                                    FraudRulesCommand.DEFAULT_RULES),
                            "local-platform",
                            Instant.now());
            FraudRulesCommand.publish(bootstrap, registry, Topics.FRAUD_RULES, rules);
            System.out.println("published " + rules.size() + " starter fraud rules");
        }

        LedgerJobConfig config =
                LedgerJobConfig.defaults()
                        .withKafka(bootstrap, registry)
                        .withCheckpoints(
                                Duration.ofSeconds(1),
                                dataDir.resolve("checkpoints").toUri().toString());
        System.out.println("starting the ledger job on a Flink MiniCluster ...");
        JobClient job = startLedger(config, dataDir.resolve("checkpoints"));
        running.add(() -> job.cancel().get(30, TimeUnit.SECONDS));

        System.out.println("starting the ingest API on port " + apiPort + " ...");
        IngestApiProcess api =
                IngestApiProcess.start(dataDir.resolve("ingest-api"), apiPort, bootstrap, registry);
        running.add(api);

        LedgerMonitor monitor = new LedgerMonitor(bootstrap, registry);
        running.add(monitor);
        DemoTraffic traffic = new DemoTraffic(api.baseUrl(), DemoTraffic.DEV_PARTNER_KEY, rate);
        running.add(traffic);

        System.out.println();
        System.out.println("Ledgerflow is running:");
        servers.all().forEach(s -> System.out.println("  " + s.name() + ": " + s.endpoints()));
        System.out.println(
                "  ingest API: "
                        + api.baseUrl()
                        + "  (API key: "
                        + DemoTraffic.DEV_PARTNER_KEY
                        + ")");
        System.out.println("  ledger job: " + job.getJobID());
        System.out.println("demo traffic: " + rate + " transfers/s; press Ctrl-C to stop");
        System.out.println();

        traffic.start();
        monitor.start(traffic);
        stopped.await();
    }

    /** Starts the ledger, resuming from the newest checkpoint a previous run left behind. */
    private static JobClient startLedger(LedgerJobConfig config, Path checkpoints)
            throws Exception {
        Configuration conf = LedgerJob.clusterConfiguration(config);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Optional<Path> latest = latestCheckpoint(checkpoints);
        latest.ifPresent(
                path -> {
                    System.out.println("  resuming from checkpoint " + path);
                    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString());
                });
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        return new LedgerJob(config).start(env);
    }

    private static Optional<Path> latestCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .max(Comparator.comparing(LocalPlatform::modified))
                    .map(Path::getParent);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Creates the ledger's topics unless they exist; account states and fraud rules are compacted.
     * Returns whether the fraud rules topic is new.
     */
    private static boolean createTopics(String bootstrap) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic :
                    List.of(
                            Topics.LEDGER_REQUESTS,
                            Topics.LEDGER_INSTRUCTIONS,
                            Topics.TRANSACTION_RESULTS,
                            Topics.LEDGER_ENTRIES,
                            Topics.ACCOUNT_STATES,
                            Topics.ACCOUNT_COMMAND_RESULTS,
                            Topics.DEAD_LETTERS,
                            Topics.FRAUD_RULES,
                            Topics.FRAUD_ALERTS)) {
                if (!existing.contains(topic)) {
                    NewTopic newTopic = new NewTopic(topic, PARTITIONS, (short) 1);
                    if (topic.equals(Topics.ACCOUNT_STATES) || topic.equals(Topics.FRAUD_RULES)) {
                        newTopic.configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(newTopic);
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return !existing.contains(Topics.FRAUD_RULES);
        }
    }
}
