package io.ledgerflow.jobs.ledger;

import io.ledgerflow.jobs.fraud.AlertWindowSettings;
import io.ledgerflow.jobs.fraud.FraudScreenSettings;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.CheckpointSettings;
import io.ledgerflow.schemas.config.CheckpointedJobConfig;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Everything the ledger job can be told, parsed once from {@code --name value} arguments ({@link
 * Settings}), with defaults for a local run. Immutable. Every setting, its default and its meaning:
 * the groups' Javadoc, and the job prints its effective configuration at start.
 *
 * @param kafka {@code --bootstrap-servers}, {@code --topic-prefix}
 * @param registry {@code --schema-registry-url}
 * @param consumerGroup group id of the job's Kafka sources ({@code --consumer-group}; offsets live
 *     in checkpoints, the group only shows progress to operators)
 * @param transactionalIdPrefix prefix of the sink's Kafka transactional ids ({@code
 *     --transactional-id-prefix}); unique per job on a Kafka cluster
 * @param parallelism parallelism of every operator ({@code --parallelism}, at least 1)
 * @param checkpoints {@code --checkpoint-interval} (200ms), {@code --checkpoint-directory}
 * @param ledger the ledger's time limits, system account shards and park window
 * @param fraudScreen how much the fraud screen remembers per account ({@code --fraud-*})
 * @param fraudAlerts how the screen's matches become alerts ({@code --fraud-alert-*})
 * @param skippedInternalRecords positions ({@code topic-partition@offset}) on the job's own topics
 *     that an operator inspected and chose to skip because they cannot be read and the job never
 *     wrote them ({@code --skip-internal-records}; runbook, "An internal record cannot be read");
 *     empty normally
 */
public record LedgerJobConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        String consumerGroup,
        String transactionalIdPrefix,
        int parallelism,
        CheckpointSettings checkpoints,
        LedgerSettings ledger,
        FraudScreenSettings fraudScreen,
        AlertWindowSettings fraudAlerts,
        Set<String> skippedInternalRecords)
        implements CheckpointedJobConfig, Serializable {

    public LedgerJobConfig {
        skippedInternalRecords = Set.copyOf(skippedInternalRecords);
    }

    public static final String JOB_NAME = "ledgerflow-ledger";

    /** Kafka transactions must outlive a restart, and stay below the broker's maximum (15 min). */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /**
     * A result is visible to {@code read_committed} readers only once the checkpoint after it
     * commits, and a transfer needs two (DISCUSSION.md, "Why the checkpoint interval is 200 ms").
     * The changelog state backend keeps a checkpoint this frequent cheap.
     */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMillis(200);

    public static LedgerJobConfig defaults() {
        return new LedgerJobConfig(
                KafkaSettings.LOCAL,
                RegistrySettings.LOCAL,
                JOB_NAME,
                JOB_NAME,
                2,
                new CheckpointSettings(
                        DEFAULT_CHECKPOINT_INTERVAL, "file:///tmp/ledgerflow/checkpoints"),
                LedgerSettings.defaults(),
                FraudScreenSettings.defaults(),
                AlertWindowSettings.DEFAULTS,
                Set.of());
    }

    /**
     * Parses {@code --bootstrap-servers host:port --parallelism 4 ...}.
     *
     * @throws IllegalArgumentException naming every unknown setting and every invalid value
     */
    public static LedgerJobConfig fromArgs(String[] args) {
        return Settings.parse(args, Map.of(), LedgerJobConfig::read);
    }

    /** Reads the job's settings; {@link Settings#check} then reports what was wrong. */
    public static LedgerJobConfig read(Settings s) {
        LedgerJobConfig d = defaults();
        return new LedgerJobConfig(
                KafkaSettings.read(s, "bootstrap-servers", d.kafka),
                RegistrySettings.read(s, d.registry),
                s.string("consumer-group", d.consumerGroup),
                s.string("transactional-id-prefix", d.transactionalIdPrefix),
                s.positiveInt("parallelism", d.parallelism),
                CheckpointSettings.read(s, d.checkpoints),
                LedgerSettings.read(s, d.ledger),
                FraudScreenSettings.read(s, d.fraudScreen),
                AlertWindowSettings.read(s, d.fraudAlerts),
                s.parsed(
                        InternalRecordPositions.SETTING,
                        d.skippedInternalRecords,
                        InternalRecordPositions::parse,
                        "topic-partition@offset[,...]"));
    }

    /** Same settings against other Kafka and registry servers. */
    public LedgerJobConfig withKafka(String bootstrapServers, String schemaRegistryUrl) {
        return toBuilder()
                .kafka(kafka.withBootstrapServers(bootstrapServers))
                .registry(new RegistrySettings(schemaRegistryUrl))
                .build();
    }

    /** Same settings with other checkpoints. */
    public LedgerJobConfig withCheckpoints(Duration interval, String directory) {
        return toBuilder().checkpoints(new CheckpointSettings(interval, directory)).build();
    }

    /** Same settings, topics, consumer group and transactional ids under {@code prefix}. */
    public LedgerJobConfig withTopicPrefix(String prefix) {
        return toBuilder()
                .kafka(kafka.withTopicPrefix(prefix))
                .consumerGroup(prefix + consumerGroup)
                .transactionalIdPrefix(prefix + transactionalIdPrefix)
                .build();
    }

    /** Same settings, run with {@code tasks} parallel instances of every operator. */
    public LedgerJobConfig withParallelism(int tasks) {
        return toBuilder().parallelism(tasks).build();
    }

    /** Same settings, holds expiring after {@code expiry}. */
    public LedgerJobConfig withHoldExpiry(Duration expiry) {
        return toBuilder().ledger(ledger.withHoldExpiry(expiry)).build();
    }

    /** Same settings; the job skips these unreadable internal records (operator's choice). */
    public LedgerJobConfig withSkippedInternalRecords(Set<String> positions) {
        return toBuilder().skippedInternalRecords(positions).build();
    }

    /** A copy to change, for the {@code with*} methods and tests. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public String requestsTopic() {
        return topic(Topics.LEDGER_REQUESTS);
    }

    public String instructionsTopic() {
        return topic(Topics.LEDGER_INSTRUCTIONS);
    }

    /** A {@link LedgerJobConfig} being changed; {@link #build} makes the immutable one. */
    public static final class Builder {
        private KafkaSettings kafka;
        private RegistrySettings registry;
        private String consumerGroup;
        private String transactionalIdPrefix;
        private int parallelism;
        private CheckpointSettings checkpoints;
        private LedgerSettings ledger;
        private FraudScreenSettings fraudScreen;
        private AlertWindowSettings fraudAlerts;
        private Set<String> skippedInternalRecords;

        private Builder(LedgerJobConfig c) {
            kafka = c.kafka;
            registry = c.registry;
            consumerGroup = c.consumerGroup;
            transactionalIdPrefix = c.transactionalIdPrefix;
            parallelism = c.parallelism;
            checkpoints = c.checkpoints;
            ledger = c.ledger;
            fraudScreen = c.fraudScreen;
            fraudAlerts = c.fraudAlerts;
            skippedInternalRecords = c.skippedInternalRecords;
        }

        public Builder kafka(KafkaSettings value) {
            kafka = value;
            return this;
        }

        public Builder registry(RegistrySettings value) {
            registry = value;
            return this;
        }

        public Builder consumerGroup(String value) {
            consumerGroup = value;
            return this;
        }

        public Builder transactionalIdPrefix(String value) {
            transactionalIdPrefix = value;
            return this;
        }

        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        public Builder checkpoints(CheckpointSettings value) {
            checkpoints = value;
            return this;
        }

        public Builder ledger(LedgerSettings value) {
            ledger = value;
            return this;
        }

        public Builder fraudScreen(FraudScreenSettings value) {
            fraudScreen = value;
            return this;
        }

        public Builder fraudAlerts(AlertWindowSettings value) {
            fraudAlerts = value;
            return this;
        }

        public Builder skippedInternalRecords(Set<String> value) {
            skippedInternalRecords = value;
            return this;
        }

        public LedgerJobConfig build() {
            return new LedgerJobConfig(
                    kafka,
                    registry,
                    consumerGroup,
                    transactionalIdPrefix,
                    parallelism,
                    checkpoints,
                    ledger,
                    fraudScreen,
                    fraudAlerts,
                    skippedInternalRecords);
        }
    }
}
