package io.ledgerflow.settlement;

import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The settlement command's settings, parsed once.
 *
 * @param kafka {@code --bootstrap-servers}, {@code --topic-prefix}: where {@code ledger.requests}
 *     is
 * @param registry {@code --schema-registry-url}
 * @param postgres {@code --postgres-url}, {@code --postgres-user}, {@code --postgres-password}: the
 *     read model
 * @param allowedLateness {@code --allowed-lateness} (10m, the windowed aggregates' default): a
 *     period closes this long after its end; postings of it decided later go into the next batch
 * @param platformPartner {@code --platform-partner} ({@code platform}): the partner that owns the
 *     revenue accounts
 * @param revenueAccountPrefix {@code --revenue-account-prefix} ({@code platform-revenue-}): the
 *     revenue account of a currency is this prefix and the currency code
 * @param interval {@code --interval} (1m): how often to look for closed periods; {@code --once}
 *     runs one pass and exits
 * @param once {@code --once} (false)
 * @param clickHouse {@code --clickhouse-url}, {@code --clickhouse-database} (ledgerflow), {@code
 *     --clickhouse-user}, {@code --clickhouse-password}: where to copy the batches for analysts;
 *     null (no {@code --clickhouse-url}): no copy
 */
public record SettlementConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        PostgresSettings postgres,
        Duration allowedLateness,
        String platformPartner,
        String revenueAccountPrefix,
        Duration interval,
        boolean once,
        ClickHouseSettings clickHouse) {

    public static final String POSTGRES_PASSWORD_ENV = "LEDGERFLOW_POSTGRES_PASSWORD";

    public static final String CLICKHOUSE_PASSWORD_ENV = "LEDGERFLOW_CLICKHOUSE_PASSWORD";

    private static final ClickHouseSettings LOCAL_CLICKHOUSE =
            new ClickHouseSettings(
                    "jdbc:clickhouse://127.0.0.1:8123", "ledgerflow", "default", Secret.NONE);

    public static SettlementConfig defaults() {
        return new SettlementConfig(
                KafkaSettings.LOCAL,
                RegistrySettings.LOCAL,
                new PostgresSettings(
                        "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                        "postgres",
                        Secret.of("postgres")),
                Duration.ofMinutes(10),
                "platform",
                "platform-revenue-",
                Duration.ofMinutes(1),
                false,
                null);
    }

    /**
     * @throws IllegalArgumentException naming every unknown setting and every invalid value
     */
    public static SettlementConfig fromArgs(String[] args, Map<String, String> environment) {
        return Settings.parse(args, environment, SettlementConfig::read);
    }

    static SettlementConfig read(Settings s) {
        SettlementConfig d = defaults();
        return new SettlementConfig(
                KafkaSettings.read(s, "bootstrap-servers", d.kafka),
                RegistrySettings.read(s, d.registry),
                PostgresSettings.read(s, "postgres-", POSTGRES_PASSWORD_ENV, d.postgres),
                s.nonNegativeDuration("allowed-lateness", d.allowedLateness),
                s.parsed(
                        "platform-partner",
                        d.platformPartner,
                        SettlementConfig::id,
                        "[A-Za-z0-9._-]{1,64}"),
                s.parsed(
                        "revenue-account-prefix",
                        d.revenueAccountPrefix,
                        SettlementConfig::id,
                        "[A-Za-z0-9._-]{1,61}"),
                s.duration("interval", d.interval),
                s.bool("once", d.once),
                analytics(s));
    }

    /** The ClickHouse settings, read always (so each is a known setting), used with a URL only. */
    private static ClickHouseSettings analytics(Settings s) {
        ClickHouseSettings read =
                ClickHouseSettings.read(s, CLICKHOUSE_PASSWORD_ENV, LOCAL_CLICKHOUSE);
        return s.isGiven("clickhouse-url") ? read : null;
    }

    /** The platform's revenue account in {@code currency}. */
    public String revenueAccount(String currency) {
        return revenueAccountPrefix + currency;
    }

    /** Same settings against other servers, for tests and the local platform. */
    public SettlementConfig with(
            String servers,
            String topicPrefix,
            String registryUrl,
            String pgUrl,
            String pgUser,
            String pgPassword) {
        return new SettlementConfig(
                new KafkaSettings(servers, topicPrefix),
                new RegistrySettings(registryUrl),
                new PostgresSettings(pgUrl, pgUser, Secret.of(pgPassword)),
                allowedLateness,
                platformPartner,
                revenueAccountPrefix,
                interval,
                once,
                clickHouse);
    }

    /** Same settings, copying batches to ClickHouse at {@code url}, database {@code database}. */
    public SettlementConfig withClickHouse(String url, String database) {
        return new SettlementConfig(
                kafka,
                registry,
                postgres,
                allowedLateness,
                platformPartner,
                revenueAccountPrefix,
                interval,
                once,
                new ClickHouseSettings(url, database, "default", Secret.NONE));
    }

    private static String id(String text) {
        if (!text.matches("[A-Za-z0-9._-]{1,61}")) {
            throw new IllegalArgumentException();
        }
        return text;
    }
}
