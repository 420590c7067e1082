package io.ledgerflow.sinks;

import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.Durations;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the sinks job can be told, parsed once from {@code --name value} arguments, with
 * defaults for a local run. Immutable.
 *
 * <p>The two database passwords can also be given without putting them on the command line (where a
 * FlinkDeployment would show them in plain text). For each, the first of these wins: the argument
 * ({@code --postgres-password}), a file named by an argument ({@code --postgres-password-file
 * PATH}, content trimmed), the environment variable ({@link #POSTGRES_PASSWORD_ENV}), the default.
 * The same for ClickHouse ({@code --clickhouse-password}, {@code --clickhouse-password-file},
 * {@link #CLICKHOUSE_PASSWORD_ENV}).
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param schemaRegistryUrl Confluent-API schema registry base URL
 * @param consumerGroup group id of the Kafka source (offsets live in checkpoints; the group only
 *     shows progress to operators)
 * @param topicPrefix put before every ledger topic name (as the ledger job's own prefix)
 * @param parallelism parallelism of every operator
 * @param checkpointInterval how often buffered rows are flushed and source offsets committed;
 *     bounds how stale the read model can be
 * @param checkpointDirectory where checkpoints go (file://, s3://)
 * @param postgresUrl JDBC URL of the read model database
 * @param postgresUser database user
 * @param postgresPassword database password
 * @param postgresBatchSize rows per JDBC batch
 * @param postgresBatchInterval flush a partial batch after this long
 * @param postgresMaxRetries retries of a failed batch before the task fails (and restarts)
 * @param clickHouseUrl JDBC URL of the ClickHouse server, without database
 * @param clickHouseDatabase the analytics database, created by the migrations
 * @param clickHouseUser ClickHouse user
 * @param clickHousePassword ClickHouse password
 * @param clickHouseBatchRows rows per INSERT (an insert is a part; ClickHouse wants few, big ones)
 * @param clickHouseFlushInterval flush a partial batch after this long
 * @param clickHouseMaxRetries retries of a transient insert failure before the task fails
 * @param clickHouseInitialBackoff first retry delay; doubles per retry up to 10 s
 * @param skippedInternalRecords positions ({@code topic-partition@offset}) of records on the
 *     ledger's output topics that the job skips instead of failing on them: only records an
 *     operator has inspected and found the ledger never wrote ({@code --skip-internal-records
 *     t-p@o,...}; runbook, "An internal record cannot be read")
 */
public record SinksConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String consumerGroup,
        String topicPrefix,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDirectory,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        int postgresBatchSize,
        Duration postgresBatchInterval,
        int postgresMaxRetries,
        String clickHouseUrl,
        String clickHouseDatabase,
        String clickHouseUser,
        String clickHousePassword,
        int clickHouseBatchRows,
        Duration clickHouseFlushInterval,
        int clickHouseMaxRetries,
        Duration clickHouseInitialBackoff,
        Set<String> skippedInternalRecords)
        implements Serializable {

    public SinksConfig {
        skippedInternalRecords = Set.copyOf(skippedInternalRecords);
    }

    public static final String JOB_NAME = "ledgerflow-sinks";

    /** Like the record's own, with the passwords masked: configs end up in logs and UIs. */
    @Override
    public String toString() {
        return "SinksConfig[bootstrapServers="
                + bootstrapServers
                + ", schemaRegistryUrl="
                + schemaRegistryUrl
                + ", consumerGroup="
                + consumerGroup
                + ", topicPrefix="
                + topicPrefix
                + ", parallelism="
                + parallelism
                + ", checkpointInterval="
                + checkpointInterval
                + ", checkpointDirectory="
                + checkpointDirectory
                + ", postgresUrl="
                + postgresUrl
                + ", postgresUser="
                + postgresUser
                + ", postgresPassword=***"
                + ", postgresBatchSize="
                + postgresBatchSize
                + ", postgresBatchInterval="
                + postgresBatchInterval
                + ", postgresMaxRetries="
                + postgresMaxRetries
                + ", clickHouseUrl="
                + clickHouseUrl
                + ", clickHouseDatabase="
                + clickHouseDatabase
                + ", clickHouseUser="
                + clickHouseUser
                + ", clickHousePassword=***"
                + ", clickHouseBatchRows="
                + clickHouseBatchRows
                + ", clickHouseFlushInterval="
                + clickHouseFlushInterval
                + ", clickHouseMaxRetries="
                + clickHouseMaxRetries
                + ", clickHouseInitialBackoff="
                + clickHouseInitialBackoff
                + ", skippedInternalRecords="
                + skippedInternalRecords
                + "]";
    }

    /** Environment variable with the PostgreSQL password, when no argument gives it. */
    public static final String POSTGRES_PASSWORD_ENV = "LEDGERFLOW_POSTGRES_PASSWORD";

    /** Environment variable with the ClickHouse password, when no argument gives it. */
    public static final String CLICKHOUSE_PASSWORD_ENV = "LEDGERFLOW_CLICKHOUSE_PASSWORD";

    /** Upper bound of the ClickHouse retry backoff. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public static SinksConfig defaults() {
        return new SinksConfig(
                "127.0.0.1:9092",
                "http://127.0.0.1:8081/apis/ccompat/v7",
                JOB_NAME,
                "",
                2,
                Duration.ofSeconds(2),
                "file:///tmp/ledgerflow/sinks-checkpoints",
                "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                "postgres",
                "postgres",
                1_000,
                Duration.ofMillis(200),
                3,
                "jdbc:clickhouse://127.0.0.1:8123",
                "ledgerflow",
                "default",
                "",
                20_000,
                Duration.ofSeconds(1),
                5,
                Duration.ofMillis(200),
                Set.of());
    }

    /**
     * Parses {@code --postgres-url jdbc:... --clickhouse-batch-rows 20000 ...}; unknown names fail.
     * Passwords not given as arguments are taken from files or from this process's environment (see
     * the class comment).
     */
    public static SinksConfig fromArgs(String[] args) {
        return fromArgs(args, System.getenv());
    }

    /**
     * {@link #fromArgs(String[])} with the environment given: only {@link #POSTGRES_PASSWORD_ENV}
     * and {@link #CLICKHOUSE_PASSWORD_ENV} are read from it.
     */
    public static SinksConfig fromArgs(String[] args, Map<String, String> environment) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        SinksConfig d = defaults();
        SinksConfig config =
                new SinksConfig(
                        take(given, "bootstrap-servers", d.bootstrapServers),
                        take(given, "schema-registry-url", d.schemaRegistryUrl),
                        take(given, "consumer-group", d.consumerGroup),
                        take(given, "topic-prefix", d.topicPrefix),
                        Integer.parseInt(take(given, "parallelism", "" + d.parallelism)),
                        Durations.parse(
                                take(given, "checkpoint-interval", null), d.checkpointInterval),
                        take(given, "checkpoint-directory", d.checkpointDirectory),
                        take(given, "postgres-url", d.postgresUrl),
                        take(given, "postgres-user", d.postgresUser),
                        password(
                                given,
                                "postgres-password",
                                environment,
                                POSTGRES_PASSWORD_ENV,
                                d.postgresPassword),
                        Integer.parseInt(
                                take(given, "postgres-batch-size", "" + d.postgresBatchSize)),
                        Durations.parse(
                                take(given, "postgres-batch-interval", null),
                                d.postgresBatchInterval),
                        Integer.parseInt(
                                take(given, "postgres-max-retries", "" + d.postgresMaxRetries)),
                        take(given, "clickhouse-url", d.clickHouseUrl),
                        take(given, "clickhouse-database", d.clickHouseDatabase),
                        take(given, "clickhouse-user", d.clickHouseUser),
                        password(
                                given,
                                "clickhouse-password",
                                environment,
                                CLICKHOUSE_PASSWORD_ENV,
                                d.clickHousePassword),
                        Integer.parseInt(
                                take(given, "clickhouse-batch-rows", "" + d.clickHouseBatchRows)),
                        Durations.parse(
                                take(given, "clickhouse-flush-interval", null),
                                d.clickHouseFlushInterval),
                        Integer.parseInt(
                                take(given, "clickhouse-max-retries", "" + d.clickHouseMaxRetries)),
                        Durations.parse(
                                take(given, "clickhouse-initial-backoff", null),
                                d.clickHouseInitialBackoff),
                        InternalRecordPositions.parse(
                                take(given, InternalRecordPositions.SETTING, "")));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + given.keySet());
        }
        return config;
    }

    /** Same settings against other Kafka and registry servers. */
    public SinksConfig withKafka(String servers, String registryUrl, String prefix) {
        return new SinksConfig(
                servers,
                registryUrl,
                prefix + consumerGroup,
                prefix,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                postgresUrl,
                postgresUser,
                postgresPassword,
                postgresBatchSize,
                postgresBatchInterval,
                postgresMaxRetries,
                clickHouseUrl,
                clickHouseDatabase,
                clickHouseUser,
                clickHousePassword,
                clickHouseBatchRows,
                clickHouseFlushInterval,
                clickHouseMaxRetries,
                clickHouseInitialBackoff,
                skippedInternalRecords);
    }

    /** Same settings against other databases. */
    public SinksConfig withDatabases(
            String pgUrl, String pgUser, String pgPassword, String chUrl, String chDatabase) {
        return new SinksConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                topicPrefix,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                pgUrl,
                pgUser,
                pgPassword,
                postgresBatchSize,
                postgresBatchInterval,
                postgresMaxRetries,
                chUrl,
                chDatabase,
                clickHouseUser,
                clickHousePassword,
                clickHouseBatchRows,
                clickHouseFlushInterval,
                clickHouseMaxRetries,
                clickHouseInitialBackoff,
                skippedInternalRecords);
    }

    /** Same settings with other checkpoints. */
    public SinksConfig withCheckpoints(Duration interval, String directory) {
        return new SinksConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                topicPrefix,
                parallelism,
                interval,
                directory,
                postgresUrl,
                postgresUser,
                postgresPassword,
                postgresBatchSize,
                postgresBatchInterval,
                postgresMaxRetries,
                clickHouseUrl,
                clickHouseDatabase,
                clickHouseUser,
                clickHousePassword,
                clickHouseBatchRows,
                clickHouseFlushInterval,
                clickHouseMaxRetries,
                clickHouseInitialBackoff,
                skippedInternalRecords);
    }

    /** Same settings, skipping these internal records ({@code topic-partition@offset}). */
    public SinksConfig withSkippedInternalRecords(Set<String> positions) {
        return new SinksConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                topicPrefix,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                postgresUrl,
                postgresUser,
                postgresPassword,
                postgresBatchSize,
                postgresBatchInterval,
                postgresMaxRetries,
                clickHouseUrl,
                clickHouseDatabase,
                clickHouseUser,
                clickHousePassword,
                clickHouseBatchRows,
                clickHouseFlushInterval,
                clickHouseMaxRetries,
                clickHouseInitialBackoff,
                positions);
    }

    /** The name of one of the {@link Topics} for the ledger this job follows. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    /** The ledger's outputs this job reads, prefixed: what its Kafka source subscribes to. */
    public List<String> sourceTopics() {
        return List.of(
                topic(Topics.TRANSACTION_RESULTS),
                topic(Topics.LEDGER_ENTRIES),
                topic(Topics.ACCOUNT_STATES),
                topic(Topics.ACCOUNT_COMMAND_RESULTS),
                topic(Topics.DEAD_LETTERS),
                topic(Topics.FRAUD_ALERTS),
                topic(Topics.FRAUD_RULES));
    }

    private static String take(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        return value != null ? value : fallback;
    }

    /**
     * {@code --name value}, else the trimmed content of {@code --name-file PATH}, else the
     * environment variable, else the fallback. Both arguments are consumed either way, so neither
     * is reported as unknown. Error messages name the file, never its content.
     */
    private static String password(
            Map<String, String> given,
            String name,
            Map<String, String> environment,
            String variable,
            String fallback) {
        String value = given.remove(name);
        String file = given.remove(name + "-file");
        if (value != null) {
            return value;
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot read --" + name + "-file " + file + ": " + e, e);
            }
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment != null ? fromEnvironment : fallback;
    }
}
