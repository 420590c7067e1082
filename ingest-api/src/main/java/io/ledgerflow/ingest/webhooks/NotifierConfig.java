package io.ledgerflow.ingest.webhooks;

import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The notifier's settings, read once from environment variables (plus the shared {@link
 * WebhookSettings}):
 *
 * <pre>
 * variable                                default
 * LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS      127.0.0.1:9092
 * LEDGERFLOW_TOPIC_PREFIX                 (empty)
 * LEDGERFLOW_SCHEMA_REGISTRY_URL          http://127.0.0.1:8081/apis/ccompat/v7
 * LEDGERFLOW_NOTIFIER_JDBC_URL            (required) the database of partner events and webhooks: the API's
 *                                         LEDGERFLOW_PARTNERS_JDBC_URL
 * LEDGERFLOW_NOTIFIER_USER                ledgerflow_notifier
 * LEDGERFLOW_NOTIFIER_PASSWORD            (or …_FILE)
 * LEDGERFLOW_NOTIFIER_MIGRATE             true      apply the migrations at start
 * LEDGERFLOW_NOTIFIER_GROUP               ledgerflow-notifier   Kafka consumer group
 * LEDGERFLOW_NOTIFIER_START_FROM          earliest  where a new group starts (earliest | latest)
 * LEDGERFLOW_NOTIFIER_HTTP_PORT           8091      /metrics, /health/live, /health/ready
 * LEDGERFLOW_WEBHOOK_ATTEMPT_TIMEOUT      10s       one attempt, connect to last byte
 * LEDGERFLOW_WEBHOOK_BACKOFF_BASE         5s        first retry after 50-100 % of this, doubling
 * LEDGERFLOW_WEBHOOK_BACKOFF_MAX          1h        cap of the doubling
 * LEDGERFLOW_WEBHOOK_ENDPOINT_CONCURRENCY 16        runs in flight per endpoint (per notifier;
 *                                                   one account's events still go one at a time)
 * LEDGERFLOW_WEBHOOK_RUN_LENGTH          50        one account's events sent back to back per claim
 * LEDGERFLOW_WEBHOOK_MAX_IN_FLIGHT        512       runs (so attempts) in flight in all (per notifier)
 * LEDGERFLOW_WEBHOOK_MAX_BACKLOG          100000    pending deliveries per endpoint; beyond, new ones are parked
 * LEDGERFLOW_WEBHOOK_POLL                 250ms     how often due deliveries are looked for
 * LEDGERFLOW_EVENT_PURGE_INTERVAL         10m       how often events past the retention are deleted
 * LEDGERFLOW_PARTNER_METRIC_LABELS        2000      partners with their own label on /metrics (the
 *                                                   API's setting; later ones share partner="_other")
 * </pre>
 */
public record NotifierConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        PostgresSettings database,
        boolean migrate,
        String group,
        String startFrom,
        int httpPort,
        Duration attemptTimeout,
        Duration backoffBase,
        Duration backoffMax,
        int endpointConcurrency,
        int runLength,
        int maxInFlight,
        int maxBacklog,
        Duration poll,
        Duration purgeInterval,
        int metricsMaxPartners,
        WebhookSettings webhooks) {

    public static NotifierConfig from(Map<String, String> env) {
        Settings s = Settings.fromEnvironment(env);
        NotifierConfig config = read(s);
        s.check();
        return config;
    }

    public static NotifierConfig read(Settings s) {
        return new NotifierConfig(
                KafkaSettings.read(s, "kafka-bootstrap-servers", KafkaSettings.LOCAL),
                RegistrySettings.read(s, RegistrySettings.LOCAL),
                PostgresSettings.read(
                        s,
                        "notifier-jdbc-url",
                        "notifier-user",
                        "notifier-password",
                        null,
                        new PostgresSettings(
                                "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                                "ledgerflow_notifier",
                                Secret.NONE)),
                s.bool("notifier-migrate", true),
                s.string("notifier-group", "ledgerflow-notifier"),
                s.choice("notifier-start-from", "earliest", "earliest", "latest"),
                (int) s.integer("notifier-http-port", 8091, 0, 65_535),
                s.duration("webhook-attempt-timeout", Duration.ofSeconds(10)),
                s.duration("webhook-backoff-base", Duration.ofSeconds(5)),
                s.duration("webhook-backoff-max", Duration.ofHours(1)),
                s.positiveInt("webhook-endpoint-concurrency", 16),
                s.positiveInt("webhook-run-length", 50),
                s.positiveInt("webhook-max-in-flight", 512),
                s.positiveInt("webhook-max-backlog", 100_000),
                s.duration("webhook-poll", Duration.ofMillis(250)),
                s.duration("event-purge-interval", Duration.ofMinutes(10)),
                s.positiveInt("partner-metric-labels", 2000),
                WebhookSettings.read(s));
    }
}
