package io.ledgerflow.settlement;

import io.ledgerflow.readmodel.PostgresMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes settlement periods: {@code --once} for one pass (cron, a Kubernetes CronJob), else a pass
 * every {@code --interval}. Every setting: {@link SettlementConfig}.
 */
public final class SettlementCommand {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementCommand.class);

    private SettlementCommand() {}

    public static void main(String[] args) throws Exception {
        SettlementConfig config;
        try {
            config = SettlementConfig.fromArgs(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("settlement started with {}", config);
        PostgresMigrations.apply(
                config.postgres().url(),
                config.postgres().user(),
                config.postgres().password().reveal());
        SettlementRun run = new SettlementRun(config);
        try (LedgerMovements ledger =
                new LedgerMovements(config.kafka(), config.registry().url())) {
            do {
                try (Connection pg =
                        DriverManager.getConnection(
                                config.postgres().url(),
                                config.postgres().user(),
                                config.postgres().password().reveal())) {
                    run.run(pg, ledger, Instant.now());
                } catch (Exception e) {
                    if (config.once()) {
                        throw e;
                    }
                    LOG.error("settlement pass failed; next pass in {}", config.interval(), e);
                }
                if (!config.once()) {
                    Thread.sleep(config.interval().toMillis());
                }
            } while (!config.once());
        }
    }
}
