package io.ledgerflow.ingest.testutils;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroDeserializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real {@code ledger.requests} topic for tests: created with 4 partitions if missing, its end
 * offsets (to prove nothing was produced), and reading records back with the Confluent Avro
 * deserializer (to prove they decode with the registered schema).
 */
public final class LedgerRequestsTopic implements AutoCloseable {

    public static final int PARTITIONS = 4;

    private final KafkaConsumer<String, LedgerRequest> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    public LedgerRequestsTopic(String bootstrapServers, String registryUrl) {
        create(bootstrapServers);
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(Topics.LEDGER_REQUESTS, p));
        }
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ConfluentAvroDeserializer<>(
                                SchemaRegistryClient.forUrl(registryUrl), LedgerRequest.class));
        consumer.assign(partitions);
    }

    public static void create(String bootstrapServers) {
        KafkaTopics.create(bootstrapServers, PARTITIONS, List.of(Topics.LEDGER_REQUESTS));
    }

    /** End offset of every partition. */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    /**
     * Records written since {@code from} (end offsets taken before), waiting until {@code count}.
     */
    public List<ConsumerRecord<String, LedgerRequest>> readSince(
            Map<TopicPartition, Long> from, int count) {
        from.forEach(consumer::seek);
        List<ConsumerRecord<String, LedgerRequest>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** Total records written since {@code from}. */
    public long countSince(Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> now = endOffsets();
        return now.entrySet().stream()
                .mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L))
                .sum();
    }

    public Set<Integer> partitionNumbers() {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
