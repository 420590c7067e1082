package io.ledgerflow.localplatform;

import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.Partner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole platform on one machine: the four real servers, the ledger and sinks jobs on Flink
 * MiniClusters, the ingest API (reading the PostgreSQL read model), and the test-data generator
 * posting movements to the API posted to the API, with live figures every few seconds. Ctrl-C stops
 * everything. Data (Kafka logs, databases, checkpoints) stays in the data directory, and a later
 * run resumes the ledger from its last checkpoint.
 *
 * <p>Usage: {@code LocalPlatform [--data-dir DIR] [--rate MOVEMENTS_PER_SECOND] [--api-port PORT]
 * [--prometheus true [--prometheus-port PORT]]}.
 */
public final class LocalPlatform {

    /**
     * The local run's admin key (a development installation on one machine; production takes its
     * first admin key from a Secret): at least the 32 characters the API requires.
     */
    static final String LOCAL_ADMIN_KEY = "local-admin-key-for-development-only";

    private LocalPlatform() {}

    public static void main(String[] args) throws Exception {
        Settings options = Settings.fromArgs(args);
        Path dataDir = Path.of(options.string("data-dir", ".ledgerflow/local")).toAbsolutePath();
        double rate = options.number("rate", 20, 0.1, Double.MAX_VALUE);
        int apiPort = (int) options.integer("api-port", 8080, 1, 65_535);
        boolean prometheus = options.bool("prometheus", false);
        int prometheusPort = (int) options.integer("prometheus-port", 9090, 1, 65_535);
        options.check();
        System.out.print("local platform configuration:\n" + options.describe());

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

        GeneratedTraffic traffic = new GeneratedTraffic(rate);
        Path keys = traffic.writeApiKeys(dataDir.resolve("ingest-api"));
        // The first admin key of this installation (kept in the partner database across runs on
        // the same data directory): the admin routes manage partners and keys while it runs.
        String adminKey = LOCAL_ADMIN_KEY;
        RunningPlatform platform =
                RunningPlatform.start(
                        dataDir,
                        apiPort,
                        Map.of(
                                "LEDGERFLOW_API_KEYS_FILE",
                                keys.toString(),
                                "LEDGERFLOW_BOOTSTRAP_ADMIN_KEY",
                                adminKey),
                        System.out::println);
        running.add(platform);
        IngestApiProcess api = platform.api;
        String bootstrap = platform.servers.kafka().bootstrapServers();
        String registry = platform.servers.schemaRegistry().url();

        LocalPrometheus scraper = null;
        if (prometheus) {
            scraper =
                    LocalPrometheus.start(
                            dataDir.resolve("prometheus"),
                            prometheusPort,
                            api.baseUrl(),
                            platform.ledgerMetricsPort,
                            platform.sinksMetricsPort);
            running.add(scraper);
        }

        LedgerMonitor monitor = new LedgerMonitor(bootstrap, registry);
        running.add(monitor);
        running.add(traffic);

        Partner partner = traffic.population.partners().get(0);
        Account account =
                traffic.population.accounts().stream()
                        .filter(a -> a.partnerId().equals(partner.id()))
                        .findFirst()
                        .orElseThrow();
        System.out.println();
        System.out.println("Ledgerflow is running:");
        platform.servers
                .all()
                .forEach(s -> System.out.println("  " + s.name() + ": " + s.endpoints()));
        System.out.println(
                "  ingest API: "
                        + api.baseUrl()
                        + " (API keys of the generated partners: "
                        + keys
                        + ")");
        System.out.println(
                "  ledger job: "
                        + platform.ledger.getJobID()
                        + ", sinks job: "
                        + platform.sinks.getJobID());
        System.out.println(
                "  metrics (Prometheus): ingest API "
                        + api.baseUrl()
                        + "/metrics, ledger job http://127.0.0.1:"
                        + platform.ledgerMetricsPort
                        + "/metrics, sinks job http://127.0.0.1:"
                        + platform.sinksMetricsPort
                        + "/metrics");
        System.out.println(
                "  try: curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/accounts/"
                        + account.id());
        if (scraper != null) {
            System.out.println(
                    "  Prometheus: "
                            + scraper.url()
                            + " (scrapes the API and both jobs every 5 s; try the query"
                            + " rate(ingest_http_requests_total[1m]))");
        }
        System.out.println(
                "  history: curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' '"
                        + api.baseUrl()
                        + "/api/v1/transactions?accountId="
                        + account.id()
                        + "&limit=20'  (also /api/v1/accounts/"
                        + account.id()
                        + "/entries, /balance?at=..., /statement?from=...&to=...)");
        System.out.println(
                "  admin: curl -H 'X-Api-Key: "
                        + adminKey
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/admin/partners");
        System.out.println(
                "test-data generator: "
                        + GeneratedTraffic.PARTNERS
                        + " partners x "
                        + GeneratedTraffic.ACCOUNTS_PER_PARTNER
                        + " accounts, then "
                        + rate
                        + " movements/s; press Ctrl-C to stop");
        System.out.println();

        traffic.start(api.baseUrl());
        monitor.start(traffic);
        stopped.await();
    }
}
