package io.ledgerflow.jobs.ledger;

import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.Durations;
import io.ledgerflow.schemas.kafka.InternalRecordPositions;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the ledger job can be told, parsed once from {@code --name value} arguments, with
 * defaults for a local run. Immutable.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param schemaRegistryUrl Confluent-API schema registry base URL
 * @param consumerGroup group id of the job's Kafka sources (offsets live in checkpoints; the group
 *     only shows progress to operators)
 * @param parallelism parallelism of every operator
 * @param checkpointInterval how often state and Kafka transactions commit; bounds result latency
 * @param checkpointDirectory where RocksDB's incremental checkpoints go (file://, s3://)
 * @param dedupRetention how long a transaction id is remembered against replays
 * @param holdExpiry how long an uncaptured hold reserves funds
 * @param endedHoldRetention how long an ended hold is kept to answer late captures and voids
 * @param refundWindow how long a completed credit can be refunded
 * @param systemAccountShards system accounts per currency (spreads deposit/withdrawal load)
 * @param transactionalIdPrefix prefix of the sink's Kafka transactional ids; unique per job
 * @param topicPrefix put before every topic name (empty in production; lets several ledgers, or
 *     tests, share one Kafka cluster)
 * @param skippedInternalRecords positions ({@code topic-partition@offset}) on the job's own topics
 *     that an operator inspected and chose to skip because they cannot be read and the job never
 *     wrote them (runbook, "An internal record cannot be read"); empty normally
 */
public record LedgerJobConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String consumerGroup,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDirectory,
        Duration dedupRetention,
        Duration holdExpiry,
        Duration endedHoldRetention,
        Duration refundWindow,
        int systemAccountShards,
        String transactionalIdPrefix,
        String topicPrefix,
        Set<String> skippedInternalRecords)
        implements Serializable {

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
                "127.0.0.1:9092",
                "http://127.0.0.1:8081/apis/ccompat/v7",
                JOB_NAME,
                2,
                DEFAULT_CHECKPOINT_INTERVAL,
                "file:///tmp/ledgerflow/checkpoints",
                Duration.ofDays(7),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Duration.ofDays(90),
                8,
                JOB_NAME,
                "",
                Set.of());
    }

    /** Parses {@code --bootstrap-servers host:port --parallelism 4 ...}; unknown names fail. */
    public static LedgerJobConfig fromArgs(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        LedgerJobConfig d = defaults();
        LedgerJobConfig config =
                new LedgerJobConfig(
                        take(given, "bootstrap-servers", d.bootstrapServers),
                        take(given, "schema-registry-url", d.schemaRegistryUrl),
                        take(given, "consumer-group", d.consumerGroup),
                        Integer.parseInt(take(given, "parallelism", "" + d.parallelism)),
                        Durations.parse(
                                take(given, "checkpoint-interval", null), d.checkpointInterval),
                        take(given, "checkpoint-directory", d.checkpointDirectory),
                        Durations.parse(take(given, "dedup-retention", null), d.dedupRetention),
                        Durations.parse(take(given, "hold-expiry", null), d.holdExpiry),
                        Durations.parse(
                                take(given, "ended-hold-retention", null), d.endedHoldRetention),
                        Durations.parse(take(given, "refund-window", null), d.refundWindow),
                        Integer.parseInt(
                                take(given, "system-account-shards", "" + d.systemAccountShards)),
                        take(given, "transactional-id-prefix", d.transactionalIdPrefix),
                        take(given, "topic-prefix", d.topicPrefix),
                        InternalRecordPositions.parse(
                                take(given, InternalRecordPositions.SETTING, "")));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + given.keySet());
        }
        return config;
    }

    public LedgerJobConfig withKafka(String bootstrapServers, String schemaRegistryUrl) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                transactionalIdPrefix,
                topicPrefix,
                skippedInternalRecords);
    }

    public LedgerJobConfig withCheckpoints(Duration interval, String directory) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                parallelism,
                interval,
                directory,
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                transactionalIdPrefix,
                topicPrefix,
                skippedInternalRecords);
    }

    /** Same settings, topics and transactional ids under {@code prefix}. */
    public LedgerJobConfig withTopicPrefix(String prefix) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                prefix + consumerGroup,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                prefix + transactionalIdPrefix,
                prefix,
                skippedInternalRecords);
    }

    /** Same settings, run with {@code tasks} parallel instances of every operator. */
    public LedgerJobConfig withParallelism(int tasks) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                tasks,
                checkpointInterval,
                checkpointDirectory,
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                transactionalIdPrefix,
                topicPrefix,
                skippedInternalRecords);
    }

    public LedgerJobConfig withHoldExpiry(Duration expiry) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                dedupRetention,
                expiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                transactionalIdPrefix,
                topicPrefix,
                skippedInternalRecords);
    }

    /** Same settings; the job skips these unreadable internal records (operator's choice). */
    public LedgerJobConfig withSkippedInternalRecords(Set<String> positions) {
        return new LedgerJobConfig(
                bootstrapServers,
                schemaRegistryUrl,
                consumerGroup,
                parallelism,
                checkpointInterval,
                checkpointDirectory,
                dedupRetention,
                holdExpiry,
                endedHoldRetention,
                refundWindow,
                systemAccountShards,
                transactionalIdPrefix,
                topicPrefix,
                positions);
    }

    /** The name of one of the {@link Topics} for this ledger. */
    public String topic(String name) {
        return topicPrefix + name;
    }

    public String requestsTopic() {
        return topic(Topics.LEDGER_REQUESTS);
    }

    public String instructionsTopic() {
        return topic(Topics.LEDGER_INSTRUCTIONS);
    }

    private static String take(Map<String, String> given, String name, String fallback) {
        String value = given.remove(name);
        return value != null ? value : fallback;
    }
}
