package io.ledgerflow.localplatform;

import io.ledgerflow.localplatform.dashboard.DashboardServer;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.Partner;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole platform on one machine: the four real servers, the ledger and sinks jobs on Flink
 * MiniClusters, the ingest API (reading the PostgreSQL read model), the reconcile command ({@link
 * LocalReconciliation}), and the test-data generator posting movements to the API, with live
 * figures every few seconds and a dashboard page. Ctrl-C stops everything. Data (Kafka logs,
 * databases, checkpoints) stays in the data directory, and a later run resumes the ledger from its
 * last checkpoint.
 *
 * <p>Usage: {@code LocalPlatform [--data-dir DIR] [--rate MOVEMENTS_PER_SECOND] [--api-port PORT]
 * [--dashboard-port PORT] [--notifier-port PORT] [--prometheus true [--prometheus-port PORT]]}.
 */
public final class LocalPlatform {

    /**
     * The local run's admin key (a development installation on one machine; production takes its
     * first admin key from a Secret): at least the 32 characters the API requires.
     */
    static final String LOCAL_ADMIN_KEY = "local-admin-key-for-development-only";

    private LocalPlatform() {}

    /** The local run's lines start with the time of day, seconds included. */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("'['HH:mm:ss']'");

    /** Now, as the local run's lines show it: {@code [20:33:00]}. */
    static String now() {
        return time(LocalTime.now());
    }

    /** A time of day as the lines show it; {@code LocalTime.toString} drops zero seconds. */
    static String time(LocalTime time) {
        return time.format(CLOCK);
    }

    static void say(String line) {
        System.out.println(now() + " " + line);
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Settings options = Settings.fromArgs(args);
        Path dataDir = Path.of(options.string("data-dir", ".ledgerflow/local")).toAbsolutePath();
        double rate = options.number("rate", 20, 0.1, Double.MAX_VALUE);
        int apiPort = (int) options.integer("api-port", 8080, 1, 65_535);
        int dashboardPort = (int) options.integer("dashboard-port", 8090, 0, 65_535);
        boolean prometheus = options.bool("prometheus", false);
        int prometheusPort = (int) options.integer("prometheus-port", 9090, 1, 65_535);
        int notifierPort = (int) options.integer("notifier-port", 8091, 1, 65_535);
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
                                adminKey,
                                "LEDGERFLOW_WEBHOOK_URL_POLICY",
                                LocalNotifier.DEVELOPMENT_URL_POLICY),
                        LocalPlatform::say);
        running.add(platform);
        IngestApiProcess api = platform.api;
        // Continuous reconciliation (issue 17), its own JVM; findings through the admin route.
        say("starting the reconcile command (its own JVM) ...");
        LocalReconciliation reconciliation =
                LocalReconciliation.start(dataDir.resolve("reconcile"), platform);
        running.add(reconciliation);

        say("starting the webhook notifier on port " + notifierPort + " (its own JVM) ...");
        long notifierStep = System.nanoTime();
        LocalNotifier notifier =
                LocalNotifier.start(dataDir.resolve("notifier"), notifierPort, platform);
        running.add(notifier);
        say(
                String.format(
                        Locale.ROOT,
                        "  notifier live in %.1f s (log: %s)",
                        (System.nanoTime() - notifierStep) / 1e9,
                        notifier.log()));

        LocalPrometheus scraper = null;
        if (prometheus) {
            say("starting Prometheus on port " + prometheusPort + " ...");
            scraper =
                    LocalPrometheus.start(
                            dataDir.resolve("prometheus"),
                            prometheusPort,
                            api.baseUrl(),
                            platform.ledgerMetricsPort,
                            platform.sinksMetricsPort,
                            notifierPort);
            running.add(scraper);
        }
        DashboardServer dashboard = platform.startDashboard(dashboardPort);

        // Before the load, so the local settlement periods apply from its first postings.
        LocalSettlement settlement =
                LocalSettlement.start(
                        dataDir.resolve("settlement"),
                        platform,
                        adminKey,
                        traffic.population,
                        Instant.now(),
                        LocalPlatform::say);
        running.add(settlement);

        LedgerMonitor monitor =
                new LedgerMonitor(
                        platform.servers.kafka().bootstrapServers(),
                        platform.servers.schemaRegistry().url());
        running.add(monitor);
        running.add(traffic);

        Partner partner = traffic.population.partners().get(0);
        Account account =
                traffic.population.accounts().stream()
                        .filter(a -> a.partnerId().equals(partner.id()))
                        .findFirst()
                        .orElseThrow();
        say(
                String.format(
                        Locale.ROOT,
                        "Ledgerflow is running (started in %.0f s):",
                        (System.nanoTime() - started) / 1e9));
        System.out.println();
        System.out.println("  dashboard:   " + dashboard.url() + "  (open it in a browser)");
        System.out.println(
                "  ingest API:  " + api.baseUrl() + "  (" + api.baseUrl() + "/openapi.yaml)");
        System.out.println(
                "  partner key: "
                        + partner.apiKey()
                        + "  (partner "
                        + partner.id()
                        + "; every generated partner's key: "
                        + keys
                        + ")");
        System.out.println(
                "  admin key:   "
                        + adminKey
                        + "  (partners, keys, limits, audit; local runs only)");
        System.out.println(reconciliation.describe(api.baseUrl(), adminKey));
        platform.servers
                .all()
                .forEach(s -> System.out.println("  " + s.name() + ": " + s.endpoints()));
        System.out.println(
                "  metrics (Prometheus format): ingest API "
                        + api.baseUrl()
                        + "/metrics, ledger job http://127.0.0.1:"
                        + platform.ledgerMetricsPort
                        + "/metrics, sinks job http://127.0.0.1:"
                        + platform.sinksMetricsPort
                        + "/metrics, notifier "
                        + notifier.metricsUrl());
        if (scraper != null) {
            System.out.println(
                    "  Prometheus:  "
                            + scraper.url()
                            + " (scrapes the API, both jobs and the notifier every 5 s; try the query"
                            + " rate(ingest_http_requests_total[1m]))");
        }
        System.out.println();
        System.out.println("Try next:");
        System.out.println(
                "  an account's balance:  curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/accounts/"
                        + account.id());
        System.out.println(
                "  its history:           curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' '"
                        + api.baseUrl()
                        + "/api/v1/transactions?accountId="
                        + account.id()
                        + "&limit=20'  (also /api/v1/accounts/"
                        + account.id()
                        + "/entries, /balance?at=..., /statement?from=...&to=...)");
        System.out.println(
                "  the partners:          curl -H 'X-Api-Key: "
                        + adminKey
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/admin/partners");
        System.out.println(
                "  settlement batches:    curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/settlements  (hourly periods; the first closes at "
                        + LocalTime.ofInstant(settlement.firstClose(), ZoneId.systemDefault())
                                .truncatedTo(ChronoUnit.MINUTES)
                        + ", batches within a minute after; a batch as CSV: /api/v1/settlements/<batchId>"
                        + " with -H 'Accept: text/csv'; the command's log: "
                        + settlement.log()
                        + ")");
        System.out.println(
                "  a decision in the answer: add -H 'Prefer: wait=5' to a POST "
                        + api.baseUrl()
                        + "/api/v1/transactions");
        System.out.println(
                "  its events, live:      curl -N -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' "
                        + api.baseUrl()
                        + "/api/v1/events  (Server-Sent Events; the same ids as the webhooks)");
        System.out.println(
                "  webhooks to a local receiver: curl -H 'X-Api-Key: "
                        + partner.apiKey()
                        + "' -H 'Content-Type: application/json' -d '{\"url\":\""
                        + notifier.receiverUrl()
                        + "\"}' "
                        + api.baseUrl()
                        + "/api/v1/webhooks/endpoints  then  tail -f "
                        + notifier.receivedLog()
                        + "  (one at once: POST /api/v1/webhooks/endpoints/{endpointId}/test; the"
                        + " delivery log: GET .../{endpointId}/attempts)");
        System.out.println(
                "  analyst SQL on ClickHouse: sinks/src/main/resources/clickhouse/queries/ (database "
                        + RunningPlatform.ANALYTICS_DATABASE
                        + ")");
        System.out.println();
        System.out.println(
                "Now the test-data generator opens and funds "
                        + GeneratedTraffic.PARTNERS
                        + " partners x "
                        + GeneratedTraffic.ACCOUNTS_PER_PARTNER
                        + " accounts and a SETTLEMENT account per partner and currency (one"
                        + " opening deposit each), then sends "
                        + rate
                        + " movements/s. Every 5 s, \"ledger:\" is what the ledger decided"
                        + " (results committed in Kafka; the opening deposits apart) and"
                        + " \"generator:\" what the API answered it (its errors are the invalid"
                        + " requests it sends on purpose). Ctrl-C stops everything.");
        System.out.println();

        traffic.start(api.baseUrl(), new PrintStream(new PrefixedLines("generator: "), true));
        monitor.start(traffic);
        stopped.await();
    }

    /**
     * Each line written to it goes to standard output after the time and a prefix: the generator's
     * lines next to the ledger's, each saying whose it is.
     */
    private static final class PrefixedLines extends OutputStream {
        private final String prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        PrefixedLines(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                System.out.println(now() + " " + prefix + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
