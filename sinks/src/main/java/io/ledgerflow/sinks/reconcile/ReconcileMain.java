package io.ledgerflow.sinks.reconcile;

import com.sun.net.httpserver.HttpServer;
import io.ledgerflow.schemas.config.Settings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code reconcile}: continuous internal reconciliation (sinks README, "Reconciliation"). Runs a
 * round every {@code --every} (or once, {@code --every 0}), prints what changed, and serves its
 * figures on {@code --metrics-port}. Exit status (one round): 0 nothing open, 1 mismatches open, 2
 * usage or connection error.
 */
public final class ReconcileMain {

    static final String USAGE =
            """
            usage: sinks/reconcile.sh [--every 30s (0 = one round)] [--window 1m] [--settle-lag 30s]
                   [--horizon 1d] [--metrics-port 0] [--trust-first]
                   [--bootstrap-servers 127.0.0.1:9092] [--schema-registry-url URL] [--topic-prefix P]
                   [--postgres-url URL --postgres-user U --postgres-password P]
                   [--clickhouse-url URL --clickhouse-database ledgerflow --clickhouse-user U]
            exit status of one round: 0 nothing open, 1 mismatches open, 2 usage or connection error
            """;

    private ReconcileMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        ReconcileConfig config;
        try {
            config = ReconcileConfig.read(Settings.fromArgs(args, env));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        out.println("reconcile configuration: " + config);
        ReconcileMetrics metrics = new ReconcileMetrics();
        HttpServer server = null;
        try (ReconcileCommand command = new ReconcileCommand(config, Clock.systemUTC())) {
            if (config.metricsPort() > 0) {
                server = HttpServer.create(new InetSocketAddress(config.metricsPort()), 0);
                server.createContext(
                        "/metrics",
                        exchange -> {
                            byte[] body = metrics.text().getBytes(StandardCharsets.UTF_8);
                            exchange.getResponseHeaders()
                                    .set("Content-Type", "text/plain; version=0.0.4");
                            exchange.sendResponseHeaders(200, body.length);
                            try (OutputStream o = exchange.getResponseBody()) {
                                o.write(body);
                            }
                        });
                server.start();
            }
            while (true) {
                ReconcileCommand.Round round;
                try {
                    round = command.round();
                } catch (java.sql.SQLException e) {
                    if (config.every().isZero()) {
                        throw e;
                    }
                    // A database that does not answer: the entries read are kept, the next round
                    // compares again (LedgerflowReconciliationStalled if this goes on).
                    err.println(
                            "reconciliation round failed, retrying in "
                                    + config.every()
                                    + ": "
                                    + e);
                    Thread.sleep(config.every().toMillis());
                    continue;
                }
                metrics.update(round);
                print(round, out);
                if (config.every().isZero()) {
                    return round.open().total() == 0 ? 0 : 1;
                }
                Thread.sleep(config.every().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            err.println("reconciliation failed: " + e);
            return 2;
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private static void print(ReconcileCommand.Round round, PrintStream out) {
        out.printf(
                "[%s] %d entries read, %d windows kept, %d mismatches seen, %d open%n",
                round.at(),
                round.entriesRead(),
                round.windowsKept(),
                round.seen().size(),
                round.open().total());
        for (ReconciliationTables.Row r : round.changed()) {
            if (r.status().equals("CLEARED") || r.firstSeen().equals(round.at())) {
                Finding f = r.finding();
                out.printf(
                        "  %s %s %s/%s window %s %s: expected %s, found %s (%s)%n",
                        r.status(),
                        f.kind(),
                        f.partnerId().isEmpty() ? "*" : f.partnerId(),
                        f.currency(),
                        f.windowStart(),
                        f.subject(),
                        f.expected(),
                        f.found(),
                        f.detail().lines().findFirst().orElse(""));
            }
        }
    }
}
