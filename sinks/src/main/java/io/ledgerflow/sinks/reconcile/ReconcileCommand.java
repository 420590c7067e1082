package io.ledgerflow.sinks.reconcile;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.sinks.clickhouse.ClickHouseTarget;
import io.ledgerflow.sinks.reconcile.ReconciliationTables.OpenSummary;
import io.ledgerflow.sinks.reconcile.ReconciliationTables.Row;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Internal reconciliation, one round at a time: reads the ledger's entries topic on from where the
 * previous round stopped (committed records only), up to its end when the round starts; then
 * compares every settled window kept with what PostgreSQL and ClickHouse have for it ({@link
 * InternalReconciliation}) and records what it saw in both stores' {@code reconciliation} tables
 * ({@link ReconciliationTables}). The figures live in this process's memory: a restart reads the
 * topic from its beginning again (no consumer group, nothing committed), which rebuilds them and
 * the chain state.
 */
public final class ReconcileCommand implements AutoCloseable {

    /** What one round did. */
    public record Round(
            Instant at,
            long entriesRead,
            int windowsKept,
            List<Finding> seen,
            List<Row> changed,
            OpenSummary open) {}

    private static final Duration POLL = Duration.ofMillis(500);

    private final ReconcileConfig config;
    private final Clock clock;
    private final InternalReconciliation reconciliation;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConfluentAvroDecoder<LedgerEntry> decoder;
    private final List<TopicPartition> partitions;
    private long version;

    public ReconcileCommand(ReconcileConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.reconciliation = new InternalReconciliation(config.window(), config.trustFirst());
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decoder =
                new ConfluentAvroDecoder<>(
                        SchemaRegistryClient.forUrl(config.registry().url()), LedgerEntry.class);
        String topic = config.kafka().topic(Topics.LEDGER_ENTRIES);
        this.partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** One round: read, compare, record. */
    public Round round() throws SQLException {
        long read = readToEnd();
        Instant now = clock.instant();
        reconciliation.forgetBefore(reconciliation.windowStart(now.minus(config.horizon())));
        Instant settledBefore = now.minus(config.settleLag());
        Instant from = reconciliation.oldestWindow();
        Map<WindowKey, Figures> pg = Map.of();
        Map<WindowKey, Figures> ch = Map.of();
        if (from != null) {
            try (Connection c = postgres()) {
                pg = StoreFigures.postgres(c, config.window(), from, settledBefore);
            }
            try (Connection c = clickHouse().connect()) {
                ch = StoreFigures.clickHouse(c, config.window(), from, settledBefore);
            }
        }
        List<Finding> seen = reconciliation.compare(settledBefore, pg, ch);
        List<Row> changed;
        OpenSummary open;
        try (Connection c = postgres()) {
            changed = ReconciliationTables.record(c, seen, now, from);
            open = ReconciliationTables.open(c);
        }
        // Versions only grow, also when the clock does not move between two rounds.
        version = Math.max(version + 1, now.toEpochMilli());
        try (Connection c = clickHouse().connect()) {
            ReconciliationTables.writeClickHouse(c, changed, version);
        }
        return new Round(now, read, reconciliation.windows(), seen, changed, open);
    }

    private long readToEnd() {
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        long read = 0;
        while (!end.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                LedgerEntry entry;
                try {
                    entry = decoder.decode(record.value());
                } catch (RuntimeException e) {
                    // The topic is internal: an unreadable record is itself a finding for a person.
                    throw new IllegalStateException(
                            "unreadable record at "
                                    + record.topic()
                                    + "-"
                                    + record.partition()
                                    + "@"
                                    + record.offset()
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
                reconciliation.accept(entry);
                read++;
            }
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return read;
    }

    private Connection postgres() throws SQLException {
        return DriverManager.getConnection(
                config.postgres().url(),
                config.postgres().user(),
                config.postgres().password().reveal());
    }

    private ClickHouseTarget clickHouse() {
        return new ClickHouseTarget(
                config.clickHouse().url(),
                config.clickHouse().database(),
                config.clickHouse().user(),
                config.clickHouse().password().reveal());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
