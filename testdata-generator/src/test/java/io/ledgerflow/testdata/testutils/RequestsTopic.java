package io.ledgerflow.testdata.testutils;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.localservers.KafkaTopics;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Topics on the test broker: create them, read a request topic back through the registry. */
public final class RequestsTopic {

    private RequestsTopic() {}

    /** One decoded record of the request topic. */
    public record Decoded(int partition, long offset, String key, LedgerRequest value) {}

    public static void create(String bootstrapServers, Collection<String> names, int partitions) {
        KafkaTopics.create(bootstrapServers, partitions, names);
    }

    /** Every record of the topic, decoded with the registered writer schema. */
    public static List<Decoded> readAll(String bootstrapServers, String registryUrl, String topic) {
        ConfluentAvroDecoder<LedgerRequest> decoder =
                new ConfluentAvroDecoder<>(
                        SchemaRegistryClient.forUrl(registryUrl), LedgerRequest.class);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<Decoded> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(
                            new Decoded(
                                    r.partition(), r.offset(), r.key(), decoder.decode(r.value())));
                }
            }
        }
        return records;
    }
}
