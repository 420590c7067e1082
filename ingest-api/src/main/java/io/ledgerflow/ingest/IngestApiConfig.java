package io.ledgerflow.ingest;

import io.ledgerflow.ingest.validation.ValidationLimits;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.money.MinorUnits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the ingest API can be told, read once from environment variables at start.
 *
 * <pre>
 * variable                              default
 * LEDGERFLOW_HTTP_HOST                  0.0.0.0
 * LEDGERFLOW_HTTP_PORT                  8080
 * LEDGERFLOW_EVENT_LOOPS                number of cores
 * LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS    127.0.0.1:9092
 * LEDGERFLOW_SCHEMA_REGISTRY_URL        http://127.0.0.1:8081/apis/ccompat/v7
 * LEDGERFLOW_API_KEYS_FILE              (unset: built-in development keys, with a warning)
 * LEDGERFLOW_MAX_BODY_BYTES             65536     single request body
 * LEDGERFLOW_MAX_BATCH_BODY_BYTES       4194304   batch request body
 * LEDGERFLOW_MAX_BATCH_ITEMS            1000
 * LEDGERFLOW_MAX_AMOUNT_MINOR           10^15     largest amount in minor units
 * LEDGERFLOW_MAX_FUTURE_SKEW_SECONDS    300       eventTime at most 5 minutes ahead
 * LEDGERFLOW_MAX_PAST_AGE_DAYS          30        eventTime at most 30 days old
 * LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS    86400     how long a transaction id is remembered
 * LEDGERFLOW_IDEMPOTENCY_MAX_ENTRIES    1000000   remembered ids (about 0.5 KB each)
 * LEDGERFLOW_MAX_ACCOUNTS               1000000   remembered account owners
 * LEDGERFLOW_KAFKA_LINGER_MS            2
 * LEDGERFLOW_RETRY_AFTER_SECONDS        2         Retry-After of 503 answers
 * LEDGERFLOW_READ_MODEL_JDBC_URL        (unset: answer GETs from this instance's memory only)
 * LEDGERFLOW_READ_MODEL_USER            ledgerflow_api
 * LEDGERFLOW_READ_MODEL_PASSWORD        (or LEDGERFLOW_READ_MODEL_PASSWORD_FILE, a mounted Secret)
 * LEDGERFLOW_READ_MODEL_POOL_SIZE       8         connections, and lookup threads
 * LEDGERFLOW_READ_MODEL_MAX_QUEUED      256       lookups waiting before 503
 * </pre>
 */
public record IngestApiConfig(
        String httpHost,
        int httpPort,
        int eventLoops,
        String bootstrapServers,
        String schemaRegistryUrl,
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
        Optional<ReadModelSettings> readModel) {

    /**
     * Where GET routes read the ledger's decisions: the PostgreSQL read model the sinks job writes.
     * {@link #toString} never shows the password.
     */
    public record ReadModelSettings(
            String jdbcUrl, String user, String password, int poolSize, int maxQueued) {
        @Override
        public String toString() {
            return "ReadModelSettings[jdbcUrl="
                    + jdbcUrl
                    + ", user="
                    + user
                    + ", password=***, poolSize="
                    + poolSize
                    + ", maxQueued="
                    + maxQueued
                    + "]";
        }
    }

    public static final int DEFAULT_PORT = 8080;

    /** Reads the process environment. */
    public static IngestApiConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the given variables, defaults for the missing ones; fails on malformed values. */
    public static IngestApiConfig from(Map<String, String> env) {
        Env e = new Env(env);
        ValidationLimits defaults = ValidationLimits.DEFAULTS;
        return new IngestApiConfig(
                e.string("LEDGERFLOW_HTTP_HOST", "0.0.0.0"),
                e.integer("LEDGERFLOW_HTTP_PORT", DEFAULT_PORT),
                e.integer("LEDGERFLOW_EVENT_LOOPS", Runtime.getRuntime().availableProcessors()),
                e.string("LEDGERFLOW_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                e.string("LEDGERFLOW_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"),
                Optional.ofNullable(env.get("LEDGERFLOW_API_KEYS_FILE"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of),
                e.integer("LEDGERFLOW_MAX_BODY_BYTES", 64 * 1024),
                e.integer("LEDGERFLOW_MAX_BATCH_BODY_BYTES", 4 * 1024 * 1024),
                e.integer("LEDGERFLOW_MAX_BATCH_ITEMS", 1000),
                new ValidationLimits(
                        e.longValue(
                                "LEDGERFLOW_MAX_AMOUNT_MINOR", MinorUnits.DEFAULT_MAXIMUM_MINOR),
                        Duration.ofSeconds(e.integer("LEDGERFLOW_MAX_FUTURE_SKEW_SECONDS", 300)),
                        Duration.ofDays(e.integer("LEDGERFLOW_MAX_PAST_AGE_DAYS", 30)),
                        defaults.maxMetadataEntries(),
                        defaults.maxMetadataKeyLength(),
                        defaults.maxMetadataValueLength()),
                Duration.ofSeconds(e.integer("LEDGERFLOW_IDEMPOTENCY_TTL_SECONDS", 86_400)),
                e.integer("LEDGERFLOW_IDEMPOTENCY_MAX_ENTRIES", 1_000_000),
                e.integer("LEDGERFLOW_MAX_ACCOUNTS", 1_000_000),
                e.integer("LEDGERFLOW_KAFKA_LINGER_MS", 2),
                e.integer("LEDGERFLOW_RETRY_AFTER_SECONDS", 2),
                Topics.LEDGER_REQUESTS,
                readModel(e));
    }

    private static Optional<ReadModelSettings> readModel(Env e) {
        String url = e.string("LEDGERFLOW_READ_MODEL_JDBC_URL", "");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        int poolSize = e.integer("LEDGERFLOW_READ_MODEL_POOL_SIZE", 8);
        if (poolSize < 1) {
            throw new IllegalArgumentException(
                    "LEDGERFLOW_READ_MODEL_POOL_SIZE must be at least 1");
        }
        return Optional.of(
                new ReadModelSettings(
                        url,
                        e.string("LEDGERFLOW_READ_MODEL_USER", "ledgerflow_api"),
                        e.secret("LEDGERFLOW_READ_MODEL_PASSWORD"),
                        poolSize,
                        e.integer("LEDGERFLOW_READ_MODEL_MAX_QUEUED", 256)));
    }

    /** The same configuration on another port (tests start servers on free ports). */
    public IngestApiConfig withPort(int port) {
        return new IngestApiConfig(
                httpHost,
                port,
                eventLoops,
                bootstrapServers,
                schemaRegistryUrl,
                apiKeysFile,
                maxBodyBytes,
                maxBatchBodyBytes,
                maxBatchItems,
                validation,
                idempotencyTtl,
                idempotencyMaxEntries,
                maxAccounts,
                kafkaLingerMs,
                retryAfterSeconds,
                topic,
                readModel);
    }

    /**
     * The same configuration writing to another requests topic: tests that run the ledger job on a
     * shared broker give its topics a prefix, and the API must write where that ledger reads.
     */
    public IngestApiConfig withTopic(String requestsTopic) {
        return new IngestApiConfig(
                httpHost,
                httpPort,
                eventLoops,
                bootstrapServers,
                schemaRegistryUrl,
                apiKeysFile,
                maxBodyBytes,
                maxBatchBodyBytes,
                maxBatchItems,
                validation,
                idempotencyTtl,
                idempotencyMaxEntries,
                maxAccounts,
                kafkaLingerMs,
                retryAfterSeconds,
                requestsTopic,
                readModel);
    }

    private record Env(Map<String, String> env) {
        /**
         * {@code name}, or the content of the file named by {@code name_FILE}; empty if neither.
         */
        String secret(String name) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
            String file = env.get(name + "_FILE");
            if (file == null || file.isBlank()) {
                return "";
            }
            try {
                return Files.readString(Path.of(file.strip())).strip();
            } catch (IOException ex) {
                throw new UncheckedIOException(name + "_FILE cannot be read: " + file, ex);
            }
        }

        String string(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int integer(String name, int fallback) {
            return (int) longValue(name, fallback);
        }

        long longValue(String name, long fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed < 0) {
                    throw new NumberFormatException("negative");
                }
                return parsed;
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(
                        name + " must be a non-negative integer, got \"" + value + "\"");
            }
        }
    }
}
