package io.ledgerflow.sinks;

import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.CheckpointSettings;
import io.ledgerflow.schemas.config.CheckpointedJobConfig;
import io.ledgerflow.schemas.config.ClickHouseSettings;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the sinks job can be told, parsed once from {@code --name value} arguments ({@link
 * Settings}), with defaults for a local run. Immutable; its {@code toString} masks the passwords
 * ({@link Secret}). The windowed aggregates' settings are {@code AggregatesConfig}'s, read from the
 * same arguments.
 *
 * <p>The two database passwords can also be given without putting them on the command line (where a
 * FlinkDeployment would show them in plain text). For each, the first of these wins: the argument
 * ({@code --postgres-password}), a file named by an argument ({@code --postgres-password-file
 * PATH}, content trimmed), the environment variable ({@link #POSTGRES_PASSWORD_ENV}), the default.
 * The same for ClickHouse ({@code --clickhouse-password}, {@code --clickhouse-password-file},
 * {@link #CLICKHOUSE_PASSWORD_ENV}).
 *
 * @param kafka {@code --bootstrap-servers}, {@code --topic-prefix} (the ledger job's own prefix)
 * @param registry {@code --schema-registry-url}
 * @param consumerGroup group id of the Kafka source ({@code --consumer-group}; offsets live in
 *     checkpoints, the group only shows progress to operators)
 * @param parallelism parallelism of every operator ({@code --parallelism})
 * @param checkpoints {@code --checkpoint-interval} (2s: how often buffered rows are flushed and
 *     source offsets committed, which bounds how stale the read model can be), {@code
 *     --checkpoint-directory}
 * @param postgres {@code --postgres-url}, {@code --postgres-user}, {@code --postgres-password}
 * @param postgresWrites how rows are batched into the read model
 * @param clickHouse {@code --clickhouse-url} (without database), {@code --clickhouse-database},
 *     {@code --clickhouse-user}, {@code --clickhouse-password}
 * @param clickHouseWrites how rows are batched into ClickHouse
 * @param skippedInternalRecords positions ({@code topic-partition@offset}) of records on the
 *     ledger's output topics that the job skips instead of failing on them: only records an
 *     operator has inspected and found the ledger never wrote ({@code --skip-internal-records
 *     t-p@o,...}; runbook, "An internal record cannot be read")
 */
public record SinksConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        String consumerGroup,
        int parallelism,
        CheckpointSettings checkpoints,
        PostgresSettings postgres,
        PostgresWrites postgresWrites,
        ClickHouseSettings clickHouse,
        ClickHouseWrites clickHouseWrites,
        Set<String> skippedInternalRecords)
        implements CheckpointedJobConfig, Serializable {

    public SinksConfig {
        skippedInternalRecords = Set.copyOf(skippedInternalRecords);
    }

    /**
     * How the read model's rows are written.
     *
     * @param batchSize rows per JDBC batch ({@code --postgres-batch-size}, 1000)
     * @param batchInterval flush a partial batch after this long ({@code
     *     --postgres-batch-interval}, 200ms)
     * @param maxRetries retries of a failed batch before the task fails and restarts ({@code
     *     --postgres-max-retries}, 3)
     */
    public record PostgresWrites(int batchSize, Duration batchInterval, int maxRetries)
            implements Serializable {}

    /**
     * How analytics rows are written.
     *
     * @param batchRows rows per INSERT ({@code --clickhouse-batch-rows}, 20000): an insert is a
     *     part, and ClickHouse wants few, big ones
     * @param flushInterval flush a partial batch after this long ({@code
     *     --clickhouse-flush-interval}, 1s)
     * @param maxRetries retries of a transient insert failure before the task fails ({@code
     *     --clickhouse-max-retries}, 5)
     * @param initialBackoff first retry delay, doubling per retry up to {@link #MAX_BACKOFF}
     *     ({@code --clickhouse-initial-backoff}, 200ms)
     */
    public record ClickHouseWrites(
            int batchRows, Duration flushInterval, int maxRetries, Duration initialBackoff)
            implements Serializable {}

    public static final String JOB_NAME = "ledgerflow-sinks";

    /** Environment variable with the PostgreSQL password, when no argument gives it. */
    public static final String POSTGRES_PASSWORD_ENV = "LEDGERFLOW_POSTGRES_PASSWORD";

    /** Environment variable with the ClickHouse password, when no argument gives it. */
    public static final String CLICKHOUSE_PASSWORD_ENV = "LEDGERFLOW_CLICKHOUSE_PASSWORD";

    /** Upper bound of the ClickHouse retry backoff. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public static SinksConfig defaults() {
        return new SinksConfig(
                KafkaSettings.LOCAL,
                RegistrySettings.LOCAL,
                JOB_NAME,
                2,
                new CheckpointSettings(
                        Duration.ofSeconds(2), "file:///tmp/ledgerflow/sinks-checkpoints"),
                new PostgresSettings(
                        "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                        "postgres",
                        Secret.of("postgres")),
                new PostgresWrites(1_000, Duration.ofMillis(200), 3),
                new ClickHouseSettings(
                        "jdbc:clickhouse://127.0.0.1:8123", "ledgerflow", "default", Secret.NONE),
                new ClickHouseWrites(20_000, Duration.ofSeconds(1), 5, Duration.ofMillis(200)),
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
     *
     * @throws IllegalArgumentException naming every unknown setting and every invalid value
     */
    public static SinksConfig fromArgs(String[] args, Map<String, String> environment) {
        return Settings.parse(args, environment, SinksConfig::read);
    }

    /** Reads the job's settings; {@link Settings#check} then reports what was wrong. */
    public static SinksConfig read(Settings s) {
        SinksConfig d = defaults();
        return new SinksConfig(
                KafkaSettings.read(s, "bootstrap-servers", d.kafka),
                RegistrySettings.read(s, d.registry),
                s.string("consumer-group", d.consumerGroup),
                s.positiveInt("parallelism", d.parallelism),
                CheckpointSettings.read(s, d.checkpoints),
                PostgresSettings.read(s, "postgres-", POSTGRES_PASSWORD_ENV, d.postgres),
                new PostgresWrites(
                        s.positiveInt("postgres-batch-size", d.postgresWrites.batchSize()),
                        s.duration("postgres-batch-interval", d.postgresWrites.batchInterval()),
                        s.nonNegativeInt("postgres-max-retries", d.postgresWrites.maxRetries())),
                ClickHouseSettings.read(s, CLICKHOUSE_PASSWORD_ENV, d.clickHouse),
                new ClickHouseWrites(
                        s.positiveInt("clickhouse-batch-rows", d.clickHouseWrites.batchRows()),
                        s.duration("clickhouse-flush-interval", d.clickHouseWrites.flushInterval()),
                        s.nonNegativeInt("clickhouse-max-retries", d.clickHouseWrites.maxRetries()),
                        s.duration(
                                "clickhouse-initial-backoff", d.clickHouseWrites.initialBackoff())),
                s.parsed(
                        InternalRecordPositions.SETTING,
                        d.skippedInternalRecords,
                        InternalRecordPositions::parse,
                        "topic-partition@offset[,...]"));
    }

    /** Same settings against other Kafka and registry servers, topics and group under a prefix. */
    public SinksConfig withKafka(String servers, String registryUrl, String prefix) {
        return new SinksConfig(
                new KafkaSettings(servers, prefix),
                new RegistrySettings(registryUrl),
                prefix + consumerGroup,
                parallelism,
                checkpoints,
                postgres,
                postgresWrites,
                clickHouse,
                clickHouseWrites,
                skippedInternalRecords);
    }

    /** Same settings against other databases (same ClickHouse user and password). */
    public SinksConfig withDatabases(
            String pgUrl, String pgUser, String pgPassword, String chUrl, String chDatabase) {
        return new SinksConfig(
                kafka,
                registry,
                consumerGroup,
                parallelism,
                checkpoints,
                new PostgresSettings(pgUrl, pgUser, Secret.of(pgPassword)),
                postgresWrites,
                new ClickHouseSettings(chUrl, chDatabase, clickHouse.user(), clickHouse.password()),
                clickHouseWrites,
                skippedInternalRecords);
    }

    /** Same settings with other checkpoints. */
    public SinksConfig withCheckpoints(Duration interval, String directory) {
        return new SinksConfig(
                kafka,
                registry,
                consumerGroup,
                parallelism,
                new CheckpointSettings(interval, directory),
                postgres,
                postgresWrites,
                clickHouse,
                clickHouseWrites,
                skippedInternalRecords);
    }

    /** Same settings, skipping these internal records ({@code topic-partition@offset}). */
    public SinksConfig withSkippedInternalRecords(Set<String> positions) {
        return new SinksConfig(
                kafka,
                registry,
                consumerGroup,
                parallelism,
                checkpoints,
                postgres,
                postgresWrites,
                clickHouse,
                clickHouseWrites,
                positions);
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
}
