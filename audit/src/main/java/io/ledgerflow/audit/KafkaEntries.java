package io.ledgerflow.audit;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ledger's entries topic from its beginning up to where it ends when the read starts, committed
 * records only ({@code read_committed}: what the ledger's checkpoints made final). The topic is
 * keyed by account, so each account's entries are in one partition, in sequence order; accounts of
 * different partitions interleave, which the verifier allows. No consumer group: nothing is
 * committed, the read leaves no trace.
 *
 * <p>A record that cannot be decoded fails the read: this is an internal topic, written only by the
 * ledger, so an unreadable record is itself a finding.
 */
public final class KafkaEntries {

    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrapServers;
    private final String topic;
    private final SchemaRegistryClient registry;

    public KafkaEntries(String bootstrapServers, String topic, SchemaRegistryClient registry) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.registry = registry;
    }

    /** Feeds {@code sink} every committed entry of {@code scope}, each account in order. */
    public void forEach(Scope scope, Consumer<LedgerEntry> sink) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        ConfluentAvroDecoder<LedgerEntry> decoder =
                new ConfluentAvroDecoder<>(registry, LedgerEntry.class);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end offsets are the last stable offsets, so the read stops at
            // what is committed now and never waits on an open transaction.
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!end.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    LedgerEntry entry = decode(decoder, record);
                    if (scope.includes(entry.getAccountId(), entry.getPartnerId())) {
                        sink.accept(entry);
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
    }

    private static LedgerEntry decode(
            ConfluentAvroDecoder<LedgerEntry> decoder, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decode(record.value());
        } catch (RuntimeException e) {
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
    }
}
