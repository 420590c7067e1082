package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;

/**
 * The settings of the {@code reconcile} command, parsed once.
 *
 * @param window the size of the windows compared (default 1m; must divide a day)
 * @param settleLag how long after a window ends it is judged: longer than the sinks job needs to
 *     make an entry durable in both stores (checkpoint interval + flush interval, a few seconds),
 *     so that a store that is merely behind is not reported (default 30s)
 * @param horizon windows older than this (by posted time) are forgotten and no longer compared
 *     (default 1d)
 * @param every the time between rounds; zero runs one round and exits (default 30s)
 * @param metricsPort where {@code /metrics} is served (Prometheus text); 0 = not served
 * @param trustFirst start each account's chain at its first entry read (topic retention)
 */
public record ReconcileConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        PostgresSettings postgres,
        ClickHouseSettings clickHouse,
        Duration window,
        Duration settleLag,
        Duration horizon,
        Duration every,
        int metricsPort,
        boolean trustFirst) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_SETTLE_LAG = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(1);
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(30);

    /** The local servers' addresses, as {@code bin/local-servers up} starts them. */
    static final PostgresSettings LOCAL_POSTGRES =
            new PostgresSettings(
                    "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                    "postgres",
                    Secret.of("postgres"));

    static final ClickHouseSettings LOCAL_CLICKHOUSE =
            new ClickHouseSettings(
                    "jdbc:clickhouse://127.0.0.1:8123", "ledgerflow", "default", Secret.of(""));

    public static ReconcileConfig read(Settings s) {
        Duration window = s.duration("window", DEFAULT_WINDOW);
        if (window.toMillis() <= 0
                || window.toMillis() % 1000 != 0
                || 86_400_000L % window.toMillis() != 0) {
            s.problem(
                    "--window must be whole seconds that divide a day (1m, 5m, ...); got "
                            + window);
        }
        ReconcileConfig c =
                new ReconcileConfig(
                        KafkaSettings.read(s, "bootstrap-servers", KafkaSettings.LOCAL),
                        RegistrySettings.read(s, RegistrySettings.LOCAL),
                        PostgresSettings.read(
                                s, "postgres-", "LEDGERFLOW_POSTGRES_PASSWORD", LOCAL_POSTGRES),
                        ClickHouseSettings.read(
                                s, "LEDGERFLOW_CLICKHOUSE_PASSWORD", LOCAL_CLICKHOUSE),
                        window,
                        s.nonNegativeDuration("settle-lag", DEFAULT_SETTLE_LAG),
                        s.duration("horizon", DEFAULT_HORIZON),
                        s.nonNegativeDuration("every", DEFAULT_EVERY),
                        (int) s.integer("metrics-port", 0, 0, 65_535),
                        s.bool("trust-first", false));
        s.check();
        return c;
    }
}
