package io.ledgerflow.ingest;

import io.ledgerflow.ingest.limits.RateLimitSettings;
import io.ledgerflow.ingest.validation.ValidationLimits;
import io.ledgerflow.ingest.webhooks.WebhookSettings;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.Durations;
import io.ledgerflow.schemas.config.KafkaClientConfig;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the ingest API can be told, read once from environment variables at start ({@link
 * Settings#fromEnvironment}); an invalid value fails the start with a message naming the variable,
 * and {@link IngestApiMain} logs the effective configuration (passwords masked). Durations take the
 * one syntax of every Ledgerflow setting ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1d}).
 *
 * <pre>
 * variable                              default
 * LEDGERFLOW_HTTP_HOST                  0.0.0.0
 * LEDGERFLOW_HTTP_PORT                  8080      (0: any free port)
 * LEDGERFLOW_EVENT_LOOPS                number of cores
 * LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS    127.0.0.1:9092
 * LEDGERFLOW_TOPIC_PREFIX               (empty)   put before ledger.requests, as the jobs' --topic-prefix
 * LEDGERFLOW_SCHEMA_REGISTRY_URL        http://127.0.0.1:8081/apis/ccompat/v7
 * LEDGERFLOW_API_KEYS_FILE              (unset: built-in development keys, with a warning)
 * LEDGERFLOW_MAX_BODY_BYTES             65536     single request body
 * LEDGERFLOW_MAX_BATCH_BODY_BYTES       4194304   batch request body
 * LEDGERFLOW_MAX_BATCH_ITEMS            1000
 * LEDGERFLOW_MAX_AMOUNT_MINOR           10^15     largest amount in minor units
 * LEDGERFLOW_MAX_FUTURE_SKEW            5m        eventTime at most this far ahead
 * LEDGERFLOW_MAX_PAST_AGE               30d       eventTime at most this old
 * LEDGERFLOW_MAX_HOLD_EXPIRY            30d       a HOLD's holdExpiresInSeconds at most this long
 * LEDGERFLOW_IDEMPOTENCY_TTL            1d        how long a transaction id is remembered
 * LEDGERFLOW_IDEMPOTENCY_MAX_ENTRIES    1000000   remembered ids (about 100 bytes each)
 * LEDGERFLOW_MAX_ACCOUNTS               1000000   remembered account owners
 * LEDGERFLOW_KAFKA_LINGER               2ms       (0s: send at once)
 * LEDGERFLOW_RETRY_AFTER                2s        Retry-After of 503 answers, whole seconds
 * LEDGERFLOW_READ_MODEL_JDBC_URL        (unset: answer GETs from this instance's memory only)
 * LEDGERFLOW_READ_MODEL_USER            ledgerflow_api
 * LEDGERFLOW_READ_MODEL_PASSWORD        (or LEDGERFLOW_READ_MODEL_PASSWORD_FILE, a mounted Secret)
 * LEDGERFLOW_READ_MODEL_POOL_SIZE       8         connections, and lookup threads
 * LEDGERFLOW_READ_MODEL_MAX_QUEUED      256       lookups waiting before 503
 * LEDGERFLOW_CURSOR_KEY                 (or LEDGERFLOW_CURSOR_KEY_FILE) HMAC key of the history routes' cursors,
 *                                       at least 32 characters; unset: a development key, with a warning
 * LEDGERFLOW_ACCESS_LOG_LEVEL           INFO      DEBUG logs every request (read by log4j2.xml)
 * LEDGERFLOW_PARTNERS_JDBC_URL          (unset: partners and keys from the keys file, no admin API)
 * LEDGERFLOW_PARTNERS_USER              ledgerflow_api
 * LEDGERFLOW_PARTNERS_PASSWORD          (or LEDGERFLOW_PARTNERS_PASSWORD_FILE)
 * LEDGERFLOW_PARTNERS_REFRESH           1s        how often the partner directory polls for changes
 * LEDGERFLOW_PARTNERS_MIGRATE           true      apply the database migrations (V7 partners) at start
 * LEDGERFLOW_BOOTSTRAP_ADMIN_KEY        (or LEDGERFLOW_BOOTSTRAP_ADMIN_KEY_FILE) first admin key, at least 32 characters
 * LEDGERFLOW_PLATFORM_PARTNER_ID        platform  the partner the bootstrap admin key belongs to
 * LEDGERFLOW_EVENT_STREAM_POLL          500ms     how often an open GET /api/v1/events looks for new events
 * LEDGERFLOW_MAX_EVENT_STREAMS          1000      open event streams per instance (5 per partner)
 * </pre>
 *
 * Webhook endpoints and the event stream live in the partner database; their shared settings
 * (secrets key, URL policy, event retention, retry period): {@link WebhookSettings}.
 *
 * <p>Per-partner rate limits, the API instance heartbeat and per-partner metric labels: {@link
 * RateLimitSettings} (defaults and why).
 *
 * <p>The durations' older names, whose unit was in the name, are still read, where a plain number
 * counts in that unit: {@code LEDGERFLOW_MAX_FUTURE_SKEW_SECONDS}, {@code
 * LEDGERFLOW_MAX_PAST_AGE_DAYS}, {@code LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS}, {@code
 * LEDGERFLOW_KAFKA_LINGER_MS}, {@code LEDGERFLOW_RETRY_AFTER_SECONDS}. Giving a setting under both
 * names fails.
 *
 * @param topic the requests topic, {@code ledger.requests} under the topic prefix
 */
public record IngestApiConfig(
        String httpHost,
        int httpPort,
        int eventLoops,
        KafkaSettings kafka,
        RegistrySettings registry,
        Optional<Path> apiKeysFile,
        int maxBodyBytes,
        int maxBatchBodyBytes,
        int maxBatchItems,
        ValidationLimits validation,
        Duration idempotencyTtl,
        int idempotencyMaxEntries,
        int maxAccounts,
        int kafkaLingerMs,
        int retryAfterSeconds,
        String topic,
        Optional<ReadModelSettings> readModel,
        Optional<PartnersSettings> partners,
        RateLimitSettings rateLimits,
        WebhookSettings webhooks,
        Duration eventStreamPoll,
        int maxEventStreams)
        implements KafkaClientConfig {

    /**
     * Where partners and API keys live when they are data (migration V7) rather than a keys file.
     *
     * @param database URL, user (needs write access to partners, api_keys and admin_audit) and
     *     password
     * @param refresh how often each instance polls for changes (changes must reach every instance
     *     within 5 s)
     * @param migrate whether the API applies the migrations at start (Flyway takes a lock, so
     *     instances and the sinks job may all do it)
     * @param bootstrapAdminKey a first admin key, imported at start if absent; empty when none
     * @param platformPartnerId the partner the bootstrap admin key belongs to
     */
    public record PartnersSettings(
            PostgresSettings database,
            Duration refresh,
            boolean migrate,
            Secret bootstrapAdminKey,
            String platformPartnerId) {}

    /**
     * Where GET routes read the ledger's decisions: the PostgreSQL read model the sinks job writes.
     * Its {@code toString} masks the password ({@link Secret}).
     *
     * @param database URL, user and password
     * @param poolSize connections, and lookup threads
     * @param maxQueued lookups waiting for a connection before the API answers 503
     * @param cursorKey the HMAC key that signs the history routes' pagination cursors ({@code
     *     LEDGERFLOW_CURSOR_KEY} or {@code …_FILE}); every instance behind one load balancer needs
     *     the same key, or a cursor from one is refused by the next
     */
    public record ReadModelSettings(
            PostgresSettings database, int poolSize, int maxQueued, Secret cursorKey) {

        /**
         * The key of local runs and tests when none is set. It is public (it is in the source), so
         * anyone could forge cursors with it: within the filters and partner they are bound to,
         * which the routes check anyway, but production must set its own.
         */
        public static final Secret DEVELOPMENT_CURSOR_KEY =
                Secret.of("ledgerflow-development-cursor-key-not-for-production");

        /** Whether the cursor key is the development one. */
        public boolean developmentCursorKey() {
            return cursorKey.reveal().equals(DEVELOPMENT_CURSOR_KEY.reveal());
        }
    }

    public static final int DEFAULT_PORT = 8080;

    /** The read model's user when none is given; the password defaults to none. */
    private static final PostgresSettings READ_MODEL_DEFAULTS =
            new PostgresSettings("", "ledgerflow_api", Secret.NONE);

    /** Reads the process environment. */
    public static IngestApiConfig fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the given variables, defaults for the missing ones.
     *
     * @throws IllegalArgumentException naming every variable whose value does not fit
     */
    public static IngestApiConfig from(Map<String, String> env) {
        Settings settings = Settings.fromEnvironment(env);
        IngestApiConfig config = read(settings);
        settings.check();
        return config;
    }

    /** Reads the API's settings; {@link Settings#check} then reports what was wrong. */
    public static IngestApiConfig read(Settings s) {
        ValidationLimits defaults = ValidationLimits.DEFAULTS;
        // log4j2.xml reads this variable itself; read here so that a typo fails the start and the
        // value shows in the printed configuration.
        s.choice("access-log-level", "INFO", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
        KafkaSettings kafka = KafkaSettings.read(s, "kafka-bootstrap-servers", KafkaSettings.LOCAL);
        return new IngestApiConfig(
                s.string("http-host", "0.0.0.0"),
                (int) s.integer("http-port", DEFAULT_PORT, 0, 65_535),
                s.positiveInt("event-loops", Runtime.getRuntime().availableProcessors()),
                kafka,
                RegistrySettings.read(s, RegistrySettings.LOCAL),
                s.optional("api-keys-file").map(Path::of),
                s.positiveInt("max-body-bytes", 64 * 1024),
                s.positiveInt("max-batch-body-bytes", 4 * 1024 * 1024),
                s.positiveInt("max-batch-items", 1000),
                new ValidationLimits(
                        s.integer("max-amount-minor", defaults.maxAmountMinor(), 1, Long.MAX_VALUE),
                        s.duration(
                                "max-future-skew",
                                "max-future-skew-seconds",
                                ChronoUnit.SECONDS,
                                defaults.maxFutureSkew()),
                        s.duration(
                                "max-past-age",
                                "max-past-age-days",
                                ChronoUnit.DAYS,
                                defaults.maxPastAge()),
                        defaults.maxMetadataEntries(),
                        defaults.maxMetadataKeyLength(),
                        defaults.maxMetadataValueLength(),
                        s.duration("max-hold-expiry", defaults.maxHoldExpiry())),
                s.duration(
                        "idempotency-ttl",
                        "idempotency-ttl-seconds",
                        ChronoUnit.SECONDS,
                        Duration.ofDays(1)),
                s.positiveInt("idempotency-max-entries", 1_000_000),
                s.positiveInt("max-accounts", 1_000_000),
                (int)
                        s.nonNegativeDuration(
                                        "kafka-linger",
                                        "kafka-linger-ms",
                                        ChronoUnit.MILLIS,
                                        Duration.ofMillis(2))
                                .toMillis(),
                retryAfterSeconds(s),
                kafka.topic(Topics.LEDGER_REQUESTS),
                readModel(s),
                partners(s),
                RateLimitSettings.read(s),
                WebhookSettings.read(s),
                s.duration("event-stream-poll", Duration.ofMillis(500)),
                s.positiveInt("max-event-streams", 1000));
    }

    private static Optional<PartnersSettings> partners(Settings s) {
        Secret bootstrap = s.secret("bootstrap-admin-key", null, Secret.NONE);
        if (!bootstrap.isEmpty() && bootstrap.reveal().length() < 32) {
            s.problem(
                    s.key("bootstrap-admin-key")
                            + " must be at least 32 characters (128 bits of a random key)");
        }
        String platform = s.string("platform-partner-id", "platform");
        if (!platform.matches("[A-Za-z0-9._-]{1,64}")) {
            s.problem(s.key("platform-partner-id") + " must be 1 to 64 characters of A-Za-z0-9._-");
        }
        if (!s.isGiven("partners-jdbc-url")) {
            if (!bootstrap.isEmpty()) {
                s.problem(
                        s.key("bootstrap-admin-key")
                                + " needs "
                                + s.key("partners-jdbc-url")
                                + ": the key is stored in the partner database");
            }
            return Optional.empty();
        }
        Duration refresh = s.duration("partners-refresh", Duration.ofSeconds(1));
        if (refresh.isZero() || refresh.compareTo(Duration.ofSeconds(5)) >= 0) {
            s.problem(
                    s.key("partners-refresh")
                            + " must be above 0 and below 5s (changes must reach every instance"
                            + " within 5 s)");
        }
        return Optional.of(
                new PartnersSettings(
                        PostgresSettings.read(
                                s,
                                "partners-jdbc-url",
                                "partners-user",
                                "partners-password",
                                null,
                                READ_MODEL_DEFAULTS),
                        refresh,
                        s.bool("partners-migrate", true),
                        bootstrap,
                        platform));
    }

    /** Retry-After carries whole seconds: {@code 1500ms} would be rounded, so it is refused. */
    private static int retryAfterSeconds(Settings s) {
        Duration d =
                s.duration(
                        "retry-after",
                        "retry-after-seconds",
                        ChronoUnit.SECONDS,
                        Duration.ofSeconds(2));
        if (d.toMillis() % 1000 != 0) {
            s.problem(
                    s.key("retry-after")
                            + " must be whole seconds (Retry-After), got "
                            + Durations.format(d));
        }
        return (int) d.toSeconds();
    }

    private static Optional<ReadModelSettings> readModel(Settings s) {
        if (!s.isGiven("read-model-jdbc-url")) {
            return Optional.empty();
        }
        return Optional.of(
                new ReadModelSettings(
                        PostgresSettings.read(
                                s,
                                "read-model-jdbc-url",
                                "read-model-user",
                                "read-model-password",
                                null,
                                READ_MODEL_DEFAULTS),
                        s.positiveInt("read-model-pool-size", 8),
                        s.nonNegativeInt("read-model-max-queued", 256),
                        cursorKey(s)));
    }

    private static Secret cursorKey(Settings s) {
        Secret key = s.secret("cursor-key", null, ReadModelSettings.DEVELOPMENT_CURSOR_KEY);
        if (key.reveal().length() < 32) {
            s.problem(s.key("cursor-key") + " must be at least 32 characters (256 bits of a key)");
        }
        return key;
    }
}
