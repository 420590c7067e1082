package io.ledgerflow.sinks.testutils;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.jobs.ledger.LedgerJobConfig;
import io.ledgerflow.jobs.ledger.LedgerRouting;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.ledgerflow.schemas.serde.ConfluentAvroDecoder;
import io.ledgerflow.schemas.serde.InvalidRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ledger's topics on a real broker, seen from the sinks: create them, produce requests (and
 * garbage), read what the ledger committed. Adapted from the jobs module's {@code LedgerKafka}; the
 * reader here skips records that do not decode, as the sinks job does.
 */
public final class LedgerTopics {

    private final LedgerJobConfig config;
    private final SchemaRegistryClient registry;

    public LedgerTopics(LedgerJobConfig config) {
        this.config = config;
        this.registry = SchemaRegistryClient.forUrl(config.schemaRegistryUrl());
    }

    /** Creates every ledger topic with {@code partitions} partitions. */
    public void createTopics(int partitions) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name :
                List.of(
                        Topics.LEDGER_REQUESTS,
                        Topics.LEDGER_INSTRUCTIONS,
                        Topics.TRANSACTION_RESULTS,
                        Topics.LEDGER_ENTRIES,
                        Topics.ACCOUNT_STATES,
                        Topics.ACCOUNT_COMMAND_RESULTS,
                        Topics.DEAD_LETTERS)) {
            topics.add(new NewTopic(config.topic(name), partitions, (short) 1));
        }
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.bootstrapServers()))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Produces requests keyed by the account they act on first, idempotently, and flushes. */
    public void produce(List<LedgerRequest> requests) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        try (KafkaProducer<String, LedgerRequest> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new ConfluentAvroSerializer<>(registry, LedgerRequest.class))) {
            for (LedgerRequest request : requests) {
                producer.send(
                        new ProducerRecord<>(
                                config.requestsTopic(), LedgerRouting.accountOf(request), request));
            }
            producer.flush();
        }
    }

    /** Raw bytes onto one of the ledger's output topics: what a broken producer might write. */
    public void produceGarbage(String topicName, List<byte[]> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(config.topic(topicName), null, value));
            }
            producer.flush();
        }
    }

    /** Every committed, decodable record of a topic, from its beginning to its current end. */
    public <T extends SpecificRecord> List<T> readCommitted(String topicName, Class<T> type) {
        String topic = config.topic(topicName);
        ConfluentAvroDecoder<T> decoder = new ConfluentAvroDecoder<>(registry, type);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && !end.entrySet().stream()
                            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        records.add(decoder.decode(r.value()));
                    } catch (InvalidRecordException e) {
                        // Garbage the test wrote on purpose; the sinks dead-letter it.
                    }
                }
            }
        }
        return records;
    }
}
